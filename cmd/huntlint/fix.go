package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/linter/fix"
)

// fixFlags are the flags of `huntlint fix`.
type fixFlags struct {
	unsafe    bool
	diff      bool
	showFixes bool
	checkFlags
	fileFlags
	quiet bool
}

func (a *app) fixCommand() *cobra.Command {
	var fl fixFlags
	cmd := &cobra.Command{
		Use:         "fix [PATH...]",
		Annotations: map[string]string{missingPathsAnnotation: "true"},
		Short:       "Fix the ATT&CK references of rules and queries in place",
		Long: "Apply the fixes of the lint checks to the files under PATH (default: the current folder):\n" +
			"revoked references to their replacement, canonical spelling, duplicates removed, missing\n" +
			"tactics added. Only the bytes of the fixed references change; files are written atomically,\n" +
			"files that do not load are never written, and a second run changes nothing.\n\n" +
			"A file that cannot be loaded or written is named on standard error with the reason; a\n" +
			"path that does not exist is a warning, and the other paths are still fixed.\n\n" +
			"Exit status: 0 when every applicable fix was applied (or, with --diff, when there is\n" +
			"nothing to fix), 1 when fixable findings remain, files could not be loaded or, with --diff,\n" +
			"the diff is not empty; 2 on usage, configuration or catalog errors; 3 when a file could not\n" +
			"be written.",
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.quiet = isQuiet(cmd)
			return a.runFix(args, fl)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fl.unsafe, "unsafe-fixes", false, "also apply fixes that change meaning beyond a 1:1 replacement (one of several tactics, orphan tactic removal)")
	f.BoolVar(&fl.diff, "diff", false, "print a unified diff of the fixes (for patch -p0 or git apply -p0) and write nothing")
	f.BoolVar(&fl.showFixes, "show-fixes", false, "list each fix applied: path:line:col: [check] what was done")
	declareForce(f, &a.force, "also fix read-only files")
	fl.checkFlags.declare(f, "fix only the findings of")
	fl.fileFlags.declare(f, "configuration file")
	return cmd
}

func (a *app) runFix(args []string, fl fixFlags) error {
	cfg, cat, err := a.lintConfig()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	opts := linter.Options{Catalog: cat, Config: cfg, Select: fl.selectIDs, Ignore: fl.ignoreIDs, Jobs: fl.jobs, FollowSymlinks: fl.followSymlinks}
	res, err := linter.Lint(args, opts)
	if err != nil {
		return usageErr(err)
	}
	fo := fix.Options{Unsafe: fl.unsafe, Relint: fix.Relinter(opts), Jobs: fl.jobs, Force: a.force}
	var summaryOut io.Writer = a.stdout
	if fl.diff {
		fo.Diff = a.stdout
		summaryOut = a.stderr
	}
	sum, err := fix.Apply(res.Findings, fo)
	if err != nil {
		return &exitError{code: ExitIO, err: err}
	}
	// What was not fixed, and why, goes to standard error whatever the
	// output and --quiet: files that did not load, paths that do not exist,
	// files that could not be written. The summary does not repeat them.
	notLoaded := a.reportUnfixable(res.Findings, fl.quiet)
	ioErrs := 0
	for _, e := range sum.Errors {
		if notLoaded[e.Path] {
			continue // named above with its load error
		}
		fmt.Fprintf(a.stderr, "huntlint: %s: not fixed: %v\n", e.Path, e.Err)
		if isIOError(e.Err) {
			ioErrs++
		}
	}
	shown := sum
	shown.Errors = nil
	if fl.showFixes {
		for _, fc := range sum.Files {
			for _, f := range fc.Applied {
				what := f.Fix.Description
				if what == "" {
					what = f.Message
				}
				fmt.Fprintf(summaryOut, "%s:%d:%d: [%s] %s\n", f.Path, f.Span.Start.Line, f.Span.Start.Column, f.Check, what)
			}
		}
	}
	if fl.quiet {
		summaryOut = io.Discard
	}
	if err := shown.WriteText(summaryOut, fl.diff); err != nil {
		return &exitError{code: ExitIO, err: fmt.Errorf("write summary: %w", err)}
	}
	if n := len(notLoaded); n > 0 {
		fmt.Fprintf(summaryWriter(a.cmd, a.stderr), "huntlint: %d %s not loaded and not fixed\n", n, plural(n, "file was", "files were"))
	}
	switch {
	case ioErrs > 0:
		return &exitError{code: ExitIO}
	case len(notLoaded) > 0 || len(sum.Errors) > 0 || sum.Remaining() > 0 || fl.diff && len(sum.Files) > 0:
		return &exitError{code: ExitFindings}
	}
	return nil
}

// reportUnfixable prints the findings of the load category (files that did
// not load, paths that do not exist and, unless quiet, files skipped) on
// standard error, and returns the files that did not load.
func (a *app) reportUnfixable(findings []linter.Finding, quiet bool) map[string]bool {
	files := map[string]bool{}
	for _, f := range findings {
		switch f.Check {
		case linter.LoadErrorID:
			files[f.Path] = true
		case linter.LoadMissingID:
		case linter.LoadSkippedID:
			if quiet {
				continue
			}
		default:
			continue
		}
		fmt.Fprintln(a.stderr, linter.FormatFinding(f))
	}
	return files
}

// isIOError reports whether err is the operating system's: a file that
// could not be read, written or renamed.
func isIOError(err error) bool {
	var pe *fs.PathError
	var le *os.LinkError
	var errno syscall.Errno
	return errors.As(err, &pe) || errors.As(err, &le) || errors.As(err, &errno)
}
