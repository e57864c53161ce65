// Package linter runs checks over loaded rules and reports findings.
package linter

import (
	"fmt"
	"hash/maphash"
	"slices"

	"github.com/huntlint/huntlint/internal/yamledit"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// Severity is how serious a finding is.
type Severity int

// Severities, in increasing order.
const (
	SeverityInfo Severity = iota + 1
	SeverityWarning
	SeverityError
)

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInfo:
		return "info"
	}
	return "unknown"
}

// Applicability says when a fix may be applied.
type Applicability int

// Fix applicability.
const (
	FixNone   Applicability = iota // the check never fixes
	FixSafe                        // applied by `fix` and `lint --fix`
	FixUnsafe                      // applied only with --unsafe-fixes
)

// String returns "none", "safe" or "unsafe".
func (a Applicability) String() string {
	switch a {
	case FixSafe:
		return "safe"
	case FixUnsafe:
		return "unsafe"
	}
	return "none"
}

// Edit replaces the bytes [Start, End) of a file's original text with New
// (the edit engine's type, internal/yamledit).
type Edit = yamledit.Edit

// Fix is a set of edits on one file that resolves one finding.
type Fix struct {
	Applicability Applicability
	Description   string // "replace attack.t1150 with attack.t1647"
	Edits         []Edit
}

// Finding is the one diagnostic type of huntlint.
type Finding struct {
	Check    string // check ID
	Severity Severity
	Path     string
	Span     rules.Span
	Message  string
	Rule     *FindingRule // nil for file-level findings (load errors)
	Fix      *Fix         // nil when not fixable
}

// FindingRule is what a finding keeps of its rule: what the reports print
// and, for a finding with a fix, which text of the file the fix was made
// against (the fix engine reads the file again and refuses a fix made
// against other text). A finding holds no more of the rule, so that a lint
// run does not keep every rule it loaded.
type FindingRule struct {
	ID, Title string
	Format    rules.Format
	// Source is the whole file's text, shared with the loader, when the
	// finding's maker keeps it (migrate); the runner keeps only Sum.
	Source []byte
	// Sum is SourceSum of that text when the runner made the finding (one
	// FindingRule per rule, shared by its findings with and without a fix);
	// 0 when the maker records no text.
	Sum uint64
}

// RuleOf returns the FindingRule of r, with its text when withSource.
func RuleOf(r *rules.Rule, withSource bool) *FindingRule {
	fr := &FindingRule{ID: r.ID, Title: r.Title, Format: r.Format}
	if withSource {
		fr.Source = r.Source
	}
	return fr
}

var sumSeed = maphash.MakeSeed()

// SourceSum is a checksum of a file's text, stable within one process and
// never 0: what a finding with a fix keeps instead of the text.
func SourceSum(src []byte) uint64 {
	return maphash.Bytes(sumSeed, src) | 1
}

// Doc is the documentation of a check: one value that feeds `huntlint
// checks`, docs/checks.md and SARIF rule help.
type Doc struct {
	ID       string // kebab-case, stable forever
	Category string // attack, sigma, sentinel, kql, load
	// Group, when set, makes the check opt-in: it runs only when --select
	// names it or its group, the configuration's lint preset includes the
	// group, or its check block says enabled = true (see OptInGroups).
	Group    string
	Severity Severity
	Summary  string // one line, lower case, no period
	Why      string // a paragraph: why it matters
	Bad      string // a complete file that, linted alone with this check, triggers it
	Good     string // the same file, corrected: it triggers nothing
	Fix      Applicability
	FixDoc   string // what the fix does and why it is (un)safe
	// Formats are the rule formats the check applies to; empty means all.
	// The runner runs the check only on rules of these formats, and hands
	// its RunSet only those (see AppliesTo).
	Formats []rules.Format
	// Notes is optional extra Markdown for docs/checks.md (tables, lists).
	Notes string
	// Example is the file name the examples are linted under, which decides
	// their format; empty means rule.yml (Sigma), or rule.yaml for sentinel
	// and query.kql for kql checks (ExampleName). A Bad that is a command
	// line ("huntlint lint PATH...") is run as one instead.
	Example string
	// ExampleCatalog names the catalog the examples need when the embedded
	// one cannot show the check: "v19", the tests' v19-style fixture bundle
	// mini-19.json. Empty means the embedded catalog.
	ExampleCatalog string
}

// AppliesTo reports whether the check runs on rules of format f.
func (d *Doc) AppliesTo(f rules.Format) bool {
	return len(d.Formats) == 0 || slices.Contains(d.Formats, f)
}

// Context is what a check sees for one rule.
type Context struct {
	Rule    *rules.Rule
	Catalog *mapper.Catalog
	Config  *Config
	// Suggest proposes a technique for a rule without one; nil when no
	// suggester is wired (attack-missing-technique then names none).
	Suggest TechniqueSuggester

	check  Check
	report func(Finding)
	refs   []RefInfo // resolved lazily by Refs
	// found is the FindingRule of Rule, made once and shared by all its
	// findings and its cross-file facts.
	found *FindingRule
	// named counts, per field and object, the references naming a live
	// object by its current name (see listedAs); built on first use.
	named map[namedKey]int
	// ahead caches Ahead: 0 unknown, 1 no, 2 yes.
	ahead int8
}

// TechniqueSuggester proposes the best technique for an untagged rule; ok is
// false when it has nothing to propose.
type TechniqueSuggester func(r *rules.Rule, cat *mapper.Catalog) (technique *mapper.Object, ok bool)

// Report records a finding for the current rule; Check, Severity, Path and
// Rule are filled in when empty.
func (c *Context) Report(f Finding) {
	if c.check != nil {
		d := c.check.Doc()
		if f.Check == "" {
			f.Check = d.ID
		}
		if f.Severity == 0 {
			f.Severity = d.Severity
		}
	}
	if f.Path == "" && c.Rule != nil {
		f.Path = c.Rule.Path
	}
	if f.Rule == nil && c.Rule != nil {
		f.Rule = c.findingRule()
	}
	c.report(f)
}

// findingRule returns the FindingRule of the context's rule, with the sum
// of its text (which fixes are made against), made once per rule: one
// FindingRule is shared by every finding of the rule, fixable or not.
func (c *Context) findingRule() *FindingRule {
	if c.found == nil {
		c.found = RuleOf(c.Rule, false)
		c.found.Sum = SourceSum(c.Rule.Source)
	}
	return c.found
}

// Reportf reports a finding at span with a formatted message.
func (c *Context) Reportf(span rules.Span, fix *Fix, format string, args ...any) {
	c.Report(Finding{Span: span, Message: fmt.Sprintf(format, args...), Fix: fix})
}

// fileFinding is a finding the runner makes about a file rather than a rule
// (load problems, skipped files, unused suppressions): check d at span, with
// the configured severity.
func fileFinding(d *Doc, path string, span rules.Span, msg string, cfg *Config) Finding {
	return complete(Finding{Check: d.ID, Path: path, Span: span, Message: msg}, d, cfg)
}

// Check is one lint check.
type Check interface {
	Doc() *Doc
	// Run inspects one rule. It must be safe for concurrent use.
	Run(ctx *Context)
}

// SetChecker is implemented by checks that also look across all rules
// (duplicate IDs); it runs after the parallel per-rule phase, on the small
// facts taken of each rule while its file was linted (set_facts.go).
type SetChecker interface {
	RunSet(rs []*setRule, cat *mapper.Catalog, cfg *Config, report SetReport)
}

// SetReport receives the findings of a cross-file check.
type SetReport func(Finding)

// Reportf reports a finding on rule r at span with a formatted message, as
// Context.Reportf does in the per-rule phase; the runner fills in the check
// and its severity.
func (report SetReport) Reportf(r *setRule, span rules.Span, fix *Fix, format string, args ...any) {
	report(Finding{Path: r.Path, Span: span, Message: fmt.Sprintf(format, args...), Rule: r.Rule, Fix: fix})
}
