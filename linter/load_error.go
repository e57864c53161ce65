package linter

import (
	"github.com/huntlint/huntlint/rules"
)

// LoadErrorID is the ID of the load-error check.
const LoadErrorID = "load-error"

var loadErrorDoc = &Doc{
	ID:       LoadErrorID,
	Category: "load",
	Severity: SeverityError,
	Summary:  "a file that cannot be read or parsed",
	Why: "A file that does not load is not checked at all: its tags never reach a coverage layer and " +
		"its detection logic never reaches a SIEM. The finding points at the position the parser " +
		"stopped at (YAML syntax, encoding, size limits, alias bombs).",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"tags: [attack.discovery, attack.t1033\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"tags: [attack.discovery, attack.t1033]\n",
}

// loadError reports files that could not be loaded; the runner turns the
// loader's problems into its findings.
type loadError struct{}

func (loadError) Doc() *Doc        { return loadErrorDoc }
func (loadError) Run(ctx *Context) {}

// ProblemFinding turns a loader problem into a load-error finding.
func ProblemFinding(path string, p rules.Problem, cfg *Config) Finding {
	pos := rules.Pos{Line: p.Line, Column: p.Column}
	if pos.Line == 0 {
		pos = rules.Pos{Line: 1, Column: 1}
	}
	if p.Path != "" {
		path = p.Path
	}
	return fileFinding(loadErrorDoc, path, rules.Span{Start: pos, End: pos}, p.Message, cfg)
}
