package linter

import (
	"fmt"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaInvalidStatus reports a Sigma status outside the specification's list.
type sigmaInvalidStatus struct{}

// sigmaStatuses are the statuses the Sigma specification defines.
var sigmaStatuses = []string{"stable", "test", "experimental", "deprecated", "unsupported"}

var sigmaInvalidStatusDoc = &Doc{
	ID:       "sigma-invalid-status",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a Sigma rule's status is not stable, test, experimental, deprecated or unsupported",
	Why: "Converters and rule pipelines select rules by status (for example, only stable and test rules go to production). " +
		"An unknown status fails pySigma and the Sigma schema and is silently dropped by status filters.",
	Bad: "title: Whoami Execution\n" +
		"status: production\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"status: stable\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Fix:     FixSafe,
	FixDoc:  "when the value is a listed status in the wrong case (`Stable`), the fix writes it in lower case; the meaning does not change",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaInvalidStatus) Doc() *Doc { return sigmaInvalidStatusDoc }

func (sigmaInvalidStatus) Run(ctx *Context) {
	checkSigmaEnum(ctx, sigmaInvalidStatusDoc, "status", sigmaStatuses)
}

// checkSigmaEnum reports a top-level scalar field whose value is not one of
// allowed; a value that differs only in case gets a safe fix.
func checkSigmaEnum(ctx *Context, d *Doc, field string, allowed []string) {
	_, v := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), field)
	v = yamlsrc.Resolve(v)
	if v == nil || isNullNode(v) {
		return
	}
	if v.Kind != yaml.ScalarNode {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "%q is %s; expected one of %s", field, nodeKindName(v), quoteList(allowed))
		return
	}
	for _, a := range allowed {
		if v.Value == a {
			return
		}
	}
	for _, a := range allowed {
		if strings.EqualFold(v.Value, a) {
			ctx.Reportf(nodeSpan(ctx.Rule, v), replaceScalarFix(ctx.Rule, v, a, fmt.Sprintf("replace %s %q with %q", field, v.Value, a)), "%s %q must be lower case; write %q", field, v.Value, a)
			return
		}
	}
	ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "unknown %s %q; expected one of %s", field, v.Value, quoteList(allowed))
}
