package linter

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaModifierMisuse reports valid modifiers used in ways that do not work:
// conflicting or repeated modifiers, `all` on one value, base64offset
// without contains, exists without a boolean, numeric modifiers on
// non-numbers.
type sigmaModifierMisuse struct{}

var sigmaModifierMisuseDoc = &Doc{
	ID:       "sigma-modifier-misuse",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "Sigma modifiers that conflict, repeat, or do not fit their values (all on one value, base64offset without contains, …)",
	Why: "Some modifier combinations are accepted by the parser but cannot mean what the author wants: two of " +
		"contains/startswith/endswith on one field, re or cidr combined with string-matching modifiers, a " +
		"modifier written twice, `all` on a single value (the specification forbids it), base64offset without " +
		"contains (the encoded fragment only matches inside a longer string), exists with anything but true or " +
		"false, and lt/lte/gt/gte with a value that is not a number. Converters reject some of these and " +
		"silently mistranslate others. pySigma's invalid_modifier_combinations validator finds the same family.",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains|all: 'whoami'\n" +
		"        Payload|base64offset: 'IEX'\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: 'whoami'\n" +
		"        Payload|base64offset|contains: 'IEX'\n" +
		"    condition: selection\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaModifierMisuse) Doc() *Doc { return sigmaModifierMisuseDoc }

// sigmaStringMatch are the modifiers that choose where a string matches.
var sigmaStringMatch = []string{"contains", "startswith", "endswith"}

func (sigmaModifierMisuse) Run(ctx *Context) {
	s := sigmaSearchSection(ctx.Rule)
	if s == nil {
		return
	}
	for _, v := range s.Values {
		forEachFieldItem(v, func(k, val *yaml.Node) { checkModifierUse(ctx, k, yamlsrc.Resolve(val)) })
	}
}

func checkModifierUse(ctx *Context, k, val *yaml.Node) {
	parts := strings.Split(k.Value, "|")
	if len(parts) < 2 {
		return
	}
	mods := parts[1:]
	r := ctx.Rule
	report := func(msg string) { ctx.Reportf(nodeSpan(r, k), nil, "field %q: %s", k.Value, msg) }
	seen := map[string]bool{}
	for _, m := range mods {
		if seen[m] && m != "" {
			report(fmt.Sprintf("modifier %q is written twice; remove one", m))
		}
		seen[m] = true
	}
	var matchers []string
	for _, m := range sigmaStringMatch {
		if seen[m] {
			matchers = append(matchers, m)
		}
	}
	if len(matchers) > 1 {
		report(fmt.Sprintf("modifiers %q conflict: a value can match in one way only; keep one", strings.Join(matchers, "|")))
	}
	if seen["re"] {
		for _, m := range append(slices.Clone(sigmaStringMatch), "windash", "base64", "base64offset", "cidr") {
			if seen[m] {
				report(fmt.Sprintf("\"re\" cannot be combined with %q; write the regular expression to match where it should", m))
			}
		}
	}
	if seen["cidr"] {
		for _, m := range append(slices.Clone(sigmaStringMatch), "windash", "base64", "base64offset") {
			if seen[m] {
				report(fmt.Sprintf("\"cidr\" cannot be combined with %q", m))
			}
		}
	}
	if seen["base64offset"] && !seen["contains"] {
		report("\"base64offset\" needs \"contains\": the encoded fragment only matches inside a longer string; write \"|base64offset|contains\"")
	}
	values := scalarList(val)
	if seen["all"] && val != nil && (val.Kind == yaml.ScalarNode || (val.Kind == yaml.SequenceNode && len(val.Content) == 1)) {
		report("\"all\" on a single value has no effect and the specification forbids it; remove \"all\"")
	}
	if seen["exists"] {
		for _, v := range values {
			if v.Value != "true" && v.Value != "false" || v.Tag != "!!bool" {
				report(fmt.Sprintf("\"exists\" takes true or false, not %q", v.Value))
				break
			}
		}
	}
	for _, m := range []string{"lt", "lte", "gt", "gte"} {
		if !seen[m] {
			continue
		}
		for _, v := range values {
			if _, err := strconv.ParseFloat(v.Value, 64); err != nil {
				report(fmt.Sprintf("%q compares numbers, but %q is not a number", m, v.Value))
				break
			}
		}
	}
}
