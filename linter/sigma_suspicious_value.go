package linter

import (
	"strconv"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaSuspiciousValue reports detection values that are probably not what
// the author meant: doubled wildcards and control characters.
type sigmaSuspiciousValue struct{}

var sigmaSuspiciousValueDoc = &Doc{
	ID:       "sigma-suspicious-value",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "a Sigma value holds a doubled wildcard or a control character",
	Why: "A doubled wildcard (`**`) matches the same as one but usually marks a botched edit. A tab or newline " +
		"inside a value mostly comes from a double-quoted Windows path (`\"C:\\temp\"` holds a tab), so the " +
		"rule never matches. pySigma's double_wildcard and control_character validators report the same.",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: \"C:\\temp\\\\tools**\"\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: 'C:\\temp\\tools*'\n" +
		"    condition: selection\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaSuspiciousValue) Doc() *Doc { return sigmaSuspiciousValueDoc }

func (sigmaSuspiciousValue) Run(ctx *Context) {
	s := sigmaSearchSection(ctx.Rule)
	if s == nil {
		return
	}
	for _, v := range s.Values {
		v = yamlsrc.Resolve(v)
		if v == nil {
			continue
		}
		if v.Kind == yaml.SequenceNode || v.Kind == yaml.ScalarNode {
			// Keyword list: plain values without a field.
			for _, n := range scalarList(v) {
				checkSuspiciousValue(ctx, n)
			}
		}
		forEachFieldItem(v, func(k, val *yaml.Node) {
			for _, n := range scalarList(val) {
				checkSuspiciousValue(ctx, n)
			}
		})
	}
}

func checkSuspiciousValue(ctx *Context, n *yaml.Node) {
	r := ctx.Rule
	v := n.Value
	if n.Tag == "!!str" {
		if i := strings.Index(v, "**"); i >= 0 && !escapedAt(v, i) {
			ctx.Reportf(nodeSpan(r, n), nil, "value %q has a doubled wildcard \"**\", which matches the same as \"*\"; write one", v)
		}
		for _, c := range v {
			if c < 0x20 || c == 0x7f {
				ctx.Reportf(nodeSpan(r, n), nil, "value %s holds the control character %s, often a \"\\t\" or \"\\n\" read from a double-quoted path; use single quotes", strconv.Quote(v), strconv.QuoteRune(c))
				break
			}
		}

	}
}
