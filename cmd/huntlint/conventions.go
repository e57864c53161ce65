package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/huntlint/huntlint/internal/textdist"
)

// Conventions every command shares, applied to the whole command tree by
// conventions:
//
//   - every local flag of a command can be set with the environment variable
//     HUNTLINT_<COMMAND>_<FLAG> (e.g. HUNTLINT_LINT_FAIL_ON), and the flags in
//     sharedEnvFlags also with HUNTLINT_<FLAG> (e.g. HUNTLINT_CONFIG); the
//     command line wins over the command's variable, which wins over the
//     shared one;
//   - in commands that take PATH arguments, the path "-" stands for the file
//     names read from standard input (one per line, or NUL-separated); a
//     path that does not exist is a load-missing warning in lint and fix
//     (marked with missingPathsAnnotation), which lint everything else,
//     and a usage error (exit 2) that names it elsewhere;
//   - --quiet (-q, env HUNTLINT_QUIET) drops summaries and informational
//     logs: only findings, requested output and errors are printed;
//   - unknown flags are usage errors that name the command, suggest the
//     closest flag and point at the command's help.

// sharedEnvFlags are the flags whose meaning is the same in every command
// that has them, so one HUNTLINT_<FLAG> variable may set them all.
var sharedEnvFlags = map[string]bool{
	"config":          true,
	"jobs":            true,
	"select":          true,
	"ignore":          true,
	"fail-on":         true,
	"unsafe-fixes":    true,
	"include":         true,
	"exclude":         true,
	"follow-symlinks": true,
}

// pathArgsAnnotation marks a command whose arguments are paths; set by
// conventions for commands whose Use ends in [PATH...].
const pathArgsAnnotation = "huntlint/path-args"

// missingPathsAnnotation marks a path command that reports the paths that
// do not exist itself, as findings, instead of refusing them.
const missingPathsAnnotation = "huntlint/missing-paths"

// conventions applies the shared CLI conventions to root and every command
// below it. Call it once the tree is complete.
func (a *app) conventions(root *cobra.Command) {
	root.PersistentFlags().BoolP("quiet", "q", false, "print only findings, requested output and errors: no summaries or informational logs (env HUNTLINT_QUIET)")
	root.SetFlagErrorFunc(flagError)
	registerCompletions(root)
	walkCommands(root, func(c *cobra.Command) {
		if c.RunE == nil {
			return
		}
		if strings.Contains(c.Use, "PATH...") {
			if c.Annotations == nil {
				c.Annotations = map[string]string{}
			}
			c.Annotations[pathArgsAnnotation] = "true"
		}
		runE := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			a.cmd = cmd
			if err := applyEnv(cmd); err != nil {
				return err
			}
			if isQuiet(cmd) {
				a.log = a.log.Level(max(a.log.GetLevel(), zerolog.ErrorLevel))
			}
			if cmd.Annotations[pathArgsAnnotation] == "true" {
				var err error
				if args, err = a.pathArgs(cmd, args); err != nil {
					return err
				}
			}
			return runE(cmd, args)
		}
	})
}

// walkCommands calls fn for c and every command below it.
func walkCommands(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walkCommands(sub, fn)
	}
}

// isQuiet reports whether --quiet is in effect for cmd.
func isQuiet(cmd *cobra.Command) bool {
	q, err := cmd.Flags().GetBool("quiet")
	return err == nil && q
}

// summaryWriter is w, or io.Discard under --quiet: where commands write their
// closing summaries.
func summaryWriter(cmd *cobra.Command, w io.Writer) io.Writer {
	if isQuiet(cmd) {
		return io.Discard
	}
	return w
}

// flagError turns a flag parsing error into a usage error that names the
// command, suggests the closest flag and points at the command's help.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		if near := closestFlag(cmd, name); near != "" {
			msg += fmt.Sprintf("; did you mean --%s?", near)
		}
	}
	return usageErr(fmt.Errorf("%s (see '%s --help')", msg, cmd.CommandPath()))
}

// closestFlag is the flag of cmd closest to name (at most two edits, or a
// prefix of it), or "".
func closestFlag(cmd *cobra.Command, name string) string {
	var names []string
	visit := func(f *pflag.Flag) { names = append(names, f.Name) }
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	near, _ := textdist.Nearest(name, names, 2, false, textdist.PrefixOneEdit(3))
	return near
}
