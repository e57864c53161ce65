package migrate

import (
	"encoding/json"
	"io"
	"sort"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/linter/fix"
	"github.com/huntlint/huntlint/mapper"
)

// ReportVersion is the version of the JSON migration report; it changes
// only when a field changes meaning or disappears.
const ReportVersion = 1

// Report is the JSON form of a migration (`huntlint migrate --format
// json`): what was (or, in a dry run or diff, would be) changed, what needs
// a human, and the files that could not be migrated.
type Report struct {
	Version int       `json:"version"`
	From    []Release `json:"from"`
	To      []Release `json:"to"`
	DryRun  bool      `json:"dry_run"` // nothing was written (--diff)
	// Changes are the references migrated, in file order, at their
	// positions in the files as they were.
	Changes []Item `json:"changes"`
	// Review are the references that need a human (no fix), in file
	// order: migrate-deprecated (objects deprecated in the new release) and
	// migrate-manual (everything else that cannot be decided).
	Review []Item `json:"review"`
	// Errors are files that do not load or could not be migrated.
	Errors  []FileError   `json:"errors"`
	Summary ReportSummary `json:"summary"`
}

// Release names one domain's release on one side of the migration.
type Release struct {
	Domain  string `json:"domain"`
	Release string `json:"release"`
	Source  string `json:"source"`
}

// Item is one reference of the plan.
type Item struct {
	Check     string `json:"check"`
	Severity  string `json:"severity"`
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"end_line"`
	EndColumn int    `json:"end_column"`
	// Reference is the text at the position, as written ("attack.ds0005").
	Reference string `json:"reference"`
	Message   string `json:"message"`
	// Fix describes the change; empty for review items.
	Fix string `json:"fix,omitempty"`
	// RuleID and RuleTitle name the rule, when it has them.
	RuleID    string `json:"rule_id,omitempty"`
	RuleTitle string `json:"rule_title,omitempty"`
}

// FileError is a file left alone and why; Line is 0 when the problem is
// not at a line.
type FileError struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// ReportSummary counts the plan.
type ReportSummary struct {
	Migrated int `json:"migrated"`      // references changed (fixes applied)
	Files    int `json:"files_changed"` // files changed
	Review   int `json:"review"`        // references that need a human
	// Deprecated counts the review items that name a deprecated object.
	Deprecated int            `json:"deprecated"`
	ByCheck    map[string]int `json:"by_check"` // plan items per check
}

// NewReport builds the report of a migration from its plan (Files), the
// outcome of Apply and the two catalogs.
func NewReport(findings []linter.Finding, sum fix.Summary, from, to *mapper.Catalog, dryRun bool) Report {
	r := Report{Version: ReportVersion, From: releases(from), To: releases(to), DryRun: dryRun,
		Changes: []Item{}, Review: []Item{}, Errors: []FileError{},
		Summary: ReportSummary{Migrated: sum.Fixed(), Files: len(sum.Files), ByCheck: map[string]int{}}}
	for _, f := range findings {
		if f.Check == linter.LoadErrorID {
			r.Errors = append(r.Errors, FileError{Path: f.Path, Line: f.Span.Start.Line, Column: f.Span.Start.Column, Message: f.Message})
			continue
		}
		r.Summary.ByCheck[f.Check]++
		it := item(f)
		if f.Fix == nil {
			r.Review = append(r.Review, it)
			r.Summary.Review++
			if f.Check == CheckDeprecated {
				r.Summary.Deprecated++
			}
			continue
		}
		r.Changes = append(r.Changes, it)
	}
	for _, e := range sum.Errors {
		r.Errors = append(r.Errors, FileError{Path: e.Path, Message: e.Err.Error()})
	}
	sort.SliceStable(r.Errors, func(i, j int) bool { return r.Errors[i].Path < r.Errors[j].Path })
	return r
}

// WriteJSON writes the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // ATT&CK, not ATT\u0026CK
	return enc.Encode(r)
}

func releases(c *mapper.Catalog) []Release {
	out := []Release{}
	if c == nil {
		return out
	}
	for _, rel := range c.Releases() {
		out = append(out, Release{Domain: string(rel.Domain), Release: rel.Version, Source: rel.Source})
	}
	return out
}

func item(f linter.Finding) Item {
	it := Item{Check: f.Check, Severity: f.Severity.String(), Path: f.Path,
		Line: f.Span.Start.Line, Column: f.Span.Start.Column, EndLine: f.Span.End.Line, EndColumn: f.Span.End.Column,
		Message: f.Message}
	if f.Fix != nil {
		it.Fix = f.Fix.Description
	}
	if f.Rule != nil {
		it.RuleID, it.RuleTitle = f.Rule.ID, f.Rule.Title
		if s, e := f.Span.StartOffset, f.Span.EndOffset; s >= 0 && s < e && e <= len(f.Rule.Source) {
			it.Reference = string(f.Rule.Source[s:e])
		}
	}
	return it
}
