package main

import (
	"fmt"
	"io"
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
	return a.writeOutputFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeOutputFunc is writeOutput to a file path with the content written by
// write, streamed to the temporary file (lint's reports).
func (a *app) writeOutputFunc(path string, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageErr(fmt.Errorf("write %s: is a folder; give a file name", path))
	}
	if err := atomicfile.WriteFileFunc(path, atomicfile.Options{Force: a.force}, write); err != nil {
		return fileErr(fmt.Errorf("write %s: %w", path, unwrapPathError(err)))
	}
	return nil
}
