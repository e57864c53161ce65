package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/rules"
)

// pathArgs replaces a "-" argument by the file names on standard input and
// refuses paths that do not exist.
func (a *app) pathArgs(cmd *cobra.Command, args []string) ([]string, error) {
	var out []string
	dashes := 0
	for _, arg := range args {
		if arg != "-" {
			out = append(out, arg)
			continue
		}
		if dashes++; dashes > 1 {
			return nil, usageErr(fmt.Errorf("'-' (file names from standard input) may be given once"))
		}
		names, err := readPathList(a.stdin)
		if err != nil {
			return nil, ioErr(fmt.Errorf("read file names from standard input: %w", err))
		}
		if len(names) == 0 && len(args) == 1 {
			// Nothing staged, nothing changed: nothing to do, rather than
			// falling back to the current folder.
			fmt.Fprintf(summaryWriter(cmd, a.stderr), "huntlint: no file names on standard input; nothing to %s\n", cmd.Name())
			return nil, &exitError{code: ExitOK}
		}
		out = append(out, names...)
	}
	for _, p := range out {
		if cmd.Annotations[missingPathsAnnotation] == "true" {
			break
		}
		if _, err := os.Lstat(p); err != nil {
			return nil, usageErr(missingPath(p, err))
		}
	}
	return out, nil
}

// readPathList reads file names, one per line (CR LF accepted), or
// NUL-separated when the input holds a NUL byte (find -print0, git -z).
func readPathList(r io.Reader) ([]string, error) {
	if r == nil {
		return nil, nil
	}
	data, err := io.ReadAll(bufio.NewReader(r))
	if err != nil {
		return nil, err
	}
	sep := []byte("\n")
	if bytes.IndexByte(data, 0) >= 0 {
		sep = []byte{0}
	}
	var out []string
	for _, b := range bytes.Split(data, sep) {
		s := strings.TrimSuffix(string(b), "\r")
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// missingPath explains a path that cannot be used, suggesting a close name
// in the same folder.
func missingPath(p string, err error) error {
	if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("path %q: %w", p, unwrapPathError(err))
	}
	msg := fmt.Sprintf("path %q does not exist", p)
	if near := closestSibling(p); near != "" {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	return errors.New(msg)
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// closestSibling is rules.ClosestSibling.
func closestSibling(p string) string { return rules.ClosestSibling(p) }
