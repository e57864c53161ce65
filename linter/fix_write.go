package linter

import (
	"os"
	"path/filepath"
)

// WriteFileAtomic replaces the file at path with data so that a reader sees
// either the old or the new text, never a mix: it writes a temporary file in
// the same folder, syncs it, gives it the old file's permissions (and owner,
// where allowed) and renames it over the old one. A symbolic link is
// followed and its target replaced.
func WriteFileAtomic(path string, data []byte) error {
	real, err := writeAtomic(path, data)
	if err != nil {
		return err
	}
	syncDir(filepath.Dir(real))
	return nil
}

// syncDir makes renames in dir durable; not every system can sync a folder.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// writeAtomic is WriteFileAtomic without the folder sync, which callers
// writing many files do once per folder. It returns the path written (the
// target of a link).
func writeAtomic(path string, data []byte) (written string, err error) {
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
