package linter

import (
	"fmt"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaWildcardModifier reports field values that use leading or trailing
// wildcards where a contains, startswith or endswith modifier is meant.
type sigmaWildcardModifier struct{}

var sigmaWildcardModifierDoc = &Doc{
	ID:       "sigma-wildcard-modifier",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "Sigma values wrapped in * wildcards where a contains, startswith or endswith modifier is meant",
	Why: "`Image: '*\\cmd.exe'` and `Image|endswith: '\\cmd.exe'` match the same events, but the modifier states " +
		"the intent, lets backends pick their fastest operator, and avoids escaping mistakes with `*` and `?` inside " +
		"the value. pySigma's wildcards_instead_of_modifiers validator and SigmaHQ's conventions ask for the modifier.",
	Bad: "title: Cmd Run Command\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image: '*\\cmd.exe'\n" +
		"        CommandLine:\n" +
		"            - '*/c*'\n" +
		"            - '*/k*'\n" +
		"    condition: selection\n",
	Good: "title: Cmd Run Command\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\cmd.exe'\n" +
		"        CommandLine|contains:\n" +
		"            - '/c'\n" +
		"            - '/k'\n" +
		"    condition: selection\n",
	Fix:     FixSafe,
	FixDoc:  "adds the modifier to the field and removes the wildcards from every value; Sigma defines the two forms as equal, so what the rule matches does not change",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaWildcardModifier) Doc() *Doc { return sigmaWildcardModifierDoc }

func (sigmaWildcardModifier) Run(ctx *Context) {
	s := sigmaSearchSection(ctx.Rule)
	if s == nil {
		return
	}
	for _, v := range s.Values {
		forEachFieldItem(v, func(k, val *yaml.Node) { checkWildcardModifier(ctx, k, yamlsrc.Resolve(val)) })
	}
}

// wildcardShape returns the modifier a value's wildcards stand for
// ("contains", "startswith", "endswith") and the value without them, or ""
// when the value has no such shape or holds other unescaped wildcards.
func wildcardShape(v string) (mod, inner string) {
	lead := strings.HasPrefix(v, "*")
	trail := strings.HasSuffix(v, "*") && !escapedAt(v, len(v)-1)
	if len(v) < 2 || (lead && trail && len(v) < 3) {
		return "", ""
	}
	inner = v
	if lead {
		inner = inner[1:]
	}
	if trail {
		inner = inner[:len(inner)-1]
	}
	for i := 0; i < len(inner); i++ {
		if (inner[i] == '*' || inner[i] == '?') && !escapedAt(inner, i) {
			return "", ""
		}
	}
	if strings.HasSuffix(inner, "\\") && !escapedAt(inner, len(inner)-1) {
		return "", "" // the backslash would escape something else once moved
	}
	switch {
	case lead && trail:
		return "contains", inner
	case lead:
		return "endswith", inner
	case trail:
		return "startswith", inner
	}
	return "", ""
}

// escapedAt reports whether the character at i is preceded by an odd number
// of backslashes.
func escapedAt(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

func checkWildcardModifier(ctx *Context, k, val *yaml.Node) {
	if val == nil || strings.Contains(k.Value, "|") {
		return // modifiers present: their combination is the author's choice
	}
	values := scalarList(val)
	if len(values) == 0 || (val.Kind == yaml.SequenceNode && len(values) != len(val.Content)) {
		return
	}
	mod := ""
	inner := make([]string, len(values))
	for i, v := range values {
		if v.Tag != "!!str" {
			return
		}
		m, in := wildcardShape(v.Value)
		if m == "" || (mod != "" && m != mod) {
			return
		}
		mod, inner[i] = m, in
	}
	r := ctx.Rule
	what := fmt.Sprintf("value %q uses", values[0].Value)
	if len(values) > 1 {
		what = fmt.Sprintf("all %d values use", len(values))
	}
	ctx.Reportf(nodeSpan(r, k), wildcardFix(r, k, val, values, mod, inner), "field %q: %s wildcards where a modifier is meant; write \"%s|%s\" and drop the wildcards", k.Value, what, k.Value, mod)
}

// wildcardFix builds the edits that add mod to key k and replace each value
// with its inner text; nil when some node cannot be located exactly.
func wildcardFix(r *rules.Rule, k, val *yaml.Node, values []*yaml.Node, mod string, inner []string) *Fix {
	ks, ke, ok := keyExtent(r.Source, k)
	if !ok {
		return nil
	}
	edits := []Edit{{Start: ks, End: ke, New: quoteLike(k, k.Value+"|"+mod, false)}}
	flow := val.Kind == yaml.SequenceNode && isFlow(r.Source, val)
	for i, v := range values {
		s, e, ok := ScalarExtent(r.Source, v, flow)
		if !ok {
			return nil
		}
		edits = append(edits, Edit{Start: s, End: e, New: quoteLike(v, inner[i], flow)})
	}
	return &Fix{Applicability: FixSafe, Description: fmt.Sprintf("add the %s modifier to %q and remove the wildcards", mod, k.Value), Edits: edits}
}

// keyExtent returns the byte range of a mapping key in src: quoted keys as
// ScalarExtent finds them, plain keys up to their last character.
func keyExtent(src []byte, k *yaml.Node) (start, end int, ok bool) {
	if k.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		return ScalarExtent(src, k, false)
	}
	start, ok = NodeOffset(src, k)
	if !ok || k.Style != 0 || k.Anchor != "" {
		return 0, 0, false
	}
	end = start + len(k.Value)
	if end > len(src) || string(src[start:end]) != k.Value {
		return 0, 0, false
	}
	return start, end, true
}
