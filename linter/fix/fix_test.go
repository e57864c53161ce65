package fix

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/linter"
)

func TestSelectFixesFirstWins(t *testing.T) {
	fixes := []*linter.Fix{
		{Edits: []linter.Edit{{Start: 0, End: 3, New: "a"}}},
		{Edits: []linter.Edit{{Start: 2, End: 5, New: "b"}}},                               // overlaps the first
		{Edits: []linter.Edit{{Start: 6, End: 7, New: "c"}, {Start: 1, End: 2, New: "d"}}}, // one edit overlaps: all or nothing
		{Edits: []linter.Edit{{Start: 6, End: 7, New: "e"}}},
		{Edits: []linter.Edit{{Start: 0, End: 3, New: "a"}}}, // same as the first: fixed by it
		{Edits: []linter.Edit{{Start: 8, End: 20}}},          // out of range
		nil,
	}
	picked, edits := selectFixes(fixes, 10)
	if fmt.Sprint(picked) != "[0 3 4]" {
		t.Errorf("picked %v, want [0 3 4]", picked)
	}
	if len(edits) != 2 {
		t.Errorf("edits %+v, want the first and fourth fix's", edits)
	}
}

// toyRule makes a finding source for path holding src.
func toyRule(_ string, src []byte) *linter.FindingRule {
	return &linter.FindingRule{Source: src}
}

// toyLint is a stand-in linter over bytes: "X" is fixed to "Y" (safe),
// "YY" to "Z" (safe), "U" to "u" (unsafe), "BROKEN" makes a load error.
func toyLint(path string, src []byte) []linter.Finding {
	r := toyRule(path, src)
	var fs []linter.Finding
	s := string(src)
	if strings.Contains(s, "BROKEN") {
		return []linter.Finding{{Check: linter.LoadErrorID, Severity: linter.SeverityError, Path: path, Message: "toy load error"}}
	}
	add := func(check, old, new string, app linter.Applicability) {
		for i := 0; ; {
			j := strings.Index(s[i:], old)
			if j < 0 {
				return
			}
			at := i + j
			fs = append(fs, linter.Finding{Check: check, Severity: linter.SeverityWarning, Path: path, Rule: r,
				Message: "toy", Fix: &linter.Fix{Applicability: app, Edits: []linter.Edit{{Start: at, End: at + len(old), New: new}}}})
			i = at + len(old)
		}
	}
	add("toy-x", "X", "Y", linter.FixSafe)
	add("toy-yy", "YY", "Z", linter.FixSafe)
	add("toy-u", "U", "u", linter.FixUnsafe)
	return fs
}

func toyRelint(path string, src []byte) ([]linter.Finding, error) { return toyLint(path, src), nil }

func writeTemp(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func lintPaths(t *testing.T, paths ...string) []linter.Finding {
	t.Helper()
	var fs []linter.Finding
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, toyLint(p, b)...)
	}
	return fs
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestApplyFixedPoint(t *testing.T) {
	dir := t.TempDir()
	a := writeTemp(t, dir, "a.yml", "tags: [XX, U]\r\n", 0o640)
	b := writeTemp(t, dir, "b.yml", "nothing to fix\n", 0o644)
	sum, err := Apply(lintPaths(t, a, b), Options{Relint: toyRelint})
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, a); got != "tags: [Z, U]\r\n" {
		t.Errorf("a.yml = %q", got)
	}
	if fi, _ := os.Stat(a); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	if len(sum.Files) != 1 || sum.Files[0].Path != a || sum.Files[0].Fixes != 3 {
		t.Errorf("files %+v", sum.Files)
	}
	want := []CheckCount{{Check: "toy-u", Unsafe: 1}, {Check: "toy-x", Fixed: 2}, {Check: "toy-yy", Fixed: 1}}
	if fmt.Sprint(sum.Checks) != fmt.Sprint(want) {
		t.Errorf("checks %+v, want %+v", sum.Checks, want)
	}
	var out bytes.Buffer
	_ = sum.WriteText(&out, false)
	wantText := "toy-u: 1 with --unsafe-fixes\ntoy-x: fixed 2\ntoy-yy: fixed 1\nfixed 3 findings in 1 file (1 more with --unsafe-fixes)\n"
	if out.String() != wantText {
		t.Errorf("summary\n%s\nwant\n%s", out.String(), wantText)
	}
	if len(sum.Findings) != 1 || sum.Findings[0].Check != "toy-u" {
		t.Errorf("findings left %+v", sum.Findings)
	}
	// No temporary file is left behind.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("folder holds %d entries, want 2", len(ents))
	}
	// A second run is a no-op.
	sum2, _ := Apply(lintPaths(t, a, b), Options{Relint: toyRelint})
	if len(sum2.Files) != 0 || sum2.Fixed() != 0 {
		t.Errorf("second run changed %+v", sum2.Files)
	}
	// With unsafe fixes the rest goes too.
	sum3, _ := Apply(lintPaths(t, a), Options{Relint: toyRelint, Unsafe: true})
	if got := readFile(t, a); got != "tags: [Z, u]\r\n" || sum3.Fixed() != 1 {
		t.Errorf("unsafe run: %q, %d fixed", got, sum3.Fixed())
	}
}

func TestApplyOnePassWithoutRelint(t *testing.T) {
	dir := t.TempDir()
	a := writeTemp(t, dir, "a.yml", "XX", 0o644)
	sum, err := Apply(lintPaths(t, a), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, a); got != "YY" || sum.Fixed() != 2 {
		t.Errorf("got %q, fixed %d", got, sum.Fixed())
	}
}

func TestApplyConflictsRemain(t *testing.T) {
	dir := t.TempDir()
	src := "abc\n"
	a := writeTemp(t, dir, "a.yml", src, 0o644)
	r := toyRule(a, []byte(src))
	fs := []linter.Finding{
		{Check: "one", Path: a, Rule: r, Fix: &linter.Fix{Applicability: linter.FixSafe, Edits: []linter.Edit{{Start: 0, End: 2, New: "AB"}}}},
		{Check: "two", Path: a, Rule: r, Fix: &linter.Fix{Applicability: linter.FixSafe, Edits: []linter.Edit{{Start: 1, End: 3, New: "BC"}}}},
	}
	sum, _ := Apply(fs, Options{})
	if got := readFile(t, a); got != "ABc\n" {
		t.Errorf("got %q", got)
	}
	if sum.Fixed() != 1 || sum.Remaining() != 1 || len(sum.Findings) != 1 || sum.Findings[0].Check != "two" {
		t.Errorf("summary %+v", sum)
	}
}

func TestApplyNeverWritesBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	// A file with a load error is left alone.
	src := "X BROKEN\n"
	a := writeTemp(t, dir, "a.yml", src, 0o644)
	r := toyRule(a, []byte(src))
	fs := []linter.Finding{
		{Check: linter.LoadErrorID, Severity: linter.SeverityError, Path: a, Message: "bad yaml"},
		{Check: "toy-x", Path: a, Rule: r, Fix: &linter.Fix{Applicability: linter.FixSafe, Edits: []linter.Edit{{Start: 0, End: 1, New: "Y"}}}},
	}
	sum, _ := Apply(fs, Options{Relint: toyRelint})
	if readFile(t, a) != src || len(sum.Errors) != 1 || sum.Remaining() != 1 {
		t.Errorf("load-error file: %q, %+v", readFile(t, a), sum)
	}
	// A fix whose result does not load is undone.
	src = "X BROKE\n"
	b := writeTemp(t, dir, "b.yml", src, 0o644)
	r = toyRule(b, []byte(src))
	fs = []linter.Finding{{Check: "bad-fix", Path: b, Rule: r, Fix: &linter.Fix{Applicability: linter.FixSafe, Edits: []linter.Edit{{Start: 7, End: 7, New: "N"}}}}}
	sum, _ = Apply(fs, Options{Relint: toyRelint})
	if readFile(t, b) != src || len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Err.Error(), "bad-fix") {
		t.Errorf("breaking fix: %q, %+v", readFile(t, b), sum.Errors)
	}
	if sum.Fixed() != 0 || sum.Remaining() != 1 {
		t.Errorf("breaking fix counted as fixed: %+v", sum.Checks)
	}
	// A pass that breaks the file after a good one: the good one is kept.
	src = "XX BROKE\n"
	b2 := writeTemp(t, dir, "b2.yml", src, 0o644)
	breakAfterY := func(path string, text []byte) ([]linter.Finding, error) {
		fs := toyLint(path, text)
		if strings.HasPrefix(string(text), "YY") {
			r := toyRule(path, text)
			fs = append(fs, linter.Finding{Check: "bad-fix", Path: path, Rule: r, Fix: &linter.Fix{Applicability: linter.FixSafe, Edits: []linter.Edit{{Start: 8, End: 8, New: "N"}}}})
		}
		return fs, nil
	}
	fs, _ = breakAfterY(b2, []byte(src))
	sum, _ = Apply(fs, Options{Relint: breakAfterY})
	if got := readFile(t, b2); got != "YY BROKE\n" || len(sum.Errors) != 1 || sum.Fixed() != 2 || len(sum.Files) != 1 || len(sum.Files[0].Applied) != 2 {
		t.Errorf("good pass then bad pass: %q, fixed %d, %+v", got, sum.Fixed(), sum.Files)
	}
	// A file changed since it was read is not overwritten.
	c := writeTemp(t, dir, "c.yml", "X\n", 0o644)
	fs = lintPaths(t, c)
	writeTemp(t, dir, "c.yml", "X edited\n", 0o644)
	sum, _ = Apply(fs, Options{Relint: toyRelint})
	if readFile(t, c) != "X edited\n" || len(sum.Errors) != 1 || len(sum.Files) != 0 {
		t.Errorf("changed file: %q, %+v", readFile(t, c), sum)
	}
}

func TestApplyDoesNotSettle(t *testing.T) {
	dir := t.TempDir()
	a := writeTemp(t, dir, "a.yml", "P\n", 0o644)
	flip := func(path string, src []byte) ([]linter.Finding, error) {
		r := toyRule(path, src)
		next := map[byte]string{'P': "Q", 'Q': "P"}[src[0]]
		return []linter.Finding{{Check: "flip", Path: path, Rule: r, Fix: &linter.Fix{Applicability: linter.FixSafe, Edits: []linter.Edit{{Start: 0, End: 1, New: next}}}}}, nil
	}
	fs, _ := flip(a, []byte("P\n"))
	sum, _ := Apply(fs, Options{Relint: flip, MaxPasses: 3})
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Err.Error(), "did not settle") {
		t.Errorf("errors %+v", sum.Errors)
	}
}

func TestApplyDiff(t *testing.T) {
	tests := []struct{ name, src string }{
		{"lf", "title: x\ntags:\n  - X\n  - b\nlevel: high\n"},
		{"crlf", "title: x\r\ntags:\r\n  - X\r\n  - b\r\nlevel: high\r\n"},
		{"no final newline", "a\nb\nc\nd\ne\nf\ng\nh\nX"},
		{"far apart", "X\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\nX\n"},
		{"near", "X\n1\n2\n3\n4\n5\n6\nX\n"},
		{"bom", "\xef\xbb\xbfX\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeTemp(t, dir, "rule.yml", tt.src, 0o644)
			var diff bytes.Buffer
			sum, err := Apply(lintPaths(t, p), Options{Relint: toyRelint, Diff: &diff})
			if err != nil {
				t.Fatal(err)
			}
			if readFile(t, p) != tt.src {
				t.Fatal("--diff wrote the file")
			}
			if len(sum.Files) != 1 {
				t.Fatalf("files %+v", sum.Files)
			}
			want := string(sum.Files[0].After)
			checkPatch(t, dir, p, tt.src, diff.String(), want)
		})
	}
}

// checkPatch applies diff (made with absolute path p) in dir with patch -p0
// and git apply and checks that both give want.
func checkPatch(t *testing.T, dir, p, src, diff, want string) {
	t.Helper()
	rel := filepath.Base(p)
	diff = strings.ReplaceAll(diff, p, rel)
	for _, tool := range [][]string{{"patch", "-p0", "--quiet", "--batch"}, {"git", "apply", "-p0", "--unidiff-zero"}} {
		if _, err := exec.LookPath(tool[0]); err != nil {
			t.Logf("%s not installed: skipping it", tool[0])
			continue
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(tool[0], tool[1:]...)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(diff)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s failed: %v\n%s\ndiff:\n%s", tool[0], err, out, diff)
		}
		if got := readFile(t, p); got != want {
			t.Errorf("%s result %q, want %q\ndiff:\n%s", tool[0], got, want, diff)
		}
	}
}

func TestWriteUnifiedDiffFormat(t *testing.T) {
	var b bytes.Buffer
	_ = WriteUnifiedDiff(&b, "r.yml", []byte("a\nb\nc\nd\ne\nf\ng\n"), []byte("a\nb\nc\nD\ne\nf\ng\n"))
	want := "--- r.yml\n+++ r.yml\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	_ = WriteUnifiedDiff(&b, "r.yml", []byte("same"), []byte("same"))
	if b.Len() != 0 {
		t.Errorf("diff of equal texts: %q", b.String())
	}
	b.Reset()
	_ = WriteUnifiedDiff(&b, "r.yml", []byte("a\nb"), []byte("a\nc"))
	want = "--- r.yml\n+++ r.yml\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	_ = WriteUnifiedDiff(&b, "r.yml", []byte("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n"), []byte("1\n2\n3\n4\n5\n6\n7\n8\n9\nX\n"))
	want = "--- r.yml\n+++ r.yml\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+X\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestApplyDryRun(t *testing.T) {
	dir := t.TempDir()
	a := writeTemp(t, dir, "a.yml", "XX\n", 0o644)
	sum, err := Apply(lintPaths(t, a), Options{Relint: toyRelint, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if readFile(t, a) != "XX\n" {
		t.Error("a dry run wrote the file")
	}
	if len(sum.Files) != 1 || string(sum.Files[0].After) != "Z\n" || sum.Fixed() != 3 {
		t.Errorf("dry run summary: %+v", sum)
	}
	var out bytes.Buffer
	_ = sum.WriteText(&out, true)
	if !strings.HasSuffix(out.String(), "would fix 3 findings in 1 file\n") {
		t.Errorf("dry run text:\n%s", out.String())
	}
}
