// Package golden compares test output with golden files: one -update flag
// and one comparison for every package whose tests keep golden files.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Update is the -update flag: rewrite the golden files instead of comparing
// with them. Read every changed line before committing them.
var Update = flag.Bool("update", false, "rewrite golden files")

// File compares got with the golden file at path, or writes it (creating its
// folder) under -update. A difference names the first line that differs and
// shows both texts.
func File(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run the test with -update and read the diff), %s\n--- want\n%s\n--- got\n%s", path, FirstDiff(string(want), string(got)), want, got)
	}
}

// FirstDiff names the first line where want and got differ, with both
// versions of it; "" when they are equal.
func FirstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("first at line %d:\n- %s\n+ %s", i+1, w, g)
		}
	}
	return ""
}
