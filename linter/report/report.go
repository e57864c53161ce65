// Package report writes the findings of a lint run in each output format:
// text (text.go), JSON (json.go), SARIF (sarif.go) and GitHub workflow
// commands (github.go), one Formatter per file, and the catalog block and
// outdated note they share (catalog.go).
package report

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper"
)

// Input is what formatters print: the result of a run and the catalog it
// was checked against.
type Input struct {
	Result  *linter.Result
	Catalog *mapper.Catalog // may be nil
	// Checks documents every check of the registry (for SARIF rule help);
	// nil means linter.Registry().
	Checks []linter.Check
	// MaxAge is how old the catalog may be before the report says it is
	// outdated (catalog max_age); 0 means linter.DefaultMaxAge.
	MaxAge time.Duration
}

// Formatter writes a report in one format.
type Formatter interface {
	Format(w io.Writer, rep *Input) error
}

// Options tune the formatters.
type Options struct {
	// Color enables ANSI colours (text); set it only for a terminal without
	// NO_COLOR.
	Color bool
	// ShowSource prints the source line and a caret under each finding (text).
	ShowSource bool
	// Statistics adds counts per check (text).
	Statistics bool
	// NoSummary drops the closing summary line (text; --quiet).
	NoSummary bool
	// SrcRoot is the folder that SARIF URIs are relative to (%SRCROOT%);
	// "" means the working folder.
	SrcRoot string
	// ToolVersion is huntlint's version for the SARIF driver.
	ToolVersion string
}

// Formats lists the report formats, in the order shown in help.
var Formats = []string{"text", "json", "sarif", "github"}

// New returns the formatter for format, one of Formats.
func New(format string, opts Options) (Formatter, error) {
	switch format {
	case "text", "":
		return &Text{opts: opts}, nil
	case "json":
		return JSON{}, nil
	case "sarif":
		return &SARIF{srcRoot: opts.SrcRoot, version: opts.ToolVersion}, nil
	case "github":
		return GitHub{}, nil
	}
	return nil, fmt.Errorf("invalid format %q: use %s", format, strings.Join(Formats, ", "))
}

// checkCounts returns the number of findings per check, by check ID.
func checkCounts(fs []linter.Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Check]++
	}
	return m
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fixable counts findings with a fix of applicability app.
func fixable(fs []linter.Finding, app linter.Applicability) int {
	n := 0
	for _, f := range fs {
		if f.Fix != nil && f.Fix.Applicability == app {
			n++
		}
	}
	return n
}

// sourceCache reads each file once for source excerpts.
type sourceCache map[string][]string

// line returns line n (1-based) of path without its line break.
func (c sourceCache) line(f linter.Finding, n int) (string, bool) {
	lines, ok := c[f.Path]
	if !ok {
		var src []byte
		if f.Rule != nil && f.Rule.Source != nil {
			src = f.Rule.Source
		} else {
			src, _ = os.ReadFile(f.Path)
		}
		lines = strings.Split(string(src), "\n")
		c[f.Path] = lines
	}
	if n < 1 || n > len(lines) {
		return "", false
	}
	return strings.TrimRight(lines[n-1], "\r"), true
}
