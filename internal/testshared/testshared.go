// Package testshared finds the shared test data (../shared beside the
// repository) and unpacks its corpora for tests and benchmarks.
package testshared

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Root returns the absolute path of ../shared beside the repository root, or
// "" when it is absent.
func Root() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <repo>/internal/testshared/testshared.go
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		abs, _ := filepath.Abs(dir)
		return abs
	}
	return ""
}

// InCI reports whether the tests run in CI (CI=true, as GitHub Actions and
// .ci/run set it). There a missing ../shared fails the test instead of
// skipping it, so the real-corpus tests cannot silently stop running.
func InCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1"
}

// missing skips tb, or fails it under CI=true, naming what is absent and how to
// get it.
func missing(tb testing.TB, what string) {
	tb.Helper()
	if InCI() {
		tb.Fatalf("%s is absent and CI=true: the real-corpus tests must run in CI; run scripts/fetch-corpora.sh first (it fetches the corpora and ATT&CK bundles into ../shared)", what)
		return
	}
	tb.Skipf("%s is absent: skipping a test on the shared ATT&CK bundles and corpora (scripts/fetch-corpora.sh fetches them)", what)
}

// Dir returns ../shared, or skips the test with a message when it is absent
// (fails it under CI=true).
func Dir(tb testing.TB) string {
	tb.Helper()
	d := Root()
	if d == "" {
		missing(tb, "../shared")
	}
	return d
}

// File returns the path of rel inside ../shared, skipping when absent (failing
// under CI=true).
func File(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(Dir(tb), rel)
	if _, err := os.Stat(p); err != nil {
		missing(tb, p)
	}
	return p
}

// Corpus unpacks ../shared/corpus/<name>.tar.gz into a temporary folder and
// returns it (the folder that holds the archive's contents).
func Corpus(tb testing.TB, name string) string {
	tb.Helper()
	archive := File(tb, filepath.Join("corpus", name+".tar.gz"))
	dst := tb.TempDir()
	if err := Untar(archive, dst); err != nil {
		tb.Fatalf("unpack %s: %v", archive, err)
	}
	return dst
}

// Untar unpacks a .tar.gz archive into dst, refusing paths that leave dst.
func Untar(archive, dst string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", archive, err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", archive, err)
		}
		name := filepath.Clean(h.Name)
		if name == "." || strings.HasPrefix(name, "..") || filepath.IsAbs(name) {
			continue
		}
		p := filepath.Join(dst, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			out, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
			if err != nil {
				return err
			}
			if _, err := io.Copy(out, tr); err != nil {
				out.Close()
				return err
			}
			if err := out.Close(); err != nil {
				return err
			}
		}
	}
}
