package linter

import (
	"fmt"
	"strings"
	"time"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaInvalidDate reports `date` and `modified` values that are not ISO
// dates, and a `modified` before `date`.
type sigmaInvalidDate struct{}

var sigmaInvalidDateDoc = &Doc{
	ID:       "sigma-invalid-date",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a Sigma rule's date or modified is not YYYY-MM-DD, or modified is before date",
	Why: "Sigma 2 writes dates as ISO 8601 YYYY-MM-DD; pySigma and the Sigma schema reject other forms, and rule " +
		"catalogues sort and age rules by these dates. A modification date before the creation date is a typo that " +
		"misleads anyone reviewing the rule's history.",
	Bad: "title: Whoami Execution\n" +
		"date: 2023/03/14\n" +
		"modified: 2022-01-10\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"date: 2023-03-14\n" +
		"modified: 2024-01-10\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Fix:     FixSafe,
	FixDoc:  "a valid date in the Sigma 1 form YYYY/MM/DD is rewritten as YYYY-MM-DD; the date itself does not change",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaInvalidDate) Doc() *Doc { return sigmaInvalidDateDoc }

func (sigmaInvalidDate) Run(ctx *Context) {
	root := yamlsrc.Root(ctx.Rule.Doc)
	created, okC := checkSigmaDate(ctx, root, "date")
	modified, okM := checkSigmaDate(ctx, root, "modified")
	if okC && okM && modified.Before(created) {
		_, v := yamlsrc.Lookup(root, "modified")
		ctx.Reportf(nodeSpan(ctx.Rule, yamlsrc.Resolve(v)), nil, "modified %q is before date %q; a rule cannot change before it was created, correct one of them",
			modified.Format(time.DateOnly), created.Format(time.DateOnly))
	}
}

// checkSigmaDate validates one date field and returns its value when valid
// (or fixable).
func checkSigmaDate(ctx *Context, root *yaml.Node, field string) (time.Time, bool) {
	_, v := yamlsrc.Lookup(root, field)
	v = yamlsrc.Resolve(v)
	if v == nil || isNullNode(v) {
		return time.Time{}, false
	}
	if v.Kind != yaml.ScalarNode {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "%q is %s; expected a date in the form YYYY-MM-DD", field, nodeKindName(v))
		return time.Time{}, false
	}
	s := v.Value
	if t, err := time.Parse(time.DateOnly, s); err == nil && len(s) == 10 {
		return t, true
	}
	if t, err := time.Parse("2006/01/02", s); err == nil && len(s) == 10 {
		iso := t.Format(time.DateOnly)
		ctx.Reportf(nodeSpan(ctx.Rule, v), replaceScalarFix(ctx.Rule, v, iso, fmt.Sprintf("rewrite %s %q as %q", field, s, iso)), "%s %q uses the Sigma 1 form YYYY/MM/DD; write %q (YYYY-MM-DD)", field, s, iso)
		return t, true
	}
	if looksLikeDate(s) {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "%s %q is not a calendar date; expected a real date in the form YYYY-MM-DD", field, s)
		return time.Time{}, false
	}
	ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "%s %q is not a date in the form YYYY-MM-DD", field, s)
	return time.Time{}, false
}

// looksLikeDate reports whether s has the shape NNNN-NN-NN or NNNN/NN/NN.
func looksLikeDate(s string) bool {
	if len(s) != 10 || (s[4] != '-' && s[4] != '/') || s[7] != s[4] {
		return false
	}
	return strings.Trim(s[:4]+s[5:7]+s[8:], "0123456789") == ""
}
