package rules

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Report is what `huntlint inspect` shows: the rules as loaded and the load
// problems. Its JSON form is stable and documented in docs/inspect.md.
type Report struct {
	Rules  []ReportRule    `json:"rules"`
	Errors []ReportProblem `json:"errors"`
}

// ReportRule is one rule in a Report.
type ReportRule struct {
	Path    string        `json:"path"`
	Format  Format        `json:"format"`
	Kind    Kind          `json:"kind"`
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	Line    int           `json:"line"`
	Attack  []ReportRef   `json:"attack"`
	Queries []ReportQuery `json:"queries"`
}

// ReportRef is one ATT&CK reference in a Report. ID is the catalog ID it
// resolves to ("T1059.001", "TA0002"), empty when it names nothing known.
type ReportRef struct {
	Text   string  `json:"text"`
	Line   int     `json:"line"`
	Column int     `json:"column"`
	Type   RefKind `json:"type"`
	ID     string  `json:"id"`
}

// ReportQuery is the position of one query in a Report.
type ReportQuery struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// ReportProblem is one load problem in a Report.
type ReportProblem struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// NewReport builds a Report. resolve gives the catalog ID a reference names
// ("" when unknown); it may be nil.
func NewReport(rules []*Rule, problems []Problem, resolve func(Ref) string) *Report {
	rep := &Report{Rules: []ReportRule{}, Errors: []ReportProblem{}}
	for _, r := range rules {
		rr := ReportRule{Path: r.Path, Format: r.Format, Kind: r.Kind, ID: r.ID, Title: r.Title, Line: r.Start.Line,
			Attack: []ReportRef{}, Queries: []ReportQuery{}}
		for _, a := range r.Attack {
			ref := ReportRef{Text: a.Text, Line: a.Span.Start.Line, Column: a.Span.Start.Column, Type: a.Kind}
			if resolve != nil {
				ref.ID = resolve(a)
			}
			rr.Attack = append(rr.Attack, ref)
		}
		for _, q := range r.Queries {
			rr.Queries = append(rr.Queries, ReportQuery{Line: q.Start.Line, Column: q.Start.Column})
		}
		rep.Rules = append(rep.Rules, rr)
	}
	for _, p := range problems {
		rep.Errors = append(rep.Errors, ReportProblem{Path: p.Path, Line: p.Line, Column: p.Column, Message: p.Message})
	}
	return rep
}

// WriteJSON writes the report as indented JSON.
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rep)
}

// WriteText writes the report for people: one block per rule, then the
// problems as path:line:col: message. WriteSummary adds the counts.
func (rep *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, r := range rep.Rules {
		fmt.Fprintf(&b, "%s:%d: %s %s", r.Path, r.Line, r.Format, r.Kind)
		if r.Title != "" {
			fmt.Fprintf(&b, " %q", r.Title)
		}
		if r.ID != "" {
			fmt.Fprintf(&b, " id %s", r.ID)
		}
		b.WriteByte('\n')
		for _, a := range r.Attack {
			id := a.ID
			if id == "" {
				id = "-"
			}
			fmt.Fprintf(&b, "  attack %d:%d %s %q -> %s\n", a.Line, a.Column, a.Type, a.Text, id)
		}
		for _, q := range r.Queries {
			fmt.Fprintf(&b, "  query %d:%d\n", q.Line, q.Column)
		}
	}
	for _, p := range rep.Errors {
		switch {
		case p.Line > 0:
			fmt.Fprintf(&b, "%s:%d:%d: %s\n", p.Path, p.Line, p.Column, p.Message)
		default:
			fmt.Fprintf(&b, "%s: %s\n", p.Path, p.Message)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteSummary writes the closing line of the text report: how many rules
// and load problems.
func (rep *Report) WriteSummary(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%d rules, %d load problems\n", len(rep.Rules), len(rep.Errors))
	return err
}
