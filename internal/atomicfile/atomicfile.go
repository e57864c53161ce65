// Package atomicfile replaces files so that a reader sees either the old or
// the new content, never a mix, and a failed write leaves the old file as it
// was.
package atomicfile

import (
	"os"
	"path/filepath"
)

// WriteFile replaces the file at path with data: it writes a temporary file
// in the same folder, syncs it, gives it the old file's permissions (0644
// for a new file) and owner, where allowed, renames it over the old one and
// syncs the folder. A symbolic link is followed and its target replaced.
func WriteFile(path string, data []byte) error {
	real, err := Write(path, data)
	if err != nil {
		return err
	}
	SyncDir(filepath.Dir(real))
	return nil
}

// Write is WriteFile without the folder sync, for callers writing many files
// that sync each folder once. It returns the path written (the target of a
// link).
func Write(path string, data []byte) (written string, err error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	mode := os.FileMode(0o644)
	old, statErr := os.Stat(path)
	if statErr == nil {
		mode = old.Mode().Perm()
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".huntlint-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return "", err
	}
	if err = tmp.Chmod(mode); err != nil {
		return "", err
	}
	if statErr == nil {
		keepOwner(tmp, old)
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return path, nil
}

// SyncDir makes renames in dir durable; not every system can sync a folder.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
