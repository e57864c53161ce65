package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/gaps"
	"github.com/huntlint/huntlint/mapper/layer"
	"github.com/huntlint/huntlint/rules"
)

// gapsFlags are the flags of `huntlint gaps`.
type gapsFlags struct {
	sel       gaps.Selection
	since     string
	format    string
	output    string
	name      string
	failUnder string
	layer     layerFlags // the rule filters and file discovery of `layer`
}

func (a *app) gapsCommand() *cobra.Command {
	var fl gapsFlags
	cmd := &cobra.Command{
		Use:   "gaps [PATH...]",
		Short: "Show the techniques chosen ATT&CK groups, campaigns and software use that no rule covers",
		Long: `Gaps compares the techniques that threats use (the catalog's uses
relationships of the --group, --campaign and --software chosen, by ID, name or
alias, or the --top-used techniques) with the rules under PATH (default: the
current folder). A used technique is covered when a rule names it or one of
its sub-techniques; revoked tags count under their replacement, and the rule
filters of 'huntlint layer' apply. Techniques are ranked by the number of
chosen threats that use them, then in matrix order.

--format text (default), json, markdown (a report for a ticket), navigator (a
Navigator 4.5 layer in three states) or html (the layer page's matrix with the
threats painted on). See docs/gaps.md.
Exit status: 0, or 1 when the coverage is under --fail-under or some file could
not be loaded, 2 on usage or catalog errors.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.layer.quiet = isQuiet(cmd)
			return a.runGaps(args, fl)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&fl.sel.Groups, "group", nil, "group by ID, name or alias (G0016, APT29, \"Cozy Bear\"); repeatable")
	f.StringArrayVar(&fl.sel.Campaigns, "campaign", nil, "campaign by ID, name or alias; repeatable")
	f.StringArrayVar(&fl.sel.Software, "software", nil, "software by ID, name or alias; repeatable")
	f.IntVar(&fl.sel.TopUsed, "top-used", 0, "add the N techniques used by the most groups")
	f.BoolVar(&fl.sel.IncludeSoftware, "include-software", false, "count the techniques of the software the groups and campaigns use")
	f.BoolVar(&fl.sel.IncludeCampaigns, "include-campaigns", false, "count the techniques of the campaigns attributed to the groups")
	f.StringVar(&fl.since, "since", "", "follow only relationships modified on or after this date (2024-01-31)")
	f.StringVar(&fl.format, "format", "text", "output format: text, json, markdown, navigator or html")
	choices(f, "format", gaps.Formats)
	f.StringVarP(&fl.output, "output", "o", "", "write to FILE instead of standard output")
	declareForce(f, &a.force, "with -o, also replace a read-only file")
	f.StringVar(&fl.name, "name", "huntlint gaps", "layer name and page title (navigator, html)")
	f.StringVar(&fl.failUnder, "fail-under", "", "exit 1 when under PCT percent of the used techniques are covered (0-100)")
	f.StringVar(&fl.layer.minLevel, "min-level", "", "keep rules at or above this level: informational, low, medium, high, critical")
	f.StringVar(&fl.layer.minStatus, "min-status", "", "keep Sigma rules at or above this status: experimental, test, stable (other formats pass)")
	f.StringSliceVar(&fl.layer.sourceFormats, "source-format", nil, "keep rules of these formats: sigma, sentinel, kql, markdown (comma-separated or repeated)")
	choices(f, "min-level", layer.Levels)
	choices(f, "min-status", layer.MinStatuses)
	choices(f, "source-format", rules.Formats)
	f.StringSliceVar(&fl.layer.products, "product", nil, "keep only rules whose Sigma logsource product is one of these (comma-separated or repeated)")
	fl.layer.evidence.declare(f)
	f.StringVar(&fl.layer.linkBase, "link-base", "", "URL prefix of rule files; links each covered technique to its rules (navigator)")
	f.StringArrayVar(&fl.layer.disc.Include, "include", nil, "glob of files to take from folders, replacing the defaults; repeatable")
	f.StringArrayVar(&fl.layer.disc.Exclude, "exclude", nil, "glob of files or folders to skip; repeatable")
	f.BoolVar(&fl.layer.disc.FollowSymlinks, "follow-symlinks", false, followSymlinksUsage)
	declareConfig(f)
	return cmd
}

// parseFailUnder checks a --fail-under value: a percentage 0-100, "%" allowed.
func parseFailUnder(s string) (float64, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 100 {
		return 0, false, fmt.Errorf("invalid --fail-under %q: give a percentage from 0 to 100, such as 60", s)
	}
	return v, true, nil
}

func (a *app) runGaps(args []string, fl gapsFlags) error {
	format, err := gaps.ParseFormat(fl.format)
	if err != nil {
		return usageErr(err)
	}
	if fl.sel.Empty() {
		return usageErr(fmt.Errorf("no threat chosen: give --group, --campaign, --software (ID, name or alias) or --top-used N"))
	}
	if fl.sel.TopUsed < 0 {
		return usageErr(fmt.Errorf("invalid --top-used %d: give a number of techniques above 0", fl.sel.TopUsed))
	}
	if fl.since != "" {
		if fl.sel.Since, err = gaps.ParseSince(fl.since); err != nil {
			return usageErr(err)
		}
	}
	failUnder, fail, err := parseFailUnder(fl.failUnder)
	if err != nil {
		return usageErr(err)
	}
	fl.layer.score = string(layer.ScoreCount)
	opts, err := fl.layer.layerOptions()
	if err != nil {
		return usageErr(err)
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	wo, err := a.layerWriteOptions(fl.name, layer.DefaultMinColor, layer.DefaultMaxColor, fl.layer.linkBase, args)
	if err != nil {
		return usageErr(err)
	}
	cat, err := a.openCatalog()
	if err != nil {
		return err
	}
	// The threats first: a misspelt name fails before the rules load.
	if _, err := gaps.ResolveThreats(cat, fl.sel); err != nil {
		return usageErr(err)
	}
	files, problems, err := a.discover(args, fl.layer.disc)
	if err != nil {
		return err
	}
	cov, loadProblems, err := fl.layer.evidence.aggregate(cat, files, opts)
	if err != nil {
		return err
	}
	problems = append(problems, loadProblems...)
	rep, err := gaps.Build(cat, cov, fl.sel)
	if err != nil {
		return usageErr(err)
	}
	var buf bytes.Buffer
	if err := gaps.Write(&buf, format, rep, wo); err != nil {
		return err
	}
	if err := a.writeOutput(fl.output, buf.Bytes()); err != nil {
		return err
	}
	summary := a.stderr
	if fl.layer.quiet {
		summary = io.Discard
	}
	if err := layerProblems(a.stderr, summary, problems); err != nil {
		return err
	}
	if fail && rep.Summary.Percent < failUnder {
		s := rep.Summary
		fmt.Fprintf(a.stderr, "huntlint: %.1f%% of the %d techniques the threats use are covered, under --fail-under %g%%; write rules for the top uncovered ones (huntlint gaps --format markdown lists them)\n",
			s.Percent, s.Used, failUnder)
		return &exitError{code: ExitFindings}
	}
	return nil
}

// layerWriteThreats writes the coverage of 'huntlint layer' in format, with
// the gaps overlay of --threat painted on when given.
func (a *app) layerWriteThreats(w io.Writer, fl layerFlags, format layer.OutputFormat, cat *mapper.Catalog, cov *layer.Coverage, wo layer.WriteOptions) error {
	if len(fl.threats) == 0 {
		return layer.Write(w, format, cov, wo)
	}
	if format != layer.FormatNavigator && format != layer.FormatHTML {
		return usageErr(fmt.Errorf("--threat paints the navigator and html formats, not %s; use --format navigator or html, or 'huntlint gaps --format %s'", format, format))
	}
	if fl.splitDomains {
		return usageErr(fmt.Errorf("--threat writes one layer file; leave out --split-domains"))
	}
	rep, err := gaps.Build(cat, cov, gaps.Selection{Any: fl.threats})
	if err != nil {
		return usageErr(err)
	}
	if format == layer.FormatHTML {
		return layer.WriteHTMLOverlay(w, cov, wo, rep.Overlay())
	}
	layers := layer.NavigatorOverlay(cov, wo, rep.Overlay())
	for _, l := range layers {
		if err := l.Validate(nil); err != nil {
			return err
		}
	}
	return layer.Encode(w, layers)
}
