package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/linter/fix"
	"github.com/huntlint/huntlint/linter/migrate"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// migrateFlags are the flags of `huntlint migrate`.
type migrateFlags struct {
	from, to string
	diff     bool
	format   string
	fileFlags
}

func (a *app) migrateCommand() *cobra.Command {
	var fl migrateFlags
	cmd := &cobra.Command{
		Use:   "migrate --from OLD --to NEW [PATH...]",
		Short: "Move the ATT&CK references of rules from one ATT&CK release to another",
		Long: "Map every ATT&CK reference of the files under PATH (default: the current folder) from the\n" +
			"release OLD to the release NEW, each a STIX bundle path or 'embedded': objects revoked in NEW\n" +
			"become their replacement, tactics whose shortname changed are respelled by tactic ID, and\n" +
			"the tactic tags of techniques that changed tactics follow them when that is unambiguous.\n" +
			"Every reference to an object deprecated in NEW (techniques, tactics, groups, software,\n" +
			"data sources such as attack.ds0005, ...), whether or not OLD had deprecated it already, is\n" +
			"listed for review as migrate-deprecated, and everything else that cannot be decided (removed\n" +
			"objects, ambiguous tactics) as migrate-manual. Files are edited in place, byte for byte\n" +
			"outside the references. --format json writes the plan as one JSON document (docs/fix.md).\n\n" +
			"Exit status: 0 when everything was migrated, 1 when something needs a human or a file\n" +
			"could not be migrated, 2 on usage or catalog errors.",
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runMigrate(args, fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.from, "from", "", "the release the rules are tagged against: a STIX bundle or 'embedded' (required)")
	f.StringVar(&fl.to, "to", "", "the release to move to: a STIX bundle or 'embedded' (required)")
	f.BoolVar(&fl.diff, "diff", false, "print a unified diff of the changes (for patch -p0 or git apply -p0) and write nothing")
	f.StringVar(&fl.format, "format", "text", "output format of the plan: text or json")
	choices(f, "format", textOrJSON)
	declareForce(f, &a.force, "also migrate read-only files")
	fl.fileFlags.declare(f, "configuration file for include and exclude patterns")
	return cmd
}

// migrateCatalog opens one side of a migration: a bundle path or the
// embedded catalog.
func (a *app) migrateCatalog(flag, v string) (*mapper.Catalog, error) {
	if v == "" {
		return nil, usageErr(fmt.Errorf("--%s is required: give a STIX bundle path or 'embedded'", flag))
	}
	if v == "embedded" {
		opts, err := a.catalogOptions()
		if err != nil {
			return nil, err
		}
		opts.Paths, opts.Offline = nil, true
		cat, err := mapper.Open(opts)
		if err != nil {
			return nil, usageErr(fmt.Errorf("--%s embedded: %w", flag, err))
		}
		return cat, nil
	}
	cat, err := mapper.LoadFile(v, "")
	if err != nil {
		return nil, usageErr(fmt.Errorf("--%s %s: %w", flag, v, err))
	}
	return cat, nil
}

func (a *app) runMigrate(args []string, fl migrateFlags) error {
	if err := checkFormat(fl.format); err != nil {
		return err
	}
	if _, err := a.config(); err != nil {
		return err
	}
	from, err := a.migrateCatalog("from", fl.from)
	if err != nil {
		return err
	}
	to, err := a.migrateCatalog("to", fl.to)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	files, probs, err := a.discover(args, rules.DiscoverOptions{FollowSymlinks: fl.followSymlinks})
	if err != nil {
		return err
	}
	var out io.Writer = a.stdout
	if fl.diff {
		out = a.stderr
	}
	for _, p := range probs {
		fmt.Fprintf(a.stderr, "huntlint: %s: %s\n", p.Path, p.Message)
	}
	if len(probs) > 0 && len(files) == 0 {
		return &exitError{code: ExitUsage}
	}
	opts := migrate.Options{From: from, To: to}
	findings := migrate.Files(files, opts, fl.jobs)
	fo := fix.Options{Jobs: fl.jobs, Force: a.force}
	if fl.diff {
		fo.Diff = a.stdout
	}
	sum, err := migrate.Apply(findings, opts, fo)
	if err != nil {
		return ioErr(err) // the diff could not be written
	}
	human, deprecated := 0, 0
	for _, f := range findings {
		if f.Fix == nil && f.Check != linter.LoadErrorID {
			human++
			if f.Check == migrate.CheckDeprecated {
				deprecated++
			}
		}
	}
	if fl.format == "json" {
		if err := migrate.NewReport(findings, sum, from, to, fl.diff).WriteJSON(out); err != nil {
			return ioErr(err)
		}
	} else {
		// The plan in file order: changes (marked [*]) and what needs a
		// human, at their positions in the files as they were.
		for _, f := range findings {
			fmt.Fprintln(out, linter.FormatFinding(f))
		}
		if err := sum.WriteTextAs(out, fl.diff, "migrated", "would migrate", "reference", "references"); err != nil {
			return ioErr(err)
		}
		if human > 0 {
			fmt.Fprintf(out, "%d %s a human: %d deprecated, %d other\n", human,
				plural(human, "reference needs", "references need"), deprecated, human-deprecated)
		}
	}
	if human > 0 || len(sum.Errors) > 0 || len(probs) > 0 {
		return &exitError{code: ExitFindings}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
