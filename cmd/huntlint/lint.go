package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/linter/fix"
	"github.com/huntlint/huntlint/linter/report"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/suggest"
	"github.com/huntlint/huntlint/rules"
)

// lintFlags are the flags of `huntlint lint`.
type lintFlags struct {
	format string
	output string
	checkFlags
	fileFlags
	failOn     string
	minSev     string
	statistics bool
	showSource bool
	fix        bool
	unsafe     bool
	suggest    bool
	quiet      bool
}

func (a *app) lintCommand() *cobra.Command {
	var fl lintFlags
	cmd := &cobra.Command{
		Use:         "lint [PATH...]",
		Annotations: map[string]string{missingPathsAnnotation: "true"},
		Short:       "Check the ATT&CK references of Sigma rules and KQL hunting queries",
		Long: "Check the ATT&CK references (and structure) of Sigma rules, Sentinel hunting and analytic YAML,\n" +
			".kql files and Markdown hunting queries under PATH (default: the current folder).\n\n" +
			"A path that does not exist (a rule deleted since the list of paths was made) is a\n" +
			"load-missing warning naming it, and everything else is still linted; symbolic links in\n" +
			"folders are followed only with --follow-symlinks, and each one skipped is a load-skipped\n" +
			"info.\n\n" +
			"Exit status: 0 when no finding is at or above --fail-on, 1 otherwise, 2 on usage,\n" +
			"configuration, environment or catalog errors, 3 when the report cannot be written.",
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.quiet = isQuiet(cmd)
			return a.runLint(args, fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: text, json, sarif or github")
	f.StringVarP(&fl.output, "output", "o", "", "write the report to FILE instead of standard output")
	declareForce(f, &a.force, "with --fix or -o, also change read-only files")
	fl.checkFlags.declare(f, "run only")
	f.StringVar(&fl.failOn, "fail-on", "error", "exit 1 when a finding is at or above this severity: error, warning, info or never")
	f.StringVar(&fl.minSev, "min-severity", "info", "report only findings at or above this severity: info (all), warning or error")
	choices(f, "format", report.Formats)
	choices(f, "fail-on", failOnValues)
	choices(f, "min-severity", minSeverityValues)
	fl.fileFlags.declare(f, "configuration file")
	f.BoolVar(&fl.statistics, "statistics", false, "print the number of findings per check")
	f.BoolVar(&fl.showSource, "show-source", false, "print the source line under each finding (default on a terminal)")
	f.BoolVar(&fl.fix, "fix", false, "apply safe fixes first, then report what remains (summary of fixes on stderr)")
	f.BoolVar(&fl.unsafe, "unsafe-fixes", false, "with --fix, also apply unsafe fixes")
	f.BoolVar(&fl.suggest, "suggest", false, "run the opt-in attack-missing-technique check and name the best suggested technique in its findings, learned from the tagged rules linted (slower: about 14x lint CPU on SigmaHQ, see docs/tag.md)")
	return cmd
}

// missingTechniqueID is the check --suggest feeds.
const missingTechniqueID = "attack-missing-technique"

// failOnValues and minSeverityValues are the values of --fail-on and
// --min-severity: the severities ParseSeverity takes, most severe first
// for --fail-on (and never), least severe first for --min-severity.
var (
	failOnValues      = []string{"error", "warning", "info", "never"}
	minSeverityValues = []string{"info", "warning", "error"}
)

// failThreshold parses --fail-on; 0 means never.
func failThreshold(s string) (linter.Severity, error) {
	if s == "never" {
		return 0, nil
	}
	sev, err := linter.ParseSeverity(s)
	if err != nil {
		return 0, fmt.Errorf("invalid --fail-on %q: use error, warning, info or never", s)
	}
	return sev, nil
}

func (a *app) runLint(args []string, fl lintFlags) error {
	threshold, err := failThreshold(fl.failOn)
	if err != nil {
		return usageErr(err)
	}
	minSev, err := linter.ParseSeverity(fl.minSev)
	if err != nil {
		return usageErr(fmt.Errorf("invalid --min-severity %q: use info, warning or error", fl.minSev))
	}
	cfg, cat, err := a.lintConfig()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	var out io.Writer = a.stdout
	terminal := fl.output == "" && stdoutIsTerminal(a.stdout)
	rep, err := report.New(fl.format, report.Options{
		Color:       terminal && !noColor(a.stdout),
		ShowSource:  fl.showSource || terminal,
		Statistics:  fl.statistics,
		NoSummary:   fl.quiet,
		ToolVersion: version,
	})
	if err != nil {
		return usageErr(err)
	}
	opts := linter.Options{
		Catalog: cat, Config: cfg,
		Select: fl.selectIDs, Ignore: fl.ignoreIDs, MinSeverity: minSev,
		Jobs: fl.jobs, FollowSymlinks: fl.followSymlinks,
	}
	if fl.suggest {
		// --suggest names techniques in attack-missing-technique findings,
		// so it turns that opt-in check on unless the configuration turned
		// it off.
		if cc, ok := cfg.Checks[missingTechniqueID]; !ok || cc.Enabled == nil {
			on := true
			cc.Enabled = &on
			if cfg.Checks == nil {
				cfg.Checks = map[string]linter.CheckConfig{}
			}
			cfg.Checks[missingTechniqueID] = cc
		}
		// ATT&CK's texts, when the cache keeps them, are one more signal;
		// read now, before the workers look anything up.
		if err := cat.LoadTexts(); err != nil {
			return err
		}
		// The suggester learns from the tagged rules being linted. It is
		// built when the first rule without a technique asks for it (never
		// when every rule has one), once: re-lints after --fix reuse it.
		var once sync.Once
		var s *suggest.Suggester
		var buildErr error
		var all []*rules.Rule
		best := func(r *rules.Rule, cat *mapper.Catalog) (*mapper.Object, bool) {
			once.Do(func() {
				start := time.Now()
				s, buildErr = suggest.New(cat, all)
				a.debugf("tag suggester trained on %d rules in %s", len(all), time.Since(start).Round(time.Millisecond))
			})
			if buildErr != nil {
				return nil, false
			}
			return s.Best(r, cat)
		}
		opts.SuggestFor = func(rs []*rules.Rule) linter.TechniqueSuggester {
			if all == nil {
				all = rs
			}
			return best
		}
		defer func() {
			if buildErr != nil {
				fmt.Fprintf(a.stderr, "huntlint: tag suggester not built: %v\n", buildErr)
			}
		}()
	}
	if fl.unsafe && !fl.fix {
		return usageErr(fmt.Errorf("--unsafe-fixes needs --fix"))
	}
	opts.Log = a.debugLine
	start := time.Now()
	res, err := linter.Lint(args, opts)
	if err != nil {
		return usageErr(err)
	}
	a.debugf("linted %d files in %s: %d findings", res.Files, time.Since(start).Round(time.Millisecond), len(res.Findings))
	if fl.fix {
		sum, err := fix.Apply(res.Findings, fix.Options{Unsafe: fl.unsafe, Relint: fix.Relinter(opts), Jobs: fl.jobs, Force: a.force})
		if err != nil {
			return ioErr(err)
		}
		var sumOut io.Writer = a.stderr
		if fl.quiet {
			sumOut = io.Discard
		}
		if err := sum.WriteText(sumOut, false); err != nil {
			return ioErr(err)
		}
		if sum.Fixed() > 0 {
			if res, err = linter.Lint(args, opts); err != nil {
				return usageErr(err)
			}
		}
	}
	// --output is written atomically: the report is streamed to a
	// temporary file, which then replaces the file in one rename.
	in := &report.Input{Result: res, Catalog: cat, MaxAge: cfg.Catalog.MaxAge}
	if fl.output != "" && fl.output != "-" {
		if err := a.writeOutputFunc(fl.output, func(w io.Writer) error { return rep.Format(w, in) }); err != nil {
			return err
		}
	} else if err = rep.Format(out, in); err != nil {
		return &exitError{code: ExitIO, err: fmt.Errorf("write report: %w", err)}
	}
	if threshold != 0 && res.Worst() >= threshold {
		return &exitError{code: ExitFindings}
	}
	return nil
}

// stdoutIsTerminal reports whether w is a terminal: lint shows source
// excerpts there even under NO_COLOR, which only turns colours off.
func stdoutIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
