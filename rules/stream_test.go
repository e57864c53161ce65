package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// TestStreamOrderAndBound: Stream hands files on in the order given, with
// what work made of each, and loads at most 4 files per goroutine ahead of
// the caller, so memory holds those and not every file.
func TestStreamOrderAndBound(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i := range 300 {
		p := filepath.Join(dir, fmt.Sprintf("r%03d.yml", i))
		body := fmt.Sprintf("title: Rule %d\nid: 00000000-0000-4000-8000-%012d\nlogsource:\n  product: windows\ndetection:\n  sel:\n    a: b\n  condition: sel\n", i, i)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	const jobs = 2
	var worked atomic.Int64
	got := 0
	Stream(LoadOptions{}, files, jobs, func(f *File[string]) {
		worked.Add(1)
		if len(f.Rules) == 1 {
			f.Work = f.Rules[0].Title
		}
	}, func(f File[string]) {
		if f.Path != files[got] {
			t.Fatalf("file %d: got %s, want %s", got, f.Path, files[got])
		}
		if want := fmt.Sprintf("Rule %d", got); f.Work != want {
			t.Fatalf("%s: work gave %q, want %q", f.Path, f.Work, want)
		}
		got++
		if got < 20 {
			time.Sleep(2 * time.Millisecond) // a slow caller: the loaders must wait
		}
		if ahead := worked.Load() - int64(got); ahead > 4*jobs {
			t.Fatalf("after %d files, %d more were already loaded: more than %d ahead", got, ahead, 4*jobs)
		}
	})
	if got != len(files) {
		t.Fatalf("got %d files, want %d", got, len(files))
	}
}
