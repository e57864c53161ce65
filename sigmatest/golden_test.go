package sigmatest

import (
	"bytes"
	"fmt"
	"github.com/huntlint/huntlint/internal/golden"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestGoldenEventShapes flattens each event shape of testdata/events into
// its .out golden: one block of name = value lines per event.
func TestGoldenEventShapes(t *testing.T) {
	files, _ := filepath.Glob("testdata/events/*.json*")
	for _, f := range files {
		if strings.HasSuffix(f, ".out") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			evs, err := ParseEvents(data)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			for i, ev := range evs {
				fmt.Fprintf(&b, "# event %d\n", i+1)
				if err := ev.Dump(&b); err != nil {
					t.Fatal(err)
				}
			}
			golden.File(t, f+".out", b.Bytes())
		})
	}
}

// TestGoldenLogsourceMap resolves every logsource the built-in map names
// (each entry's category, product and service) into its variants.
func TestGoldenLogsourceMap(t *testing.T) {
	golden.File(t, "testdata/logsources.golden", resolveAll(DefaultMap()))
}

// TestGoldenLogsourceMapFile does the same for a mapping file in
// thor.yml's format that uses each of its features.
func TestGoldenLogsourceMapFile(t *testing.T) {
	m, err := LoadLogsourceMap("testdata/logsource_map.yml")
	if err != nil {
		t.Fatal(err)
	}
	golden.File(t, "testdata/logsource_map.golden", resolveAll(m))
}

// resolveAll resolves each logsource m's entries name, and a few no entry
// names, one line per variant.
func resolveAll(m *LogsourceMap) []byte {
	seen := map[string]bool{}
	var keys []string
	for _, e := range m.Entries {
		k := e.Category + "\x00" + e.Product + "\x00" + e.Service
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	// Logsources no entry names: a product alone, and an unknown one.
	for _, k := range []string{"\x00windows\x00", "\x00linux\x00", "webserver\x00\x00", "process_creation\x00macos\x00"} {
		if !seen[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for _, k := range keys {
		p := strings.Split(k, "\x00")
		fmt.Fprintf(&b, "category=%s product=%s service=%s\n", p[0], p[1], p[2])
		for _, v := range m.Resolve(p[0], p[1], p[2]) {
			fmt.Fprintf(&b, "  %s\n", v)
		}
	}
	return b.Bytes()
}
