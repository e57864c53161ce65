package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper"
)

// app holds what every command shares: streams, global flags, the logger.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	logLevel  string
	logFormat string
	catalogs  []string
	release   string
	domains   []string
	offline   bool
	force     bool // --force of the command: change read-only files too

	log zerolog.Logger

	cmd *cobra.Command // the command running, set before its RunE
	cfg *linter.Config // the configuration, once resolved (see config)
}

// run builds the command tree, executes args and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	ee := asExitError(err)
	if ee.err != nil {
		fmt.Fprintf(stderr, "huntlint: %v\n", ee.err)
	}
	return ee.code
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "huntlint",
		Short:         "Validate, fix and map MITRE ATT&CK tags in Sigma rules and KQL hunting queries",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return a.setup(cmd)
		},
	}
	f := root.PersistentFlags()
	f.StringVar(&a.logLevel, "log-level", "warn", "log level: trace, debug, info, warn, error (env HUNTLINT_LOG_LEVEL)")
	f.StringVar(&a.logFormat, "log-format", "console", "log format on stderr: console or json (env HUNTLINT_LOG_FORMAT)")
	f.StringArrayVar(&a.catalogs, "catalog", nil, "STIX bundle (.json or .json.gz) to use instead of the default catalog; repeatable (env HUNTLINT_CATALOG, comma-separated)")
	f.StringVar(&a.release, "catalog-release", "", "release name (e.g. 18.1) for --catalog bundles whose content and file name give none (env HUNTLINT_CATALOG_RELEASE)")
	f.StringArrayVar(&a.domains, "domain", nil, "active ATT&CK domain: enterprise-attack (default), mobile-attack, ics-attack; repeatable (env HUNTLINT_DOMAIN, comma-separated)")
	choices(f, "log-level", logLevels)
	choices(f, "log-format", logFormats)
	choices(f, "domain", mapper.AllDomains)
	f.BoolVar(&a.offline, "offline", false, "use only the embedded catalog (or --catalog), never the download cache (env HUNTLINT_OFFLINE)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErr(fmt.Errorf("%w (see 'huntlint --help')", err))
	})

	root.AddCommand(a.versionCommand())
	for _, add := range subcommands {
		root.AddCommand(add(a))
	}
	a.conventions(root)
	return root
}

// logLevels and logFormats are the values of --log-level and --log-format.
var (
	logLevels  = []string{"trace", "debug", "info", "warn", "error"}
	logFormats = []string{"console", "json"}
)

// subcommands lists the constructors of the commands beside version: the
// one place that names every command (help lists them alphabetically).
var subcommands = []func(*app) *cobra.Command{
	(*app).lintCommand,
	(*app).fixCommand,
	(*app).checksCommand,
	(*app).inspectCommand,
	(*app).tagCommand,
	(*app).layerCommand,
	(*app).gapsCommand,
	(*app).testCommand,
	(*app).migrateCommand,
	(*app).catalogCommand,
	(*app).completionCommand,
}

func (a *app) setup(cmd *cobra.Command) error {
	if err := applyGlobalEnv(cmd.Root()); err != nil {
		return err
	}
	lvl, err := zerolog.ParseLevel(strings.ToLower(a.logLevel))
	if err != nil || a.logLevel == "" {
		return usageErr(fmt.Errorf("invalid --log-level %q: use trace, debug, info, warn or error", a.logLevel))
	}
	var w io.Writer
	switch a.logFormat {
	case "json":
		w = a.stderr
	case "console":
		w = zerolog.ConsoleWriter{Out: a.stderr, NoColor: noColor(a.stderr)}
	default:
		return usageErr(fmt.Errorf("invalid --log-format %q: use console or json", a.logFormat))
	}
	a.log = zerolog.New(w).Level(lvl).With().Timestamp().Logger()
	return nil
}

// catalogOptions turns the global flags into catalog options.
func (a *app) catalogOptions() (mapper.Options, error) {
	opts := mapper.Options{Paths: a.catalogs, Offline: a.offline, Release: a.release, Now: clock, Log: a.debugLine}
	for _, d := range a.domains {
		for _, s := range strings.Split(d, ",") {
			s = strings.TrimSpace(s)
			switch mapper.Domain(s) {
			case mapper.Enterprise, mapper.Mobile, mapper.ICS:
				opts.Domains = append(opts.Domains, mapper.Domain(s))
			default:
				return opts, usageErr(fmt.Errorf("invalid --domain %q: use enterprise-attack, mobile-attack or ics-attack", s))
			}
		}
	}
	return opts, nil
}

// debugf logs a line at debug level: what huntlint decided and why.
func (a *app) debugf(format string, args ...any) {
	a.log.Debug().Msgf(format, args...)
}

// debugLine is debugf for the Log hooks of the packages (mapper.Options,
// linter.Options, ...).
func (a *app) debugLine(msg string) { a.log.Debug().Msg(msg) }

// noColor reports whether w must not get ANSI colours: not a terminal, or
// NO_COLOR set.
func noColor(w io.Writer) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return true
	}
	return !stdoutIsTerminal(w)
}
