package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// Exit codes, documented in docs/output.md and in `huntlint --help`.
const (
	ExitOK       = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on (or files that could not be loaded or fixed)
	ExitUsage    = 2 // usage, configuration, environment or catalog error
	// ExitIO is a file, report or standard stream that could not be read or
	// written (a full disk, a read-only file system, a permission refused),
	// or another failure that is not the user's input.
	ExitIO = 3
	// ExitInterrupted is the exit status after Ctrl-C or SIGTERM, as a shell
	// reports a process killed by SIGINT (128+2).
	ExitInterrupted = 130
)

// exitError carries an exit code out of a command's RunE.
type exitError struct {
	code int
	err  error // nil when the command already said everything
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// usageErr wraps err as a usage/config/input error (exit 2).
func usageErr(err error) error { return &exitError{code: ExitUsage, err: err} }

// ioErr wraps err as an I/O failure (exit 3).
func ioErr(err error) error { return &exitError{code: ExitIO, err: err} }

// fileErr is the exit error of a file that could not be read or written: a
// usage error (exit 2) when the path names a missing file or folder, which
// the user mistyped, else an I/O error (exit 3): a full disk, a read-only
// file system, a permission refused.
func fileErr(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return usageErr(err)
	}
	return ioErr(err)
}

// asExitError is the exit error a command's error means. Errors that carry
// no code are usage errors (cobra's own: an unknown command, a wrong number
// of arguments), unless they come from the operating system (a write to
// standard output that failed), which are I/O failures.
func asExitError(err error) *exitError {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee
	}
	var pe *fs.PathError
	var errno syscall.Errno
	if errors.As(err, &pe) || errors.As(err, &errno) {
		return &exitError{code: ExitIO, err: err}
	}
	return &exitError{code: ExitUsage, err: err}
}
