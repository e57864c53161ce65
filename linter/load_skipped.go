package linter

import (
	"github.com/huntlint/huntlint/rules"
)

// LoadSkippedID is the ID of the load-skipped check.
const LoadSkippedID = "load-skipped"

var loadSkippedDoc = &Doc{
	ID:       LoadSkippedID,
	Category: "load",
	Severity: SeverityInfo,
	Summary:  "a file or link met and skipped on purpose: Markdown that holds no KQL query, a symbolic link not followed",
	Why: "A Markdown file is a hunting query only when it holds one: a code block labelled kql, kusto or csl, " +
		"an unlabelled block that reads as KQL, or a KQL paragraph outside any fence. Other Markdown (a README, " +
		"a changelog, notes) is documentation: its ATT&CK IDs are history or prose (\"moved from T1086 to " +
		"T1059.001\"), so it is neither linted nor fixed. Symbolic links are followed only with --follow-symlinks. " +
		"Each skip is said once, at info level, so that nothing is dropped silently; hide these notes with " +
		"--min-severity warning.",
	Bad:     "# Changelog\n\n- moved from T1086 to T1059.001\n",
	Example: "hunt.md",
	Good:    "# Rare PowerShell parent\n\n```kql\nDeviceProcessEvents\n| where FileName =~ \"powershell.exe\"\n```\n",
}

// loadSkipped reports files the loader skipped as documentation; the
// runner calls skippedFinding.
type loadSkipped struct{}

func (loadSkipped) Doc() *Doc    { return loadSkippedDoc }
func (loadSkipped) Run(*Context) {}

// skippedFinding returns the load-skipped finding of a file that loaded to
// no rule and no problem, and false when the file was not skipped as
// documentation (a YAML file of another kind, say).
func skippedFinding(path string, cfg *Config) (Finding, bool) {
	if !rules.IsDocumentation(path) {
		return Finding{}, false
	}
	pos := rules.Pos{Line: 1, Column: 1}
	return fileFinding(loadSkippedDoc, path, rules.Span{Start: pos, End: pos},
		"Markdown without a KQL query: skipped as documentation, neither linted nor fixed; "+
			"put the query in a ```kql block to lint it", cfg), true
}
