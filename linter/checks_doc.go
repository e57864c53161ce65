package linter

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// ChecksFormats are the formats WriteChecks writes.
var ChecksFormats = []string{"text", "markdown", "json"}

// WriteChecks documents checks in format "text" (a table), "markdown" (the
// content of docs/checks.md) or "json".

func WriteChecks(w io.Writer, format string, checks []Check) error {
	switch format {
	case "text", "":
		return writeChecksText(w, checks)
	case "markdown":
		_, err := io.WriteString(w, ChecksMarkdown(checks))
		return err
	case "json":
		return writeChecksJSON(w, checks)
	}
	return fmt.Errorf("invalid format %q: use text, markdown or json", format)
}

func fixLabel(d *Doc) string {
	if d.Fix == FixNone {
		return "-"
	}
	return d.Fix.String()
}

// ExampleName is the file name d's examples are linted under: d.Example,
// or rule.yml, rule.yaml (sentinel) or query.kql (kql) by category.
func (d *Doc) ExampleName() string {
	switch {
	case d.Example != "":
		return d.Example
	case d.Category == "sentinel":
		return "rule.yaml"
	case d.Category == "kql":
		return "query.kql"
	}
	return "rule.yml"
}

// exampleCommand reports whether d's examples are command lines rather than
// file contents.
func (d *Doc) exampleCommand() bool { return strings.HasPrefix(d.Bad, "huntlint ") }

// BadOutput is what huntlint prints for d's Bad example, linted alone with
// d's check (recorded by TestDocExamples in checks_examples.go).
func (d *Doc) BadOutput() string { return exampleOutputs[d.ID] }

// ExampleCommand is the command, run in a folder that holds only the Bad
// example (as ExampleName), whose output BadOutput is: findings only
// (--quiet), of d's check only. cmd/huntlint's tests run it.
func (d *Doc) ExampleCommand() string {
	if d.exampleCommand() {
		return strings.Replace(strings.TrimSpace(d.Bad), "huntlint lint ", "huntlint lint --quiet ", 1)
	}
	cmd := "huntlint lint --quiet --select " + d.ID
	if d.ExampleCatalog == "v19" {
		cmd += " --catalog enterprise-attack-19.json"
	}
	return cmd + " " + d.ExampleName()
}

// exampleNote says under which catalog the examples were linted when it is
// not the embedded one.
func (d *Doc) exampleNote() string {
	if d.ExampleCatalog == "v19" {
		return "The example needs an ATT&CK release newer than the embedded one: its output is from a " +
			"v19-style catalog, the tests' fixture bundle mini-19.json, where TA0005 is Stealth."
	}
	return ""
}

func writeChecksText(w io.Writer, checks []Check) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCATEGORY\tSEVERITY\tFIX\tSUMMARY")
	for _, c := range checks {
		d := c.Doc()
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.ID, d.Category, d.Severity, fixLabel(d), d.Summary)
	}
	return tw.Flush()
}

// WriteCheckText explains one check in plain text (huntlint checks ID).
func WriteCheckText(w io.Writer, d *Doc) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s, %s)\n\n%s\n\n%s\n\nExample (%s):\n%s\n$ %s\n%s\nUse instead:\n%s", d.ID, d.Category, d.Severity,
		d.Summary, d.Why, d.ExampleName(), indent(d.Bad), d.ExampleCommand(), indent(d.BadOutput()), indent(d.Good))
	if n := d.exampleNote(); n != "" {
		fmt.Fprintf(&b, "\n%s\n", n)
	}
	if d.Fix != FixNone {
		fmt.Fprintf(&b, "\nFix (%s): %s\n", d.Fix, d.FixDoc)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func indent(s string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "    " + l
		}
	}
	return strings.Join(lines, "")
}

type jsonCheck struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Why      string `json:"why"`
	Bad      string `json:"bad"`
	Good     string `json:"good"`
	// File is the name the examples are linted under; Output what
	// Command prints for Bad (Good prints nothing).
	File    string   `json:"example_file"`
	Command string   `json:"example_command"`
	Output  string   `json:"bad_output"`
	Catalog string   `json:"example_catalog,omitempty"`
	Fix     string   `json:"fix"`
	FixDoc  string   `json:"fix_doc,omitempty"`
	Formats []string `json:"formats,omitempty"`
}

func writeChecksJSON(w io.Writer, checks []Check) error {
	out := make([]jsonCheck, 0, len(checks))
	for _, c := range checks {
		d := c.Doc()
		jc := jsonCheck{ID: d.ID, Category: d.Category, Severity: d.Severity.String(), Summary: d.Summary,
			Why: d.Why, Bad: d.Bad, Good: d.Good, Fix: d.Fix.String(), FixDoc: d.FixDoc,
			File: d.ExampleName(), Command: d.ExampleCommand(), Output: d.BadOutput(), Catalog: d.ExampleCatalog}
		if d.exampleCommand() {
			jc.File = ""
		}
		for _, f := range d.Formats {
			jc.Formats = append(jc.Formats, string(f))
		}
		out = append(out, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// ChecksMarkdown renders docs/checks.md from the checks' documentation.
func ChecksMarkdown(checks []Check) string {
	var b strings.Builder
	b.WriteString("# Checks\n\n")
	b.WriteString("<!-- Code generated by `huntlint checks --format markdown`. DO NOT EDIT.\n")
	b.WriteString("     Regenerate with: go test ./linter/ -run TestChecksDoc -update -->\n\n")
	b.WriteString("Every check huntlint runs, from its registry (`linter/registry.go`). Severities can be changed and\n")
	b.WriteString("checks disabled in `.huntlint.hcl` (see [config.md](config.md)); `--select` and `--ignore` take\n")
	b.WriteString("check IDs or categories. Fixes marked *safe* are applied by `huntlint fix` and `huntlint lint --fix`;\n")
	b.WriteString("*unsafe* ones only with `--unsafe-fixes`. Findings on a line can be silenced with\n")
	b.WriteString("`# huntlint:ignore CHECK -- reason` (YAML) or `// huntlint:ignore CHECK -- reason` (KQL).\n\n")
	b.WriteString("| ID | category | severity | fix | summary |\n| --- | --- | --- | --- | --- |\n")
	for _, c := range checks {
		d := c.Doc()
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s |\n", d.ID, d.ID, d.Category, d.Severity, fixLabel(d), mdCell(d.Summary))
	}
	for _, c := range checks {
		d := c.Doc()
		lang := exampleLang(d)
		fmt.Fprintf(&b, "\n## %s\n\n", d.ID)
		fmt.Fprintf(&b, "Category `%s` · severity `%s` · fix `%s`", d.Category, d.Severity, fixLabel(d))
		if len(d.Formats) > 0 {
			var fs []string
			for _, f := range d.Formats {
				fs = append(fs, string(f))
			}
			fmt.Fprintf(&b, " · formats %s", strings.Join(fs, ", "))
		}
		fmt.Fprintf(&b, "\n\n%s.\n\n### Why it matters\n\n%s\n", capitalize(d.Summary), d.Why)
		if d.exampleCommand() {
			fmt.Fprintf(&b, "\n### Example\n\n```console\n$ %s\n%s```\n", d.ExampleCommand(), d.BadOutput())
			fmt.Fprintf(&b, "\n### Use instead\n\n```console\n$ %s\n```\n", strings.TrimSpace(d.Good))
		} else {
			fmt.Fprintf(&b, "\n### Example\n\n`%s`:\n\n%s%s\n%s%s\n\n", d.ExampleName(), fence(d.Bad), lang, d.Bad, fence(d.Bad))
			fmt.Fprintf(&b, "%sconsole\n$ %s\n%s%s\n", fence(d.BadOutput()), d.ExampleCommand(), d.BadOutput(), fence(d.BadOutput()))
			if n := d.exampleNote(); n != "" {
				fmt.Fprintf(&b, "\n%s\n", n)
			}
			fmt.Fprintf(&b, "\n### Use instead\n\n`%s`, corrected; huntlint reports nothing on it:\n\n%s%s\n%s%s\n", d.ExampleName(), fence(d.Good), lang, d.Good, fence(d.Good))
		}
		if d.Fix != FixNone {
			fmt.Fprintf(&b, "\n### Fix (%s)\n\n%s\n", d.Fix, d.FixDoc)
		}
		if d.Notes != "" {
			fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(d.Notes))
		}
	}
	return b.String()
}

// fence is a Markdown code fence longer than any run of backticks in s.
func fence(s string) string {
	f := "```"
	for strings.Contains(s, f) {
		f += "`"
	}
	return f
}

// exampleLang is the code-fence language of d's examples.
func exampleLang(d *Doc) string {
	switch {
	case strings.HasSuffix(d.ExampleName(), ".kql"):
		return "kusto"
	case strings.HasSuffix(d.ExampleName(), ".md"):
		return "markdown"
	}
	return "yaml"
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// productPlatformsMarkdown renders ProductPlatforms as a Markdown table.
func productPlatformsMarkdown() string {
	var b strings.Builder
	b.WriteString("### Sigma product to ATT&CK platform table\n\n")
	b.WriteString("Rules whose `logsource.product` is not listed are not checked. Platform names are ATT&CK's own\n")
	b.WriteString("(a test checks each against the catalog). Techniques of the platforms " + strings.Join(AnyPlatform, ", ") + "\n")
	b.WriteString("(reconnaissance and resource development, seen from outside) match every product. ESXi is listed\n")
	b.WriteString("under linux because ESXi hosts log through Linux-style syslog sources.\n\n")
	b.WriteString("| Sigma product | ATT&CK platforms |\n| --- | --- |\n")
	keys := make([]string, 0, len(ProductPlatforms))
	for k := range ProductPlatforms {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "| `%s` | %s |\n", k, strings.Join(ProductPlatforms[k], ", "))
	}
	return b.String()
}
