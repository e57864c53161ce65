package suggest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

func TestBridgeParses(t *testing.T) {
	b, err := theBridge()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"DeviceProcessEvents", "deviceprocessevents", "SecurityEvent", "SigninLogs", "_Im_ProcessCreate"} {
		if b.table(name) == nil {
			t.Errorf("table %s is not mapped", name)
		}
	}
	dpe := b.table("DeviceProcessEvents")
	for col, want := range map[string]string{"ProcessCommandLine": "commandline", "FolderPath": "image", "InitiatingProcessFileName": "parentimage"} {
		if got := b.field([]*bridgeEntry{dpe}, col); got != want {
			t.Errorf("DeviceProcessEvents.%s = %q, want %q", col, got, want)
		}
	}
	if got := b.field([]*bridgeEntry{b.table("SecurityEvent")}, "NewProcessName"); got != "image" {
		t.Errorf("SecurityEvent.NewProcessName = %q, want image", got)
	}
	if got := b.field([]*bridgeEntry{b.table("DeviceLogonEvents")}, "InitiatingProcessFileName"); got != contextField {
		t.Errorf("DeviceLogonEvents.InitiatingProcessFileName = %q, want context", got)
	}
	if got := b.field(nil, "ProcessCommandLine"); got != "commandline" {
		t.Errorf("any table's ProcessCommandLine = %q, want commandline", got)
	}
}

func TestBridgeErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"- logsource: {category: x}\n", "line 1: entry without table"},
		{"- table: A\n  logsource: {kind: x}\n", `unknown logsource key "kind"`},
		{"- table: A\n  columns: {B: ''}\n", "column B maps to nothing"},
		{"- table: A\n- table: a\n", "line 2: table a mapped twice"},
		{"{}", "expected a list of tables"},
	} {
		_, err := parseBridge([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.in, err, c.want)
		}
	}
}

// TestBridgeAgainstSigmaHQ checks that every Sigma category, product and
// service of the bridge is one SigmaHQ's rules use, and every Sigma field a
// column maps to is a field SigmaHQ's rules of that logsource (or of any
// logsource, for the "*" entry and logsources without a category) select.
func TestBridgeAgainstSigmaHQ(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus")
	}
	rs := loadTree(t, filepath.Join(testshared.Corpus(t, "sigmahq-2026-04-28"), "rules"))
	s, err := New(embedded(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}              // "category:x", "product:x", "service:x"
	fields := map[string]map[string]bool{} // category -> fields ("" for all)
	for _, r := range rs {
		f := s.features(r)
		for k, v := range map[string]string{"category": f.category, "product": f.product, "service": f.service} {
			if v != "" {
				seen[k+":"+v] = true
			}
		}
		for term := range f.terms {
			if name, ok := strings.CutPrefix(term, "f:"); ok {
				for _, key := range []string{f.category, ""} {
					if fields[key] == nil {
						fields[key] = map[string]bool{}
					}
					fields[key][name] = true
				}
			}
		}
	}
	b, _ := theBridge()
	entries := append([]*bridgeEntry{b.any}, mapValues(b.tables)...)
	for _, e := range entries {
		for k, v := range e.Logsource {
			if !seen[k+":"+strings.ToLower(v)] {
				t.Errorf("bridge line %d (%s): no SigmaHQ rule has logsource %s %s", e.Line, e.Table, k, v)
			}
		}
		known := fields[""]
		if c := strings.ToLower(e.Logsource["category"]); c != "" {
			known = fields[c]
		}
		for col, field := range e.columns {
			if field != contextField && !known[field] {
				t.Errorf("bridge line %d (%s): column %s maps to %s, a field no SigmaHQ rule of its logsource selects", e.Line, e.Table, col, field)
			}
		}
	}
}

func mapValues[V any](m map[string]V) []V {
	var out []V
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

// TestBridgeAgainstMicrosoftSchema checks every table and column of the
// bridge against the column names of Microsoft's schema reference
// (testdata/bridge_schema.txt), spelled as there; a column of the "*"
// entry must be a column of some table.
func TestBridgeAgainstMicrosoftSchema(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bridge_schema.txt"))
	if err != nil {
		t.Fatal(err)
	}
	schema := map[string]map[string]bool{}
	anyTable := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		table, cols, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("schema line %q has no table", line)
		}
		schema[table] = map[string]bool{}
		for _, c := range strings.Fields(cols) {
			schema[table][c] = true
			anyTable[c] = true
		}
	}
	b, err := theBridge()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range append([]*bridgeEntry{b.any}, mapValues(b.tables)...) {
		known := anyTable
		if e.Table != "*" {
			known = schema[e.Table]
			if known == nil {
				t.Errorf("bridge line %d: table %s is not in Microsoft's schema reference as spelled", e.Line, e.Table)
				continue
			}
		}
		for col := range e.Columns {
			if !known[col] {
				t.Errorf("bridge line %d (%s): column %s is not a column of the table in Microsoft's schema reference", e.Line, e.Table, col)
			}
		}
	}
}
