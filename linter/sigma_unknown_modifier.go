package linter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaUnknownModifier reports field modifiers that Sigma does not define.
type sigmaUnknownModifier struct{}

// sigmaModifiers are the value modifiers of the Sigma modifiers appendix
// (2.1), plus the long re flag names pySigma accepts.
var sigmaModifiers = []string{
	// generic
	"all", "startswith", "endswith", "contains", "exists", "cased", "neq",
	// string
	"windash", "re", "base64", "base64offset", "utf16le", "utf16be", "utf16", "wide",
	// numeric
	"lt", "lte", "gt", "gte",
	// time
	"minute", "hour", "day", "week", "month", "year",
	// ip
	"cidr",
	// specific
	"expand", "fieldref",
}

// sigmaReFlags are the sub-modifiers of re, short and long.
var sigmaReFlags = []string{"i", "m", "s", "ignorecase", "multiline", "dotall"}

var sigmaUnknownModifierDoc = &Doc{
	ID:       "sigma-unknown-modifier",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a Sigma field uses a modifier the specification does not define",
	Why: "A modifier changes how a value matches (`contains`, `endswith`, `re`, `cidr` …). pySigma and every backend " +
		"reject an unknown modifier, so one typo (`endwith`) stops the whole rule from converting. The accepted list " +
		"is the Sigma 2.1 modifiers appendix: all, startswith, endswith, contains, exists, cased, neq, windash, re " +
		"(with the sub-modifiers i, m, s, also spelt ignorecase, multiline, dotall), base64, base64offset, utf16le, " +
		"utf16be, utf16, wide, lt, lte, gt, gte, minute, hour, day, week, month, year, cidr, expand and fieldref.",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endwith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Fix: FixSafe,
	FixDoc: "a modifier written in the wrong case (`Contains`) is lower-cased: safe, Sigma has only lower-case modifiers. " +
		"A misspelt modifier (`endwith`) is replaced by the nearest one (`endswith`): unsafe, since the intended modifier is a guess",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaUnknownModifier) Doc() *Doc { return sigmaUnknownModifierDoc }

func (sigmaUnknownModifier) Run(ctx *Context) {
	s := sigmaSearchSection(ctx.Rule)
	if s == nil {
		return
	}
	for _, v := range s.Values {
		forEachFieldKey(v, func(k *yaml.Node) { checkModifiers(ctx, k) })
	}
}

// forEachFieldKey calls f for every field key of a search identifier's value:
// a mapping's keys, or the keys of each mapping in a list.
func forEachFieldKey(v *yaml.Node, f func(k *yaml.Node)) {
	v = yamlsrc.Resolve(v)
	if v == nil {
		return
	}
	switch v.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			f(v.Content[i])
		}
	case yaml.SequenceNode:
		for _, c := range v.Content {
			if c = yamlsrc.Resolve(c); c != nil && c.Kind == yaml.MappingNode {
				forEachFieldKey(c, f)
			}
		}
	}
}

// checkModifiers validates the modifiers of one field key.
func checkModifiers(ctx *Context, k *yaml.Node) {
	parts := strings.Split(k.Value, "|")
	if len(parts) < 2 {
		return
	}
	hasRe := false
	for _, m := range parts[1:] {
		if m == "re" {
			hasRe = true
		}
	}
	off := len(parts[0]) + 1
	for _, m := range parts[1:] {
		sp := scalarSubSpan(ctx.Rule, k, off, len(m))
		switch {
		case m == "":
			ctx.Reportf(scalarSubSpan(ctx.Rule, k, off-1, 1), nil, "field %q has an empty modifier; remove the extra \"|\"", k.Value)
		case slices.Contains(sigmaModifiers, m):
		case slices.Contains(sigmaReFlags, m):
			if !hasRe {
				ctx.Reportf(sp, nil, "modifier %q is a sub-modifier of \"re\" and needs it; write \"|re|%s\" or remove it", m, m)
			}
		case slices.Contains(sigmaModifiers, strings.ToLower(m)) || slices.Contains(sigmaReFlags, strings.ToLower(m)):
			ctx.Reportf(sp, keyFix(ctx.Rule, k, replaceModifier(parts, m, strings.ToLower(m)), FixSafe, fmt.Sprintf("write modifier %q in lower case", m)), "modifier %q must be lower case; write %q", m, strings.ToLower(m))
		default:
			if near := nearestName(m, sigmaModifiers); near != "" {
				ctx.Reportf(sp, keyFix(ctx.Rule, k, replaceModifier(parts, m, near), FixUnsafe, fmt.Sprintf("replace modifier %q with %q", m, near)), "unknown modifier %q; did you mean %q", m, near)
			} else {
				ctx.Reportf(sp, nil, "unknown modifier %q; Sigma defines %s", m, strings.Join(sigmaModifiers, ", "))
			}
		}
		off += len(m) + 1
	}
}

// forEachFieldItem calls f for every field item of a search identifier's
// value (a mapping, or a list of mappings) with the key node and the value
// node.
func forEachFieldItem(v *yaml.Node, f func(k, val *yaml.Node)) {
	v = yamlsrc.Resolve(v)
	if v == nil {
		return
	}
	switch v.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			f(v.Content[i], v.Content[i+1])
		}
	case yaml.SequenceNode:
		for _, c := range v.Content {
			if c = yamlsrc.Resolve(c); c != nil && c.Kind == yaml.MappingNode {
				forEachFieldItem(c, f)
			}
		}
	}
}

// replaceModifier returns the field key parts with modifier old replaced by
// new.
func replaceModifier(parts []string, old, new string) string {
	out := slices.Clone(parts)
	for i := 1; i < len(out); i++ {
		if out[i] == old {
			out[i] = new
		}
	}
	return strings.Join(out, "|")
}
