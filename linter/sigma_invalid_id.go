package linter

import (
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// sigmaInvalidID reports a Sigma `id` that is not a UUID.
type sigmaInvalidID struct{}

var sigmaInvalidIDDoc = &Doc{
	ID:       "sigma-invalid-id",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a Sigma rule's id is not a UUID",
	Why: "Sigma identifies rules by a UUID in `id`; correlation and filter rules, `related` entries and SIEM " +
		"deployments refer to rules by it. A value that is not a UUID breaks those references and fails pySigma and the Sigma schema.",
	Bad: "title: Whoami Execution\n" +
		"id: whoami-1\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"id: 8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaInvalidID) Doc() *Doc { return sigmaInvalidIDDoc }

func (sigmaInvalidID) Run(ctx *Context) {
	_, v := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "id")
	if v == nil {
		return
	}
	v = yamlsrc.Resolve(v)
	if !isScalar(v) {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "\"id\" is %s; expected a UUID such as \"8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\"", nodeKindName(v))
		return
	}
	if !isUUID(v.Value) {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "id %q is not a UUID; expected 8-4-4-4-12 hexadecimal digits such as \"8d3a4c2e-5f0b-4c1d-9e7a-2b6f1c0d9a31\"", v.Value)
	}
}

// isUUID reports whether s is a UUID in the canonical 8-4-4-4-12 hexadecimal
// form (either case).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
