package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/huntlint/huntlint/internal/atomicfile"
	"github.com/huntlint/huntlint/internal/textdist"
	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
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

// EnvVar is one environment variable that sets a flag.
type EnvVar struct {
	Name    string // HUNTLINT_LINT_FAIL_ON
	Command string // "huntlint lint"
	Flag    string // "fail-on"
	Shared  bool   // HUNTLINT_<FLAG>, for every command with the flag
}

// commandEnvName is the variable of flag in command path "huntlint a b".
func commandEnvName(cmd *cobra.Command, flag string) string {
	parts := strings.Fields(cmd.CommandPath())[1:]
	parts = append(parts, flag)
	return envName(strings.Join(parts, "_"))
}

func envName(s string) string {
	return "HUNTLINT_" + strings.ToUpper(strings.NewReplacer("-", "_", " ", "_").Replace(s))
}

// envVarsOf lists the variables that may set the local flags of cmd, most
// specific first for each flag.
func envVarsOf(cmd *cobra.Command) []EnvVar {
	var out []EnvVar
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" || cmd == cmd.Root() {
			return
		}
		out = append(out, EnvVar{Name: commandEnvName(cmd, f.Name), Command: cmd.CommandPath(), Flag: f.Name})
		if sharedEnvFlags[f.Name] {
			out = append(out, EnvVar{Name: envName(f.Name), Command: cmd.CommandPath(), Flag: f.Name, Shared: true})
		}
	})
	return out
}

// EnvVars lists every environment variable that sets a command flag, by
// command and flag (the global flags read theirs in rootCommand).
func EnvVars(root *cobra.Command) []EnvVar {
	var out []EnvVar
	walkCommands(root, func(c *cobra.Command) {
		if c.Runnable() && !c.Hidden {
			out = append(out, envVarsOf(c)...)
		}
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Command != out[j].Command {
			return out[i].Command < out[j].Command
		}
		return out[i].Flag < out[j].Flag
	})
	return out
}

// applyEnv sets the flags of cmd not given on the command line from their
// environment variables. An empty variable counts as unset.
func applyEnv(cmd *cobra.Command) error {
	seen := map[string]bool{}
	for _, v := range envVarsOf(cmd) {
		if seen[v.Flag] {
			continue
		}
		f := cmd.Flags().Lookup(v.Flag)
		if f == nil || f.Changed {
			continue
		}
		val, ok := os.LookupEnv(v.Name)
		if !ok || strings.TrimSpace(val) == "" {
			continue
		}
		seen[v.Flag] = true
		if err := setFromEnv(f, val); err != nil {
			return usageErr(fmt.Errorf("invalid %s=%q for --%s of '%s': %v", v.Name, val, v.Flag, cmd.CommandPath(), err))
		}
	}
	return nil
}

// globalEnv names the variable of each global flag.
var globalEnv = []struct{ flag, env string }{
	{"log-level", "HUNTLINT_LOG_LEVEL"},
	{"log-format", "HUNTLINT_LOG_FORMAT"},
	{"catalog", "HUNTLINT_CATALOG"},
	{"catalog-release", "HUNTLINT_CATALOG_RELEASE"},
	{"domain", "HUNTLINT_DOMAIN"},
	{"offline", "HUNTLINT_OFFLINE"},
	{"quiet", "HUNTLINT_QUIET"},
}

// applyGlobalEnv sets the global flags not given on the command line from
// their variables (globalEnv), parsed as strictly as the flags.
func applyGlobalEnv(root *cobra.Command) error {
	for _, g := range globalEnv {
		f := root.PersistentFlags().Lookup(g.flag)
		if f == nil || f.Changed {
			continue
		}
		val, ok := os.LookupEnv(g.env)
		if !ok || strings.TrimSpace(val) == "" {
			continue
		}
		if err := setFromEnv(f, val); err != nil {
			return usageErr(fmt.Errorf("invalid %s=%q for --%s: %v", g.env, val, g.flag, err))
		}
	}
	return nil
}

// boolEnvValues are the values a boolean variable takes, in any case; the
// same as its flag takes after "=" (--quiet=true).
var boolEnvValues = map[string]bool{"true": true, "1": true, "false": false, "0": false}

// flagChoices are the values a string or list flag accepts, when it names
// them: the domains for --domain, else the values its usage lists ("output
// format: text, json or sarif"); nil when any value goes.
func flagChoices(f *pflag.Flag) []string {
	if f.Name == "domain" {
		var out []string
		for _, d := range mapper.AllDomains {
			out = append(out, string(d))
		}
		return out
	}
	switch f.Value.Type() {
	case "string", "stringSlice", "stringArray":
		return flagValues(f.Usage)
	}
	return nil
}

// orList joins values as "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// setFromEnv sets flag f from an environment value, parsed like the flag's
// own: booleans take true, false, 1 or 0; numbers must be numbers; flags
// that list their values take one of them (any case); list flags take a
// comma-separated list. The error says what is accepted.
func setFromEnv(f *pflag.Flag, val string) error {
	val = strings.TrimSpace(val)
	var items []string
	sv, isList := f.Value.(pflag.SliceValue)
	if isList {
		for _, s := range strings.Split(val, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
	} else {
		items = []string{val}
	}
	if choices := flagChoices(f); choices != nil {
	items:
		for i, it := range items {
			for _, c := range choices {
				if strings.EqualFold(it, c) {
					items[i] = c
					continue items
				}
			}
			if isList {
				return fmt.Errorf("%q is not one of %s (comma-separated)", it, orList(choices))
			}
			return fmt.Errorf("use %s", orList(choices))
		}
	}
	switch f.Value.Type() {
	case "bool":
		b, ok := boolEnvValues[strings.ToLower(val)]
		if !ok {
			return fmt.Errorf("use true or false (or 1 or 0)")
		}
		items[0] = fmt.Sprint(b)
	case "int", "int64", "uint", "count":
		if _, err := strconv.ParseInt(val, 10, 64); err != nil {
			return fmt.Errorf("use a whole number")
		}
	case "float64", "float32":
		if _, err := strconv.ParseFloat(val, 64); err != nil {
			return fmt.Errorf("use a number")
		}
	case "duration":
		if _, err := time.ParseDuration(val); err != nil {
			return fmt.Errorf("use a duration such as 30s, 5m or 2h")
		}
	}
	var err error
	if isList {
		err = sv.Replace(items)
	} else {
		err = f.Value.Set(items[0])
	}
	if err != nil {
		return err
	}
	f.Changed = true
	return nil
}

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
			return nil, usageErr(fmt.Errorf("read file names from standard input: %w", err))
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
	best, bestD := "", 3
	visit := func(f *pflag.Flag) {
		d := textdist.Levenshtein(name, f.Name)
		if strings.HasPrefix(f.Name, name) && len(name) >= 3 {
			d = min(d, 1)
		}
		if d < bestD || d == bestD && f.Name < best {
			best, bestD = f.Name, d
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	return best
}

// writeOutput writes data to path atomically (a temporary file in the same
// folder, synced, then renamed), or to standard output when path is "" or
// "-". A failed write leaves any earlier file at path untouched.
func (a *app) writeOutput(path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := a.stdout.Write(data)
		return err
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageErr(fmt.Errorf("write %s: is a folder; give a file name", path))
	}
	if err := atomicfile.WriteFileWith(path, data, atomicfile.Options{Force: a.force}); err != nil {
		return writeErr(fmt.Errorf("write %s: %w", path, unwrapPathError(err)))
	}
	return nil
}

// writeErr is the exit error of a failed write: a usage error (exit 2)
// when the path names a missing folder, else an I/O error (exit 3, ExitIO):
// a full disk, a read-only file system, a file refused.
func writeErr(err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return usageErr(err)
	}
	return &exitError{code: ExitIO, err: err}
}

// valueListRE finds the values a flag's usage lists after a colon:
// "output format: text, json, sarif or github".
var valueListRE = regexp.MustCompile(`:\s+([a-z][\w.-]*(?:, [a-z][\w.-]*)+(?: or [a-z][\w.-]*)?|[a-z][\w.-]* or [a-z][\w.-]*)(?:[\s;(]|$)`)

// parenRE finds the remarks in parentheses of a usage text: "count (rules),
// level (sum of level weights) or max" lists count, level and max.
var parenRE = regexp.MustCompile(`\s*\([^()]*\)`)

// flagValues are the values a flag's usage text lists, or nil.
func flagValues(usage string) []string {
	m := valueListRE.FindStringSubmatch(parenRE.ReplaceAllString(usage, ""))
	if m == nil {
		return nil
	}
	return strings.FieldsFunc(strings.ReplaceAll(m[1], " or ", ", "), func(r rune) bool { return r == ',' || r == ' ' })
}

// registerCompletions adds shell completion of flag values: the values a
// flag's usage lists, check IDs and categories for --select and --ignore,
// ATT&CK domains for --domain, and check IDs for `huntlint checks`.
func registerCompletions(root *cobra.Command) {
	// fixed completes one of values; in a comma-separated list, the item
	// after the last comma.
	fixed := func(values []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			done, part := "", toComplete
			if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
				done, part = toComplete[:i+1], toComplete[i+1:]
			}
			var out []string
			for _, v := range values {
				if strings.HasPrefix(v, part) {
					out = append(out, done+v)
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		}
	}
	var checks []string
	seen := map[string]bool{}
	for _, c := range linter.Registry() {
		d := c.Doc()
		checks = append(checks, d.ID)
		if !seen[d.Category] && d.Category != "" {
			seen[d.Category] = true
			checks = append(checks, d.Category)
		}
	}
	var domains []string
	for _, d := range mapper.AllDomains {
		domains = append(domains, string(d))
	}
	_ = root.RegisterFlagCompletionFunc("domain", fixed(domains))
	walkCommands(root, func(c *cobra.Command) {
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			if _, ok := c.GetFlagCompletionFunc(f.Name); ok {
				return
			}
			switch {
			case f.Name == "select" || f.Name == "ignore":
				_ = c.RegisterFlagCompletionFunc(f.Name, fixed(checks))
			case f.Value.Type() == "string" || f.Value.Type() == "stringSlice":
				if vals := flagValues(f.Usage); vals != nil {
					_ = c.RegisterFlagCompletionFunc(f.Name, fixed(vals))
				}
			}
		})
		if c.Name() == "checks" && c.ValidArgsFunction == nil && len(c.ValidArgs) == 0 {
			ids := checks[:0:0]
			for _, ch := range linter.Registry() {
				ids = append(ids, ch.Doc().ID)
			}
			c.ValidArgs = ids
		}
	})
	for _, f := range []string{"log-level", "log-format"} {
		if fl := root.PersistentFlags().Lookup(f); fl != nil {
			_ = root.RegisterFlagCompletionFunc(f, fixed(flagValues(fl.Usage)))
		}
	}
}
