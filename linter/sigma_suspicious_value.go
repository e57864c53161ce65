package linter

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"gopkg.in/yaml.v3"
)

// sigmaSuspiciousValue reports detection values that are probably not what
// the author meant: doubled wildcards, control characters, numbers written
// as strings.
type sigmaSuspiciousValue struct{}

var sigmaSuspiciousValueDoc = &Doc{
	ID:       "sigma-suspicious-value",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "a Sigma value holds a doubled wildcard, a control character, or a number written as a string",
	Why: "A doubled wildcard (`**`) matches the same as one but usually marks a botched edit. A tab or newline " +
		"inside a value mostly comes from a double-quoted Windows path (`\"C:\\temp\"` holds a tab), so the " +
		"rule never matches. A number in quotes (`EventID: '4688'`) makes backends compare strings instead of " +
		"numbers, which breaks on typed fields. pySigma's double_wildcard, control_character and number_as_string " +
		"validators report the same.",
	Bad:     "detection:\n    selection:\n        EventID: '4688'\n        CommandLine|contains: \"C:\\temp\\**\"\n    condition: selection\n",
	Good:    "detection:\n    selection:\n        EventID: 4688\n        CommandLine|contains: 'C:\\temp\\*'\n    condition: selection\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaSuspiciousValue) Doc() *Doc { return sigmaSuspiciousValueDoc }

func (sigmaSuspiciousValue) Run(ctx *Context) {
	if !isFormat(ctx, rules.FormatSigma) {
		return
	}
	s := sigmaSearchSection(ctx.Rule)
	if s == nil {
		return
	}
	for _, v := range s.Values {
		v = resolveAlias(v)
		if v == nil {
			continue
		}
		if v.Kind == yaml.SequenceNode || v.Kind == yaml.ScalarNode {
			// Keyword list: plain values without a field.
			for _, n := range scalarList(v) {
				checkSuspiciousValue(ctx, "", n)
			}
		}
		forEachFieldItem(v, func(k, val *yaml.Node) {
			// A list mixing numbers in quotes with other strings is a string
			// field (user agents, hashes): its quoted numbers are meant.
			field := k.Value
			for _, n := range scalarList(val) {
				if n.Tag == "!!str" && !isDecimal(n.Value) {
					field = ""
				}
			}
			for _, n := range scalarList(val) {
				checkSuspiciousValue(ctx, field, n)
			}
		})
	}
}

func checkSuspiciousValue(ctx *Context, field string, n *yaml.Node) {
	r, d := ctx.Rule, sigmaSuspiciousValueDoc
	v := n.Value
	if n.Tag == "!!str" {
		if i := strings.Index(v, "**"); i >= 0 && !escapedAt(v, i) {
			reportAt(ctx, d, nodeSpan(r, n), fmt.Sprintf("value %q has a doubled wildcard \"**\", which matches the same as \"*\"; write one", v), nil)
		}
		for _, c := range v {
			if c < 0x20 || c == 0x7f {
				reportAt(ctx, d, nodeSpan(r, n), fmt.Sprintf("value %s holds the control character %s, often a \"\\t\" or \"\\n\" read from a double-quoted path; use single quotes", strconv.Quote(v), strconv.QuoteRune(c)), nil)
				break
			}
		}
		if field != "" && !strings.Contains(field, "|") && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 && isDecimal(v) {
			reportAt(ctx, d, nodeSpan(r, n), fmt.Sprintf("number %s is written as a string; write it without quotes so backends compare it as a number", v), nil)
		}
	}
}

// isDecimal reports whether s is a plain decimal integer.
func isDecimal(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
