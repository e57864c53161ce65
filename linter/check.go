// Package linter runs checks over loaded rules and reports findings.
package linter

import (
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

// Edit replaces the bytes [Start, End) of a file's original text with New.
type Edit struct {
	Start, End int
	New        string
}

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
	Rule     *rules.Rule // nil for file-level findings (load errors)
	Fix      *Fix        // nil when not fixable
}

// Doc is the documentation of a check: one value that feeds `huntlint
// checks`, docs/checks.md and SARIF rule help.
type Doc struct {
	ID       string // kebab-case, stable forever
	Category string // attack, sigma, sentinel, kql, load
	Severity Severity
	Summary  string // one line, lower case, no period
	Why      string // a paragraph: why it matters
	Bad      string // an example that triggers the check
	Good     string // the same example, corrected
	Fix      Applicability
	FixDoc   string // what the fix does and why it is (un)safe
	Formats  []rules.Format
}

// Context is what a check sees for one rule.
type Context struct {
	Rule    *rules.Rule
	Catalog *mapper.Catalog
	Config  *Config
	report  func(Finding)
}

// Report records a finding for the current rule; Check, Severity, Path and
// Rule are filled in when empty.
func (c *Context) Report(f Finding) { c.report(f) }

// Check is one lint check.
type Check interface {
	Doc() *Doc
	// Run inspects one rule. It must be safe for concurrent use.
	Run(ctx *Context)
}

// SetChecker is implemented by checks that also look across all rules
// (duplicate IDs); it runs after the parallel per-rule phase.
type SetChecker interface {
	RunSet(rs []*rules.Rule, cat *mapper.Catalog, cfg *Config, report func(Finding))
}
