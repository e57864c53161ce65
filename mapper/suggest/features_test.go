package suggest

import (
	"reflect"
	"sort"
	"testing"

	"github.com/huntlint/huntlint/rules"
)

func loadOne(t *testing.T, path string) *rules.Rule {
	t.Helper()
	rs, probs := rules.Load(path)
	if len(probs) > 0 || len(rs) != 1 {
		t.Fatalf("load %s: %d rules, problems %v", path, len(rs), probs)
	}
	return rs[0]
}

func TestExtractSigma(t *testing.T) {
	f := extract(loadOne(t, "testdata/rundll32.yml"), defaultFeatures)
	for _, term := range []string{"rundll32", "rundll32.exe", "temp", "f:image", "f:commandline", "f:parentimage", "ls:category:process_creation", "ls:product:windows", "dll"} {
		if f.terms[term] == 0 {
			t.Errorf("term %q missing", term)
		}
	}
	for term := range f.terms {
		if attackIDRe.MatchString(term) || term == "t1218" || term == "011" {
			t.Errorf("ATT&CK ID leaked into the features as %q", term)
		}
	}
	if _, ok := f.files["rundll32.exe"]; !ok {
		t.Errorf("rundll32.exe not seen as the process")
	}
	if _, ok := f.files["msiexec.exe"]; ok {
		t.Errorf("the ParentImage msiexec.exe was taken as the process")
	}
	if f.category != "process_creation" {
		t.Errorf("category %q", f.category)
	}
}

func TestStripIDs(t *testing.T) {
	for in, want := range map[string]string{
		"T1059.001 PowerShell":         "  PowerShell",
		"see attack.t1003 and TA0006":  "see   and  ",
		"T1566/002 link":               "  link",
		"no id here, T12345 is no tag": "no id here, T12345 is no tag",
	} {
		if got := stripIDs(in); got != want {
			t.Errorf("stripIDs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitKQL(t *testing.T) {
	code, lits, comments := splitKQL("// T1053 scheduled tasks\nSecurityEvent | where EventID in (\"4698\", 4702) and CommandLine has @'C:\\x' // \"tail\"\n| where Url has \"http://a//b\"")
	if want := []string{"4698", `C:\x`, "http://a//b"}; !reflect.DeepEqual(lits, want) {
		t.Errorf("literals %q, want %q", lits, want)
	}
	if want := []string{" T1053 scheduled tasks", ` "tail"`}; !reflect.DeepEqual(comments, want) {
		t.Errorf("comments %q, want %q", comments, want)
	}
	f := newFeatures()
	f.kql("// T1053 scheduled tasks\nSecurityEvent | where EventID in (\"4698\", 4702)")
	var ids []string
	for id := range f.eventIDs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if !reflect.DeepEqual(ids, []string{"4698", "4702"}) {
		t.Errorf("event IDs %v, want [4698 4702] (code %q)", ids, code)
	}
	if !f.tables["securityevent"] || f.terms["scheduled"] == 0 {
		t.Errorf("table identifier or comment words missing: %v", f.terms)
	}
	if f.terms["t1053"] != 0 {
		t.Errorf("ATT&CK ID in a comment leaked into the features")
	}
}
