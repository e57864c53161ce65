package linter

import (
	"strings"

	"github.com/huntlint/huntlint/rules"
	"gopkg.in/yaml.v3"
)

// sigmaValueHint points at values that are valid but often not what was
// meant: numbers in quotes. It is informational: they are right in string
// fields.
type sigmaValueHint struct{}

var sigmaValueHintDoc = &Doc{
	ID:       "sigma-value-hint",
	Category: "sigma",
	Severity: SeverityInfo,
	Summary:  "a Sigma field compared with numbers in quotes, often meant as numbers",
	Why: "`EventID: '4688'` makes backends compare a string where the field is a number, which fails on typed " +
		"fields; but registry `Details: '2'` or `IpPort: '0'` are strings on purpose, so this is a hint, not a " +
		"warning, and only for fields without modifiers whose values are all quoted numbers. pySigma's " +
		"number_as_string validator reports the same.",
	Bad: "title: Process Created\n" +
		"logsource:\n" +
		"    product: windows\n" +
		"    service: security\n" +
		"detection:\n" +
		"    selection:\n" +
		"        EventID: '4688'\n" +
		"    condition: selection\n",
	Good: "title: Process Created\n" +
		"logsource:\n" +
		"    product: windows\n" +
		"    service: security\n" +
		"detection:\n" +
		"    selection:\n" +
		"        EventID: 4688\n" +
		"    condition: selection\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaValueHint) Doc() *Doc { return sigmaValueHintDoc }

func (sigmaValueHint) Run(ctx *Context) {
	s := sigmaSearchSection(ctx.Rule)
	if s == nil {
		return
	}
	r := ctx.Rule
	for _, v := range s.Values {
		forEachFieldItem(v, func(k, val *yaml.Node) {
			values := scalarList(val)
			numeric := len(values) > 0 && !strings.Contains(k.Value, "|")
			for _, n := range values {
				numeric = numeric && n.Tag == "!!str" && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 && isDecimal(n.Value)
			}
			if numeric {
				ctx.Reportf(nodeSpan(r, values[0]), nil, "field %q compares with %s in quotes; if the field is numeric, remove the quotes", k.Value, map[bool]string{true: "a number", false: "numbers"}[len(values) == 1])
			}
		})
	}
}

// isDecimal reports whether s is a plain decimal integer without leading
// zeros.
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
