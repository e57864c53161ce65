package linter

import (
	"fmt"
	"slices"
	"strings"

	"github.com/huntlint/huntlint/internal/textdist"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaUnknownField reports rule and logsource keys that look like a
// misspelt Sigma field. Sigma allows custom attributes, so keys far from
// every field name are left alone.
type sigmaUnknownField struct{}

// sigmaFields are the top-level fields of Sigma rules, correlation rules and
// filter rules (specification 2.1), plus Sigma 1's `action`.
var sigmaFields = []string{
	"title", "id", "related", "name", "taxonomy", "status", "description", "license", "references", "author",
	"date", "modified", "logsource", "detection", "fields", "falsepositives", "level", "tags", "scope",
	"correlation", "generate", "filter", "action",
}

// sigmaLogsourceFields are the fields of a logsource.
var sigmaLogsourceFields = []string{"category", "product", "service", "definition"}

var sigmaUnknownFieldDoc = &Doc{
	ID:       "sigma-unknown-field",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "a Sigma rule or logsource key looks like a misspelt Sigma field (`refrences`, `Level`, `categroy`)",
	Why: "Sigma accepts custom attributes, so a misspelt field is not an error for converters: it is silently " +
		"ignored. A `falsepositive` or `refrences` key loses its content; a misspelt `categroy` in the logsource " +
		"makes the rule apply to every log of the product. Keys close to a Sigma field name (a different case, or " +
		"one or two letters off) are reported; other custom attributes are left alone. pySigma's custom_attributes " +
		"validator does the same for rule fields.",
	Bad: "title: Whoami Execution\n" +
		"refrences:\n" +
		"    - https://example.org\n" +
		"logsource:\n" +
		"    categroy: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Good: "title: Whoami Execution\n" +
		"references:\n" +
		"    - https://example.org\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Fix: FixSafe,
	FixDoc: "renames the key to the field it misspells: safe when only the case differs (`Level`), unsafe when letters differ " +
		"(`refrences`), since the key could be a deliberate custom attribute",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaUnknownField) Doc() *Doc { return sigmaUnknownFieldDoc }

func (sigmaUnknownField) Run(ctx *Context) {
	root := yamlsrc.Root(ctx.Rule.Doc)
	checkKeys(ctx, root, sigmaFields, "field")
	_, ls := yamlsrc.Lookup(root, "logsource")
	checkKeys(ctx, yamlsrc.Resolve(ls), sigmaLogsourceFields, "logsource field")
}

// checkKeys reports keys of mapping m that are near, but not equal to, a
// name of known.
func checkKeys(ctx *Context, m *yaml.Node, known []string, what string) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if slices.Contains(known, k.Value) {
			continue
		}
		if near := nearField(k.Value, known); near != "" && !slices.Contains(keysOf(m), near) {
			app := FixUnsafe
			if strings.EqualFold(k.Value, near) {
				app = FixSafe
			}
			ctx.Reportf(nodeSpan(ctx.Rule, k), keyFix(ctx.Rule, k, near, app, fmt.Sprintf("rename %q to %q", k.Value, near)), "unknown key %q looks like a misspelt %s %q, and Sigma tools ignore it; rename it to %q", k.Value, what, near, near)
		}
	}
}

// nearField returns the name of known that s is a misspelling of: equal but
// for case, or (for names of 5 or more letters) at most 2 edits away; "".
func nearField(s string, known []string) string {
	near, _ := textdist.Nearest(s, known, 2, true, textdist.CaseFirst(), textdist.MinLength(5), textdist.InOrder())
	return near
}

// keysOf returns the keys of mapping m.
func keysOf(m *yaml.Node) []string {
	var out []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, m.Content[i].Value)
	}
	return out
}
