package main

import (
	"fmt"
	"os"

	"github.com/huntlint/huntlint/internal/atomicfile"
)

// writeOutput writes data to path atomically (a temporary file in the same
// folder, synced, then renamed), or to standard output when path is "" or
// "-". A failed write leaves any earlier file at path untouched.
func (a *app) writeOutput(path string, data []byte) error {
	if path == "" || path == "-" {
		if _, err := a.stdout.Write(data); err != nil {
			return ioErr(fmt.Errorf("write standard output: %w", unwrapPathError(err)))
		}
		return nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageErr(fmt.Errorf("write %s: is a folder; give a file name", path))
	}
	if err := atomicfile.WriteFileWith(path, data, atomicfile.Options{Force: a.force}); err != nil {
		return fileErr(fmt.Errorf("write %s: %w", path, unwrapPathError(err)))
	}
	return nil
}
