package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/huntlint/huntlint/linter"
)

// JSONVersion is the version of the JSON report format; it changes only
// when a field changes meaning or disappears (see docs/output.md).
const JSONVersion = 1

// JSON writes the stable JSON document described in docs/output.md.
type JSON struct{}

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

// Format writes the report one finding at a time, so that a large run's
// report is never whole in memory; the bytes are those of the whole document
// encoded with two-space indents (jsonReport in the tests).
func (JSON) Format(w io.Writer, rep *Input) error {
	res := rep.Result
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\n  \"version\": %d,\n  \"catalog\": ", JSONVersion)
	if err := writeIndented(bw, catalogReleases(rep), "  "); err != nil {
		return err
	}
	bw.WriteString(",\n  \"findings\": [")
	// One encoder and buffer for every finding: no garbage per finding.
	var one bytes.Buffer
	enc := json.NewEncoder(&one)
	enc.SetIndent("    ", "  ")
	for i, f := range res.Findings {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		one.Reset()
		if err := enc.Encode(jsonFindingOf(f)); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(one.Bytes(), []byte("\n")))
	}
	if len(res.Findings) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("],\n  \"summary\": ")
	if err := writeIndented(bw, jsonSummaryOf(res), "  "); err != nil {
		return err
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

// jsonFindingOf is f as the report lists it.
func jsonFindingOf(f linter.Finding) jsonFinding {
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
	return jf
}

// jsonSummaryOf is the report's summary of res.
func jsonSummaryOf(res *linter.Result) jsonSummary {
	return jsonSummary{
		Files: res.Files, Rules: res.Rules, Findings: len(res.Findings),
		BySeverity: map[string]int{
			"error":   res.Count(linter.SeverityError),
			"warning": res.Count(linter.SeverityWarning),
			"info":    res.Count(linter.SeverityInfo),
		},
		ByCheck: checkCounts(res.Findings),
		Fixable: fixable(res.Findings, linter.FixSafe),
		Unsafe:  fixable(res.Findings, linter.FixUnsafe),
	}
}

// writeIndented writes v as indented JSON whose lines after the first start
// with prefix.
func writeIndented(w *bufio.Writer, v any, prefix string) error {
	b, err := json.MarshalIndent(v, prefix, "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func ruleOf(r *linter.FindingRule) *jsonRule {
	if r == nil {
		return nil
	}
	return &jsonRule{ID: r.ID, Title: r.Title, Format: string(r.Format)}
}
