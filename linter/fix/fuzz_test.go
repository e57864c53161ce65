package fix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/linttest"
	"github.com/huntlint/huntlint/linter"
)

// pipelineNames are the file names FuzzFixPipeline gives each input, one
// per format: Sigma, Sentinel, KQL and Markdown.
var pipelineNames = []string{"r.yml", "r.yaml", "q.kql", "h.md"}

// FuzzFixPipeline runs the whole pipeline on any text in every format:
// lint, fix (safe and unsafe, to a fixed point, re-linting each pass),
// relint, fix again. Nothing panics; a text that loaded still loads after
// the fix, with no load error; and the second fix changes nothing.
func FuzzFixPipeline(f *testing.F) {
	files, _ := filepath.Glob("testdata/in/*")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4096 {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"title: t\nid: 5d4f2a8e-1111-4c3a-9a55-123456789abc\nstatus: test\nlevel: high\ntags:\n  - attack.t1086\n  - attack.Execution\n  - attack.t1059.001\nlogsource:\n  product: windows\ndetection:\n  sel:\n    Image|endswith: x.exe\n  condition: sel\n",
		"title: t\ntags: [attack.t1086, attack.t1086, attack_execution]\nlogsource: {product: windows}\ndetection: {sel: {a: b}, condition: sel}\n",
		"id: 5d4f2a8e-1111-4c3a-9a55-123456789abc\nname: q\ndescription: d\nseverity: Medium\nrequiredDataConnectors: []\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\ntactics:\n  - execution\nrelevantTechniques:\n  - T1086\nquery: |\n  SecurityEvent | take 1\nversion: 1.0.0\nkind: Scheduled\n",
		"// Tactics: Execution\n// Techniques: T1086\nSecurityEvent | where EventID == 4688\n",
		"# Hunt\n\nTechniques: T1086, t1059.001\n\n```kql\nSecurityEvent | take 1\n```\n",
	} {
		f.Add(s)
	}
	opts := linter.Options{Catalog: linttest.Catalog(f), Config: &linter.Config{}}
	relint := Relinter(opts)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<14 {
			return
		}
		for _, name := range pipelineNames {
			for _, unsafe := range []bool{false, true} {
				fixPipeline(t, relint, name, []byte(src), unsafe)
			}
		}
	})
}

// fixPipeline is one FuzzFixPipeline run on one file name.
func fixPipeline(t *testing.T, relint func(string, []byte) ([]linter.Finding, error), name string, src []byte, unsafe bool) {
	t.Helper()
	fs, err := relint(name, src)
	if err != nil {
		t.Fatalf("%s: lint: %v", name, err)
	}
	loaded := !hasLoadError(fs)
	fo := Options{DryRun: true, Relint: relint, Unsafe: unsafe, Jobs: 1}
	sum, err := Apply(fs, fo)
	if err != nil {
		t.Fatalf("%s: fix: %v", name, err)
	}
	if len(sum.Files) == 0 {
		return
	}
	if !loaded {
		t.Fatalf("%s: a file with a load error was changed", name)
	}
	after := sum.Files[0].After
	fs2, err := relint(name, after)
	if err != nil {
		t.Fatalf("%s: relint: %v", name, err)
	}
	if hasLoadError(fs2) {
		t.Fatalf("%s (unsafe %v): the fixed text no longer loads:\n--- before\n%s\n--- after\n%s\n--- findings\n%s", name, unsafe, src, after, findingLines(fs2))
	}
	if len(sum.Errors) > 0 {
		return // did not settle: reported, and the second run may go on
	}
	sum2, err := Apply(fs2, fo)
	if err != nil {
		t.Fatalf("%s: second fix: %v", name, err)
	}
	if len(sum2.Files) > 0 {
		t.Fatalf("%s (unsafe %v): the second fix changed the file:\n--- before\n%s\n--- after first fix\n%s\n--- after second fix\n%s", name, unsafe, src, after, sum2.Files[0].After)
	}
}

func hasLoadError(fs []linter.Finding) bool {
	for _, f := range fs {
		if f.Check == linter.LoadErrorID {
			return true
		}
	}
	return false
}

func findingLines(fs []linter.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Check + ": " + f.Message + "\n")
	}
	return b.String()
}
