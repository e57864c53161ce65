package linter

import (
	"github.com/huntlint/huntlint/rules"
)

// LoadMissingID is the ID of the load-missing check.
const LoadMissingID = "load-missing"

var loadMissingDoc = &Doc{
	ID:       LoadMissingID,
	Category: "load",
	Severity: SeverityWarning,
	Summary:  "a path given to lint or fix that does not exist",
	Why: "A list of changed files (git diff --name-only -z | huntlint lint -) names the rules a pull " +
		"request deleted or renamed too. Such a path is reported once, naming it, and everything else " +
		"is still linted: the exit status follows the findings, so a deleted rule alone does not fail " +
		"the run. A path mistyped on the command line gets the closest name in its folder.",
	Bad:  "huntlint lint rules/windows/deleted_rule.yml\n",
	Good: "huntlint lint rules/windows/existing_rule.yml\n",
}

// discoveryOnly are the checks whose findings come from Lint's discovery of
// the paths alone, never from a file's content: they have no golden inputs
// (load_missing_test.go tests them through Lint).
var discoveryOnly = map[string]bool{LoadMissingID: true}

// loadMissing reports the paths that do not exist; Lint turns Discover's
// missing paths into its findings.
type loadMissing struct{}

func (loadMissing) Doc() *Doc    { return loadMissingDoc }
func (loadMissing) Run(*Context) {}

// discoveryFindings turns what rules.DiscoverAll reported beside the files
// into findings: unreadable paths and invalid patterns are load-error,
// missing paths load-missing, and symbolic links not followed load-skipped
// (the last two only when their check runs: --ignore or the configuration
// may turn them off).
func discoveryFindings(d rules.Discovery, checks []Check, cfg *Config) []Finding {
	runs := map[string]bool{}
	for _, c := range checks {
		runs[c.Doc().ID] = true
	}
	var out []Finding
	for _, p := range d.Problems {
		out = append(out, ProblemFinding(p.Path, p, cfg))
	}
	if runs[LoadMissingID] {
		for _, p := range d.Missing {
			out = append(out, discoveryFinding(p, loadMissingDoc, cfg))
		}
	}
	if runs[LoadSkippedID] {
		for _, p := range d.Skipped {
			out = append(out, discoveryFinding(p, loadSkippedDoc, cfg))
		}
	}
	return out
}

func discoveryFinding(p rules.Problem, d *Doc, cfg *Config) Finding {
	pos := rules.Pos{Line: 1, Column: 1}
	return fileFinding(d, p.Path, rules.Span{Start: pos, End: pos}, p.Message, cfg)
}
