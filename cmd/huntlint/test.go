package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/sigmatest"
)

// testFlags are the flags of `huntlint test`.
type testFlags struct {
	format       string
	output       string
	events       string
	rule         string
	logsourceMap string
	root         string
	jobs         int
	verbose      bool
	disc         rules.DiscoverOptions
}

func (a *app) testCommand() *cobra.Command {
	var fl testFlags
	cmd := &cobra.Command{
		Use:   "test [PATH...]",
		Short: "Run Sigma rules on their test events with sigma-go's evaluator",
		Long: "Run each Sigma rule under PATH (default: the current folder) that has regression_tests_path\n" +
			"on its test events: the info.yml that path names lists the tests, and each test's events are\n" +
			"the JSON file beside its .evtx (EVTX itself is not read). With --events FILE and --rule ID,\n" +
			"run one rule on JSON or JSON-lines events of your own. Each rule and test passes, fails\n" +
			"(expected a match, got none) or is an error (a missing file, bad JSON, or a rule sigma-go\n" +
			"cannot evaluate, with the reason). See docs/test.md.\n\n" +
			"Exit status: 0 when every test passed or was not evaluable, 1 on any failed test or error,\n" +
			"2 on usage errors.",
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runTest(cmd, args, fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: text, json or github")
	choices(f, "format", sigmatest.Formats)
	f.StringVarP(&fl.output, "output", "o", "", "write the report to FILE instead of standard output")
	declareForce(f, &a.force, "with -o, also replace a read-only file")
	f.StringVar(&fl.events, "events", "", "events FILE (JSON or JSON lines) to run the rule --rule names on; it must match at least one")
	f.StringVar(&fl.rule, "rule", "", "with --events: the ID of the rule under PATH to run (or the rule's file)")
	f.StringVar(&fl.logsourceMap, "logsource-map", "", "logsource map FILE in the format of SigmaHQ's tests/thor.yml, or none for no event conditions (default: the built-in map)")
	f.StringVar(&fl.root, "regression-root", "", "folder regression_tests_path is relative to (default: the rule's folder or the nearest folder above it that holds the path)")
	f.IntVarP(&fl.jobs, "jobs", "j", 0, "rules tested at once (default: all processors)")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "text format: list passing rules and the equivalents used for what sigma-go lacks")
	f.StringArrayVar(&fl.disc.Include, "include", nil, "glob of files to take from folders, replacing the defaults; repeatable")
	f.StringArrayVar(&fl.disc.Exclude, "exclude", nil, "glob of files or folders to skip; repeatable")
	f.BoolVar(&fl.disc.FollowSymlinks, "follow-symlinks", false, followSymlinksUsage)
	declareConfig(f)
	return cmd
}

func (a *app) runTest(cmd *cobra.Command, args []string, fl testFlags) error {
	if !slices.Contains(sigmatest.Formats, fl.format) {
		return usageErr(fmt.Errorf("invalid --format %q: use text, json or github", fl.format))
	}
	if (fl.events == "") != (fl.rule == "") {
		return usageErr(fmt.Errorf("--events and --rule go together: --events FILE gives the events, --rule ID the rule to run on them"))
	}
	m, err := testLogsourceMap(fl.logsourceMap)
	if err != nil {
		return err
	}
	opts := sigmatest.Options{Map: m, Jobs: fl.jobs, Root: fl.root}
	if fl.root != "" {
		if fi, err := os.Stat(fl.root); err != nil || !fi.IsDir() {
			return usageErr(fmt.Errorf("--regression-root %s is not a folder", fl.root))
		}
	}
	var rep *sigmatest.Report
	if fl.events != "" {
		if _, err := os.Stat(fl.events); err != nil {
			return usageErr(missingPath(fl.events, err))
		}
		r, err := a.findTestRule(args, fl)
		if err != nil {
			return err
		}
		rep = sigmatest.RunEvents(context.Background(), r, fl.events, opts)
	} else {
		if len(args) == 0 {
			args = []string{"."}
		}
		files, problems, err := a.discover(args, fl.disc)
		if err != nil {
			return err
		}
		loaded, loadProblems := rules.LoadAll(files, fl.jobs)
		for _, p := range append(problems, loadProblems...) {
			a.log.Warn().Str("path", p.Path).Int("line", p.Line).Msg(p.Message)
		}
		rep = sigmatest.Run(context.Background(), loaded, opts)
	}
	var buf bytes.Buffer
	if err := sigmatest.Write(&buf, rep, fl.format, fl.verbose); err != nil {
		return err
	}
	if err := a.writeOutput(fl.output, buf.Bytes()); err != nil {
		return err
	}
	if rep.Failed() {
		return &exitError{code: ExitFindings}
	}
	return nil
}

// testLogsourceMap reads --logsource-map.
func testLogsourceMap(name string) (*sigmatest.LogsourceMap, error) {
	switch name {
	case "":
		return sigmatest.DefaultMap(), nil
	case "none":
		return sigmatest.NoMap(), nil
	}
	m, err := sigmatest.LoadLogsourceMap(name)
	if err != nil {
		return nil, usageErr(err)
	}
	return m, nil
}

// findTestRule finds the rule --rule names: a rule file, or the ID of a
// Sigma rule under the paths.
func (a *app) findTestRule(args []string, fl testFlags) (*rules.Rule, error) {
	if fi, err := os.Stat(fl.rule); err == nil && !fi.IsDir() {
		rs, probs := rules.Load(fl.rule)
		if len(probs) > 0 {
			return nil, usageErr(fmt.Errorf("--rule %s: %s", fl.rule, probs[0].Message))
		}
		for _, r := range rs {
			if r.Format == rules.FormatSigma {
				return r, nil
			}
		}
		return nil, usageErr(fmt.Errorf("--rule %s holds no Sigma rule", fl.rule))
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	files, _, err := a.discover(args, fl.disc)
	if err != nil {
		return nil, err
	}
	loaded, _ := rules.LoadAll(files, fl.jobs)
	for _, r := range loaded {
		if r.Format == rules.FormatSigma && strings.EqualFold(r.ID, fl.rule) {
			return r, nil
		}
	}
	return nil, usageErr(fmt.Errorf("--rule %s: no Sigma rule with that ID under %s; give the rule's ID or its file", fl.rule, strings.Join(args, ", ")))
}
