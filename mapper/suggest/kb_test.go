package suggest

import (
	"strings"
	"testing"

	"github.com/huntlint/huntlint/mapper"
)

// embedded opens the embedded catalog (no network, no cache).
func embedded(t testing.TB) *mapper.Catalog {
	t.Helper()
	cat, err := mapper.Open(mapper.Options{Offline: true, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestKBTechniquesAreLive(t *testing.T) {
	cat := embedded(t)
	k, err := parseKB(kbYAML)
	if err != nil {
		t.Fatal(err)
	}
	if len(k.entries) < 100 {
		t.Fatalf("knowledge base has %d entries, want at least 100", len(k.entries))
	}
	for _, e := range k.entries {
		o, ok := cat.Get(mapper.TypeTechnique, e.Technique)
		switch {
		case !ok:
			t.Errorf("kb.yaml:%d: unknown technique %q", e.Line, e.Technique)
		case o.Status != mapper.StatusActive:
			t.Errorf("kb.yaml:%d: technique %q is %s", e.Line, e.Technique, o.Status)
		}
		n := len(e.Process) + len(e.Cmdline) + len(e.Registry) + len(e.EventID) + len(e.Sysmon) + len(e.Table) + len(e.ActionType) + len(e.Logsource)
		if n == 0 {
			t.Errorf("kb.yaml:%d: entry for %s has no indicator", e.Line, e.Technique)
		}
		for _, l := range e.Logsource {
			kind, val, ok := strings.Cut(l, ":")
			if !ok || val == "" || (kind != "category" && kind != "product" && kind != "service") {
				t.Errorf("kb.yaml:%d: logsource %q: want category:x, product:x or service:x", e.Line, l)
			}
		}
		for _, c := range e.Cmdline {
			if strings.TrimSpace(c) == "" {
				t.Errorf("kb.yaml:%d: empty command-line fragment", e.Line)
			}
		}
	}
}

func TestParseKBErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"- technique: T1059\n  proces: [a.exe]\n", `line 2: unknown key "proces"`},
		{"- weight: 0.5\n  process: [a.exe]\n", "line 1: entry without technique"},
		{"- technique: T1059\n  weight: 2\n  process: [a.exe]\n", "line 1: weight 2 is outside [0,1]"},
		{"technique: T1059\n", "expected a list of entries"},
	} {
		_, err := parseKB([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseKB(%q) = %v, want error containing %q", tc.in, err, tc.want)
		}
	}
}

func TestKBMatchKinds(t *testing.T) {
	k, err := parseKB([]byte(`
- technique: T1
  weight: 0.5
  process: [rundll32.exe]
- technique: T2
  cmdline: ["-encodedcommand"]
- technique: T3
  registry: ["\\currentversion\\run"]
- technique: T4
  eventid: ["4698"]
- technique: T5
  sysmon: ["8"]
- technique: T6
  table: [DeviceProcessEvents]
- technique: T7
  actiontype: [ScheduledTaskCreated]
- technique: T8
  logsource: ["category:wmi_event"]
- technique: T9
  weight: 0.5
  process: [a.exe]
  cmdline: [b]
`))
	if err != nil {
		t.Fatal(err)
	}
	f := newFeatures()
	f.value(`C:\Windows\System32\rundll32.exe`, "image")
	f.value(`powershell -EncodedCommand abc`, "commandline")
	f.value(`HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x`, "targetobject")
	f.value("4698", "eventid")
	f.value("8", "eventid")
	f.kql("DeviceEvents | where ActionType == \"ScheduledTaskCreated\" // not DeviceProcessEvents\n| join DeviceProcessEvents on X")
	f.category = "wmi_event"
	f.value(`c:\a.exe b`, "image")

	got := k.match(f)
	want := map[string]string{
		"T1": `process "rundll32.exe"`,
		"T2": `command line "-encodedcommand"`,
		"T3": `registry "\currentversion\run"`,
		"T4": "event ID 4698",
		"T6": "table DeviceProcessEvents",
		"T7": `action "ScheduledTaskCreated"`,
		"T8": `logsource category "wmi_event"`,
	}
	for tech, ev := range want {
		h := got[tech]
		if h == nil || len(h.evidence) != 1 || h.evidence[0] != ev {
			t.Errorf("%s: got %+v, want evidence %q", tech, h, ev)
		}
	}
	if got["T1"].score != 0.5 || got["T2"].score != defaultWeight {
		t.Errorf("scores: T1 %v (want 0.5), T2 %v (want %v)", got["T1"].score, got["T2"].score, defaultWeight)
	}
	if h := got["T9"]; h == nil || h.score != 0.75 {
		t.Errorf("T9: two indicators of weight 0.5 combine to 0.75, got %+v", h)
	}
	if got["T5"] != nil {
		t.Errorf("T5: Sysmon event 8 matched a rule that does not read Sysmon")
	}
	f.sysmon = true
	if got := k.match(f); got["T5"] == nil {
		t.Errorf("T5: Sysmon event 8 not matched on a Sysmon rule")
	}
}

func TestKBParentImageIsNotTheProcess(t *testing.T) {
	k, _ := parseKB([]byte("- technique: T1\n  process: [winword.exe]\n"))
	f := newFeatures()
	f.value(`\winword.exe`, "parentimage")
	if h := k.match(f)["T1"]; h != nil {
		t.Errorf("a ParentImage value counted as the process: %+v", h)
	}
}
