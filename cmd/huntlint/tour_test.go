package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's tour shows real output; this test runs each `$ huntlint …`
// line of its console blocks, in order, in a copy of the examples, and
// compares the output. "…" in a block stands for lines left out.

type tourStep struct {
	line int
	args []string
	want []string
}

func tourSteps(t *testing.T, path string) []tourStep {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var steps []tourStep
	in := false
	var cur *tourStep
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case !in && line == "```console":
			in = true
		case in && line == "```":
			in, cur = false, nil
		case in && strings.HasPrefix(line, "$ "):
			cur = nil
			if words := strings.Fields(line[2:]); len(words) > 1 && words[0] == "huntlint" {
				steps = append(steps, tourStep{line: n, args: words[1:]})
				cur = &steps[len(steps)-1]
			}
		case in && cur != nil:
			cur.want = append(cur.want, line)
		}
	}
	return steps
}

// matchElided reports whether got matches want, where a "…" line in want
// skips any number of lines of got.
func matchElided(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if want[0] == "…" {
		for i := 0; i <= len(got); i++ {
			if matchElided(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && got[0] == want[0] && matchElided(want[1:], got[1:])
}

func TestReadmeTour(t *testing.T) {
	abs, err := filepath.Abs("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	steps := tourSteps(t, abs)
	if len(steps) == 0 {
		t.Fatalf("%s: no console steps found", abs)
	}
	runTour(t, abs, steps)
}

func runTour(t *testing.T, doc string, steps []tourStep) {
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "examples"), os.DirFS("../../examples")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	t.Setenv("SOURCE_DATE_EPOCH", "1795910400") // 2026-11-29, the date in the tour
	t.Setenv("NO_COLOR", "1")
	// Layers for the layer diff step: the examples as shipped (base.json)
	// and as they are when the step runs (new.json).
	if code, _, errs := runIn(t, "", "layer", "-o", "base.json", "examples"); code != ExitOK {
		t.Fatalf("layer base.json: exit %d: %s", code, errs)
	}
	for _, s := range steps {
		if len(s.args) >= 2 && s.args[0] == "layer" && s.args[1] == "diff" {
			if code, _, errs := runIn(t, "", "layer", "-o", "new.json", "examples"); code != ExitOK {
				t.Fatalf("layer new.json: exit %d: %s", code, errs)
			}
		}
		_, out, errs := runIn(t, "", s.args...)
		got := strings.Split(strings.TrimSuffix(out+errs, "\n"), "\n")
		if !matchElided(s.want, got) {
			t.Errorf("%s:%d: huntlint %s prints something else now; update the tour with real output:\n--- tour\n%s\n--- now\n%s",
				filepath.Base(doc), s.line, strings.Join(s.args, " "), strings.Join(s.want, "\n"), strings.Join(got, "\n"))
		}
	}
}

func TestMatchElided(t *testing.T) {
	got := []string{"a", "b", "c", "d"}
	for _, c := range []struct {
		want []string
		ok   bool
	}{
		{[]string{"a", "b", "c", "d"}, true},
		{[]string{"a", "…"}, true},
		{[]string{"a", "…", "d"}, true},
		{[]string{"…", "c", "d"}, true},
		{[]string{"a", "c"}, false},
		{[]string{"a", "b", "c"}, false},
		{[]string{"a", "…", "x"}, false},
	} {
		if matchElided(c.want, got) != c.ok {
			t.Errorf("matchElided(%q) = %v", c.want, !c.ok)
		}
	}
}
