package report

import (
	"encoding/json"
	"io"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/rules"
)

// JSONVersion is the version of the JSON report format; it changes only
// when a field changes meaning or disappears (see docs/output.md).
const JSONVersion = 1

// JSON writes the stable JSON document described in docs/output.md.
type JSON struct{}

type jsonReport struct {
	Version  int              `json:"version"`
	Catalog  []catalogRelease `json:"catalog"`
	Findings []jsonFinding    `json:"findings"`
	Summary  jsonSummary      `json:"summary"`
}

type jsonFinding struct {
	Check     string    `json:"check"`
	Severity  string    `json:"severity"`
	Path      string    `json:"path"`
	Line      int       `json:"line"`
	Column    int       `json:"column"`
	EndLine   int       `json:"end_line"`
	EndColumn int       `json:"end_column"`
	Message   string    `json:"message"`
	Rule      *jsonRule `json:"rule"`
	Fixable   bool      `json:"fixable"`
	Fix       *jsonFix  `json:"fix,omitempty"`
}

type jsonRule struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Format string `json:"format"`
}

type jsonFix struct {
	Applicability string `json:"applicability"`
	Description   string `json:"description"`
}

type jsonSummary struct {
	Files      int            `json:"files"`
	Rules      int            `json:"rules"`
	Findings   int            `json:"findings"`
	BySeverity map[string]int `json:"by_severity"`
	ByCheck    map[string]int `json:"by_check"`
	Fixable    int            `json:"fixable"`
	Unsafe     int            `json:"unsafe_fixable"`
}

func (JSON) Format(w io.Writer, rep *Input) error {
	res := rep.Result
	out := jsonReport{
		Version:  JSONVersion,
		Catalog:  catalogReleases(rep),
		Findings: make([]jsonFinding, 0, len(res.Findings)),
		Summary: jsonSummary{
			Files: res.Files, Rules: res.Rules, Findings: len(res.Findings),
			BySeverity: map[string]int{
				"error":   res.Count(linter.SeverityError),
				"warning": res.Count(linter.SeverityWarning),
				"info":    res.Count(linter.SeverityInfo),
			},
			ByCheck: checkCounts(res.Findings),
			Fixable: fixable(res.Findings, linter.FixSafe),
			Unsafe:  fixable(res.Findings, linter.FixUnsafe),
		},
	}
	for _, f := range res.Findings {
		jf := jsonFinding{
			Check: f.Check, Severity: f.Severity.String(), Path: f.Path,
			Line: f.Span.Start.Line, Column: f.Span.Start.Column,
			EndLine: f.Span.End.Line, EndColumn: f.Span.End.Column,
			Message: f.Message,
			Rule:    ruleOf(f.Rule),
		}
		if f.Fix != nil && f.Fix.Applicability != linter.FixNone {
			jf.Fixable = true
			jf.Fix = &jsonFix{Applicability: f.Fix.Applicability.String(), Description: f.Fix.Description}
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func ruleOf(r *rules.Rule) *jsonRule {
	if r == nil {
		return nil
	}
	return &jsonRule{ID: r.ID, Title: r.Title, Format: string(r.Format)}
}
