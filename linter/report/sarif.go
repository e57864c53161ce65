package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/rules"
)

// SARIFRootBase is the uriBaseId of result locations: URIs are relative to
// the folder huntlint ran in (or Options.SrcRoot).
const SARIFRootBase = "%SRCROOT%"

// SARIF writes SARIF 2.1.0 with go-sarif: one run, a driver rule per
// registered check with its documentation as help, and one result per
// finding with a relative physical location and a stable partial
// fingerprint.
type SARIF struct {
	srcRoot string
	version string
}

func sarifLevel(s linter.Severity) string {
	switch s {
	case linter.SeverityError:
		return "error"
	case linter.SeverityWarning:
		return "warning"
	}
	return "note"
}

func (s *SARIF) Format(w io.Writer, rep *Input) error {
	log := sarif.NewReport()
	run := sarif.NewRunWithInformationURI("huntlint", "https://github.com/huntlint/huntlint")
	// Columns count characters (code points); without this, consumers such
	// as code scanning read them as UTF-16 code units.
	run.WithColumnKind("unicodeCodePoints")
	if s.version != "" {
		run.Tool.Driver.WithVersion(s.version)
	}
	// The catalog block of the JSON report: releases, dates, ages and
	// whether each is older than max_age.
	run.WithProperties(sarif.NewPropertyBag().Add("catalog", catalogReleases(rep)))
	checks := rep.Checks
	if checks == nil {
		checks = linter.Registry()
	}
	for _, c := range checks {
		d := c.Doc()
		run.AddRule(d.ID).
			WithName(rules.PascalCase(d.ID)).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(d.Summary)).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(d.Why)).
			WithHelp(sarif.NewMultiformatMessageString().WithText(helpText(d)).WithMarkdown(helpMarkdown(d))).
			WithHelpURI("https://github.com/huntlint/huntlint/blob/main/docs/checks.md#" + d.ID).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(d.Severity))).
			WithProperties(sarif.NewPropertyBag().Add("tags", []string{"huntlint", d.Category}))
	}
	root := s.srcRoot
	if root == "" {
		root = "."
	}
	absRoot, _ := filepath.Abs(root)
	seen := map[string]int{}
	for _, f := range rep.Result.Findings {
		if run.GetRuleIndex(f.Check) < 0 {
			run.AddRule(f.Check)
		}
		loc := sarif.NewArtifactLocation()
		abs, _ := filepath.Abs(f.Path)
		if rel, err := filepath.Rel(absRoot, abs); err == nil && !strings.HasPrefix(rel, "..") {
			loc.WithURI((&url.URL{Path: filepath.ToSlash(rel)}).String()).WithURIBaseID(SARIFRootBase)
		} else {
			loc.WithURI((&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String())
		}
		region := sarif.NewRegion().
			WithStartLine(f.Span.Start.Line).WithStartColumn(f.Span.Start.Column).
			WithEndLine(max(f.Span.End.Line, f.Span.Start.Line)).WithEndColumn(max(f.Span.End.Column, 1))
		key := fingerprintKey(f, loc)
		seen[key]++
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", key, seen[key])))
		res := run.CreateResultForRule(f.Check).
			WithLevel(sarifLevel(f.Severity)).
			WithMessage(sarif.NewTextMessage(f.Message)).
			AddLocation(sarif.NewLocationWithPhysicalLocation(
				sarif.NewPhysicalLocation().WithArtifactLocation(loc).WithRegion(region)))
		res.PartialFingerprints = map[string]string{"huntlint/v1": hex.EncodeToString(sum[:16])}
		if fx := sarifFix(f, loc); fx != nil {
			res.Fixes = append(res.Fixes, fx)
		}
	}
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// sarifFix describes a finding's fix as byte-range replacements of the
// original file; the description says whether huntlint applies it by
// default (safe) or only with --unsafe-fixes.
func sarifFix(f linter.Finding, loc *sarif.ArtifactLocation) *sarif.Fix {
	if f.Fix == nil || f.Fix.Applicability == linter.FixNone || len(f.Fix.Edits) == 0 {
		return nil
	}
	change := sarif.NewArtifactChange().WithArtifactLocation(loc)
	for _, e := range f.Fix.Edits {
		change.Replacements = append(change.Replacements, sarif.NewReplacement().
			WithDeletedRegion(sarif.NewRegion().WithByteOffset(e.Start).WithByteLength(e.End-e.Start)).
			WithInsertedContent(sarif.NewArtifactContent().WithText(e.New)))
	}
	desc := fmt.Sprintf("%s (%s fix)", f.Fix.Description, f.Fix.Applicability)
	return sarif.NewFix().WithDescription(sarif.NewTextMessage(desc)).AddArtifactChange(change)
}

// fingerprintKey identifies a finding independently of its line, so that a
// finding keeps its fingerprint when lines above it change.
func fingerprintKey(f linter.Finding, loc *sarif.ArtifactLocation) string {
	uri := ""
	if loc.URI != nil {
		uri = *loc.URI
	}
	rule := ""
	if f.Rule != nil {
		rule = f.Rule.ID + "\x00" + f.Rule.Title
	}
	return strings.Join([]string{f.Check, uri, rule, withoutLines(f.Message)}, "\x00")
}

var (
	messageLineRE = regexp.MustCompile(`\bline \d+(, column \d+)?`)
	messagePathRE = regexp.MustCompile(`(\.(?:ya?ml|kql|csl|kusto|md|txt)):\d+(:\d+)?`)
)

// withoutLines drops the line numbers a message names ("(line 9)",
// "rules/x.yml:12"), which move when lines are added above.
func withoutLines(msg string) string {
	return messagePathRE.ReplaceAllString(messageLineRE.ReplaceAllString(msg, "line"), "$1")
}

// helpText is a check's documentation as plain text.
func helpText(d *linter.Doc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n\nExample:\n%s\nInstead:\n%s", d.Summary, d.Why, d.Bad, d.Good)
	if d.Fix != linter.FixNone {
		fmt.Fprintf(&b, "\nFix (%s): %s", d.Fix, d.FixDoc)
	}
	return b.String()
}

// helpMarkdown is a check's documentation as Markdown.
func helpMarkdown(d *linter.Doc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n%s\n\nExample:\n\n```yaml\n%s```\n\nInstead:\n\n```yaml\n%s```\n", d.Summary, d.Why, d.Bad, d.Good)
	if d.Fix != linter.FixNone {
		fmt.Fprintf(&b, "\nFix (%s): %s\n", d.Fix, d.FixDoc)
	}
	return b.String()
}
