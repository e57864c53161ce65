// Package hostile generates the hostile single Sigma rules of the linear
// time benchmarks and tests: valid rules with many elements of one kind,
// the shapes that once made huntlint take quadratic time on one file
// (issue 21). Nothing here is committed data; every text is generated.
package hostile

import (
	"fmt"
	"strings"
)

// Shape is one kind of hostile rule.
type Shape struct {
	Name string
	// Gen returns the text of a rule with n elements.
	Gen func(n int) string
}

// Shapes are the shapes, in benchmark order: the four of issue 21, and a
// condition naming many searches that do not exist.
var Shapes = []Shape{
	{"searches", Searches},
	{"wildcards", Wildcards},
	{"duptags", DupTags},
	{"oneline", OneLine},
	{"unknownrefs", UnknownRefs},
}

const head = "title: Hostile %s\n" +
	"id: 5f0c6e9e-8d4b-4c55-9a57-0a7a3c1f0%03d\n" +
	"status: test\n" +
	"description: A generated rule with many elements.\n" +
	"author: huntlint\n" +
	"date: 2024-01-01\n" +
	"logsource:\n" +
	"    category: process_creation\n" +
	"    product: windows\n"

// Searches is a rule with n search identifiers, each named in one long
// condition: no findings.
func Searches(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, head, "searches", 1)
	b.WriteString("detection:\n")
	names := make([]string, n)
	for i := range n {
		names[i] = fmt.Sprintf("selection_%d", i)
		fmt.Fprintf(&b, "    %s:\n        Image|endswith: '\\tool%d.exe'\n", names[i], i)
	}
	fmt.Fprintf(&b, "    condition: %s\n", strings.Join(names, " or "))
	b.WriteString("level: medium\ntags:\n    - attack.execution\n    - attack.t1059\n")
	return b.String()
}

// Wildcards is a rule with one field of n values wrapped in wildcards: one
// sigma-wildcard-modifier finding whose fix edits n values.
func Wildcards(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, head, "wildcards", 2)
	b.WriteString("detection:\n    selection:\n        CommandLine:\n")
	for i := range n {
		fmt.Fprintf(&b, "            - '*word%d*'\n", i)
	}
	b.WriteString("    condition: selection\nlevel: medium\ntags:\n    - attack.execution\n    - attack.t1059\n")
	return b.String()
}

// DupTags is a rule whose tags list holds one technique n times: n-1
// attack-duplicate-tag findings, each with a fix.
func DupTags(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, head, "duptags", 3)
	b.WriteString("detection:\n    selection:\n        Image|endswith: '\\tool.exe'\n    condition: selection\n")
	b.WriteString("level: medium\ntags:\n    - attack.execution\n")
	for range n {
		b.WriteString("    - attack.t1059.001\n")
	}
	return b.String()
}

// OneLine is a whole rule on one line, a flow mapping whose tags list holds
// n tags (a tactic and a technique, repeated): n-2 duplicate-tag findings on
// one line, each with a fix. The line holds multi-byte characters before
// the tags, so that every column of a finding counts characters, not bytes.
func OneLine(n int) string {
	var b strings.Builder
	b.WriteString("{title: Hostile oneline, id: 5f0c6e9e-8d4b-4c55-9a57-0a7a3c1f0004, status: test, " +
		"description: Une règle générée sur une ligne., author: huntlint, date: 2024-01-01, " +
		"logsource: {category: process_creation, product: windows}, " +
		"detection: {selection: {Image|endswith: '\\tool.exe'}, condition: selection}, level: medium, tags: [")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		if i%2 == 0 {
			b.WriteString("attack.execution")
		} else {
			b.WriteString("attack.t1059.001")
		}
	}
	b.WriteString("]}\n")
	return b.String()
}

// UnknownRefs is a rule with n search identifiers and a condition naming
// each of them and n that do not exist: n sigma-condition-error findings
// on one long condition line, each listing the defined identifiers.
func UnknownRefs(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, head, "unknownrefs", 5)
	b.WriteString("detection:\n")
	refs := make([]string, 0, 2*n)
	for i := range n {
		fmt.Fprintf(&b, "    selection_%d:\n        Image|endswith: '\\tool%d.exe'\n", i, i)
		refs = append(refs, fmt.Sprintf("selection_%d", i), fmt.Sprintf("missing_%d", i))
	}
	fmt.Fprintf(&b, "    condition: %s\n", strings.Join(refs, " or "))
	b.WriteString("level: medium\ntags:\n    - attack.execution\n    - attack.t1059\n")
	return b.String()
}
