package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileKeepsModeAndLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.yml")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(b) != "new" || fi.Mode().Perm() != 0o600 {
		t.Errorf("content %q mode %v", b, fi.Mode().Perm())
	}
	if err := WriteFile(filepath.Join(dir, "new.yml"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "new.yml")); fi.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v, want 0644", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary file left behind: %v", entries)
	}
}

func TestWriteFileFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.yml")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yml")
	if err := os.Symlink("target.yml", link); err != nil {
		t.Skip("no symlinks here")
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target = %q", b)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x.yml"), []byte("x")); err == nil {
		t.Error("write into a missing folder succeeded")
	}
}

// TestWriteFileFuncStreams: WriteFileFunc replaces the file with what write
// wrote, in pieces larger than its buffer; when write fails halfway the old
// file is left as it was and no temporary file remains.
func TestWriteFileFuncStreams(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	piece := strings.Repeat("x", 50_000)
	err := WriteFileFunc(p, Options{}, func(w io.Writer) error {
		for range 10 {
			if _, err := io.WriteString(w, piece); err != nil {
				return err
			}
		}
		return nil
	})
	if b, _ := os.ReadFile(p); err != nil || string(b) != strings.Repeat(piece, 10) {
		t.Fatalf("streamed write: err %v, %d bytes, want %d", err, len(b), 10*len(piece))
	}
	failed := errors.New("formatter failed")
	err = WriteFileFunc(p, Options{}, func(w io.Writer) error {
		io.WriteString(w, strings.Repeat("y", 200_000))
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("failed write returned %v, want the write's error", err)
	}
	if b, _ := os.ReadFile(p); string(b) != strings.Repeat(piece, 10) {
		t.Errorf("a failed write changed the file (%d bytes)", len(b))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want the file alone", len(entries))
	}
}
