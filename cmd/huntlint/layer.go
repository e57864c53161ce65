package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/mapper/layer"
	"github.com/huntlint/huntlint/rules"
)

// layerFlags are the flags of `huntlint layer`.
type layerFlags struct {
	output, format, name string
	score, statusWeights string
	evidence             evidenceFlags
	rollup               bool
	minLevel, minStatus  string
	sourceFormats        []string
	products, tactics    []string
	minColor, maxColor   string
	linkBase             string
	threats              []string // --threat: the gaps overlay (gaps.go)
	disc                 rules.DiscoverOptions
	quiet                bool
	splitDomains         bool
}

func (a *app) layerCommand() *cobra.Command {
	var fl layerFlags
	cmd := &cobra.Command{
		Use:   "layer [PATH...]",
		Short: "Build ATT&CK coverage layers (Navigator, CSV, Markdown, SVG, HTML) from rules",
		Long: `Layer aggregates every rule under PATH (default: the current folder) into
per-technique ATT&CK coverage, one layer per domain, and writes it as an ATT&CK
Navigator layer (format 4.5), CSV, a Markdown report, an SVG heatmap or a
self-contained HTML page. Revoked technique IDs count under their replacement;
unknown and deprecated ones are left out and listed in the summary.

The date written into layers is today, or SOURCE_DATE_EPOCH when set.
Exit status: 0 when the layer was written, 1 when some file could not be loaded
(the layer is still written; the problems are printed), 2 on usage or catalog
errors. See docs/layers.md.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.quiet = isQuiet(cmd)
			return a.runLayer(args, fl)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.output, "output", "o", "", "write to FILE instead of standard output")
	declareForce(f, &a.force, "with -o, also replace a read-only file")
	f.StringVar(&fl.format, "format", "navigator", "output format: navigator, csv, markdown, svg or html")
	choices(f, "format", layer.OutputFormats)
	f.StringVar(&fl.name, "name", "huntlint coverage", "layer name and report title")
	f.StringVar(&fl.score, "score", "count", "score function: count (rules), level (sum of level weights) or max (highest level weight)")
	choices(f, "score", layer.ScoreFuncs)
	f.StringVar(&fl.statusWeights, "status-weight", "", "weights per rule status, e.g. stable=1,test=0.75,experimental=0.5 (unlisted statuses weigh 1)")
	fl.evidence.declare(f)
	f.BoolVar(&fl.rollup, "rollup", false, "count the rules of sub-techniques on their parent technique too")
	f.StringVar(&fl.minLevel, "min-level", "", "keep rules at or above this level: informational, low, medium, high, critical")
	f.StringVar(&fl.minStatus, "min-status", "", "keep Sigma rules at or above this status: experimental, test, stable (other formats pass)")
	f.StringSliceVar(&fl.sourceFormats, "source-format", nil, "keep rules of these formats: sigma, sentinel, kql, markdown (comma-separated or repeated)")
	choices(f, "min-level", layer.Levels)
	choices(f, "min-status", layer.MinStatuses)
	choices(f, "source-format", rules.Formats)
	f.StringSliceVar(&fl.products, "product", nil, "keep only rules whose Sigma logsource product is one of these; rules without a product are dropped (comma-separated or repeated)")
	f.StringSliceVar(&fl.tactics, "tactic", nil, "keep only these tactics (ID, name or shortname; comma-separated or repeated)")
	f.StringVar(&fl.minColor, "min-color", layer.DefaultMinColor, "gradient colour of the lowest score")
	f.StringVar(&fl.maxColor, "max-color", layer.DefaultMaxColor, "gradient colour of the highest score")
	f.StringArrayVar(&fl.threats, "threat", nil, "paint on the layer the techniques this group, campaign or software uses (ID, name or alias; navigator and html formats), as 'huntlint gaps' does; repeatable")
	f.StringVar(&fl.linkBase, "link-base", "", "URL prefix of rule files; adds a link per rule to each technique, e.g. https://github.com/org/repo/blob/main/")
	f.StringArrayVar(&fl.disc.Include, "include", nil, "glob of files to take from folders, replacing the defaults; repeatable")
	f.StringArrayVar(&fl.disc.Exclude, "exclude", nil, "glob of files or folders to skip; repeatable")
	f.BoolVar(&fl.disc.FollowSymlinks, "follow-symlinks", false, followSymlinksUsage)
	declareConfig(f)
	f.BoolVar(&fl.splitDomains, "split-domains", false, "navigator format: write one file per domain into the folder -o names (the default when -o is a folder)")
	cmd.AddCommand(a.layerDiffCommand(), a.layerMergeCommand(), a.layerUpgradeCommand())
	return cmd
}

// layerOptions turns flags into aggregation options.
func (fl layerFlags) layerOptions() (layer.Options, error) {
	var o layer.Options
	var err error
	if o.Score, err = layer.ParseScoreFunc(fl.score); err != nil {
		return o, err
	}
	if fl.statusWeights != "" {
		if o.StatusWeights, err = layer.ParseStatusWeights(fl.statusWeights); err != nil {
			return o, err
		}
	}
	o.Rollup = fl.rollup
	if fl.minLevel != "" {
		if o.MinLevel, err = layer.ParseLevel(fl.minLevel); err != nil {
			return o, err
		}
	}
	if fl.minStatus != "" {
		if o.MinStatus, err = layer.ParseStatus(fl.minStatus); err != nil {
			return o, err
		}
	}
	for _, s := range fl.sourceFormats {
		f := rules.Format(strings.ToLower(strings.TrimSpace(s)))
		if !slices.Contains(rules.Formats, f) {
			return o, fmt.Errorf("invalid --source-format %q: use sigma, sentinel, kql or markdown", s)
		}
		o.Formats = append(o.Formats, f)
	}
	o.Products = fl.products
	o.Tactics = fl.tactics
	return o, nil
}

// layerDate is now, or SOURCE_DATE_EPOCH for reproducible output.
func layerDate() (time.Time, error) {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("invalid SOURCE_DATE_EPOCH %q: expected seconds since 1970", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Now(), nil
}

func (a *app) layerWriteOptions(name, minColor, maxColor, linkBase string, inputs []string) (layer.WriteOptions, error) {
	for _, c := range []string{minColor, maxColor} {
		if err := layer.CheckColor(c); err != nil {
			return layer.WriteOptions{}, err
		}
	}
	if linkBase != "" && !strings.Contains(linkBase, "://") {
		return layer.WriteOptions{}, fmt.Errorf("invalid --link-base %q: a URL must start with a protocol such as \"https://\"", linkBase)
	}
	date, err := layerDate()
	if err != nil {
		return layer.WriteOptions{}, err
	}
	return layer.WriteOptions{
		Name: name, MinColor: minColor, MaxColor: maxColor, LinkBase: linkBase,
		Generator: "huntlint " + version, Date: date, Inputs: inputs,
	}, nil
}

func (a *app) runLayer(args []string, fl layerFlags) error {
	format, err := layer.ParseOutputFormat(fl.format)
	if err != nil {
		return usageErr(err)
	}
	opts, err := fl.layerOptions()
	if err != nil {
		return usageErr(err)
	}
	if len(args) == 0 {
		args = []string{"."}
	}
	wo, err := a.layerWriteOptions(fl.name, fl.minColor, fl.maxColor, fl.linkBase, args)
	if err != nil {
		return usageErr(err)
	}
	cat, err := a.openCatalog()
	if err != nil {
		return err
	}
	files, problems, err := a.discover(args, fl.disc)
	if err != nil {
		return err
	}
	cov, loadProblems, err := fl.evidence.aggregate(cat, files, opts)
	if err != nil {
		return err
	}
	problems = append(problems, loadProblems...)
	var buf bytes.Buffer
	if err := a.layerWriteThreats(&buf, fl, format, cat, cov, wo); err != nil {
		return err
	}
	if err := a.layerWriteCoverage(fl.output, fl.splitDomains, format, cov, wo, buf.Bytes()); err != nil {
		return err
	}
	a.log.Info().Int("rules", len(cov.Rules)).Int("filtered", cov.Filtered).Int("revoked", len(cov.Revoked)).
		Int("unknown", len(cov.Unknown)).Int("deprecated", len(cov.Deprecated)).Msg("layer written")
	summary := a.stderr
	if fl.quiet {
		summary = io.Discard
	}
	return layerProblems(a.stderr, summary, problems)
}

// layerProblems prints load problems as file:line:col: message to w, a
// count to summary, and turns them into exit status 1.
func layerProblems(w, summary io.Writer, problems []rules.Problem) error {
	if len(problems) == 0 {
		return nil
	}
	for _, p := range problems {
		switch {
		case p.Line > 0 && p.Column > 0:
			fmt.Fprintf(w, "%s:%d:%d: %s\n", p.Path, p.Line, p.Column, p.Message)
		case p.Line > 0:
			fmt.Fprintf(w, "%s:%d: %s\n", p.Path, p.Line, p.Message)
		default:
			fmt.Fprintf(w, "%s: %s\n", p.Path, p.Message)
		}
	}
	fmt.Fprintf(summary, "huntlint: %d %s could not be loaded and %s left out of the layer\n",
		len(problems), layerPlural(len(problems), "file or rule", "files or rules"), layerPlural(len(problems), "is", "are"))
	return &exitError{code: ExitFindings}
}

func layerPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// layerWriteOut writes data to path atomically, or to standard output when
// path is empty or "-".
func (a *app) layerWriteOut(path string, data []byte) error {
	return a.writeOutput(path, data)
}

// layerDiffFormats are the formats of layer diff.
var layerDiffFormats = []string{"markdown", "json"}

// layerReadFile reads and validates one Navigator layer file.
func layerReadFile(path string) ([]*layer.Layer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileErr(fmt.Errorf("read layer: %w", err))
	}
	defer f.Close()
	ls, err := layer.Decode(f, nil)
	if err != nil {
		return nil, usageErr(fmt.Errorf("%s: %w", path, err))
	}
	return ls, nil
}

func (a *app) layerDiffCommand() *cobra.Command {
	var format, output string
	var against []string
	var strict bool
	cmd := &cobra.Command{
		Use:   "diff OLD NEW | diff DETECTIONS --against CONTROLS",
		Short: "Show the techniques gained, lost and changed in score between two Navigator layers",
		Long: `Diff compares two ATT&CK Navigator layer files (any format Navigator reads, one
layer or a list) domain by domain: techniques gained, lost and changed in score,
by tactic. Layers of another format or ATT&CK release are first upgraded in
memory to the catalog's release (as 'layer upgrade' does), and a line on
standard error says so.
With --against, DETECTIONS is a detection layer and CONTROLS are control-mapping
layers (Protect, Detect, Respond): the report lists the techniques that neither
a rule detects nor a control covers, by tactic, and those only controls cover.
--format markdown (default) is fit for a pull-request comment; --format json
writes {"gained":[…],"lost":[…],"changed":[{"techniqueID","old","new",…}]}.
Exit status: 0 whether or not the layers differ, 2 on unreadable or invalid layers.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "markdown" && format != "json" {
				return usageErr(fmt.Errorf("invalid --format %q: use markdown or json", format))
			}
			if len(against) == 0 && len(args) != 2 {
				return usageErr(fmt.Errorf("diff needs OLD and NEW layer files, or one detection layer and --against CONTROLS"))
			}
			cat, err := a.openCatalog()
			if err != nil {
				return err
			}
			if len(against) > 0 {
				return a.runLayerAgainst(args, against, format, output, strict, cat)
			}
			old, err := a.layerReadCurrent(args[0], strict, cat)
			if err != nil {
				return err
			}
			new, err := a.layerReadCurrent(args[1], strict, cat)
			if err != nil {
				return err
			}
			d := layer.DiffLayers(old, new, cat)
			var buf bytes.Buffer
			if format == "json" {
				err = d.WriteJSON(&buf)
			} else {
				err = d.WriteMarkdown(&buf)
			}
			if err != nil {
				return err
			}
			return a.layerWriteOut(output, buf.Bytes())
		},
	}
	cmd.Flags().StringVar(&format, "format", "markdown", "output format: markdown or json")
	choices(cmd.Flags(), "format", layerDiffFormats)
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of standard output")
	cmd.Flags().StringSliceVar(&against, "against", nil, "control-mapping layers: list the techniques neither DETECTIONS nor a control covers (comma-separated or repeated)")
	cmd.Flags().BoolVar(&strict, "strict", false, "warn about fields no layer format defines (they are kept)")
	declareForce(cmd.Flags(), &a.force, "with -o, also replace a read-only file")
	return cmd
}

func (a *app) layerMergeCommand() *cobra.Command {
	var op, output, name string
	var strict, split bool
	cmd := &cobra.Command{
		Use:   "merge A B...",
		Short: "Merge Navigator layers into one layer per domain",
		Long: `Merge combines ATT&CK Navigator layer files (any format Navigator reads)
domain by domain, for instance detection coverage with control mappings.
--op max (default) keeps every technique with its highest score, sum adds the
scores, min keeps only techniques scored in every layer with the lowest score.
Comments, links and metadata of every input are kept, and each technique's
metadata names the layers it came from. Layers of another format or ATT&CK
release are first upgraded in memory to the catalog's release, and a line on
standard error says so.`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			mop, err := layer.ParseMergeOp(op)
			if err != nil {
				return usageErr(err)
			}
			cat, err := a.openCatalog()
			if err != nil {
				return err
			}
			var inputs []layer.MergeInput
			for _, p := range args {
				ls, err := a.layerReadCurrent(p, strict, cat)
				if err != nil {
					return err
				}
				inputs = append(inputs, layer.MergeInput{Name: p, Layers: ls})
			}
			wo, err := a.layerWriteOptions(name, layer.DefaultMinColor, layer.DefaultMaxColor, "", args)
			if err != nil {
				return usageErr(err)
			}
			merged, err := layer.Merge(inputs, mop, wo)
			if err != nil {
				return usageErr(err)
			}
			if split || isDir(output) || strings.HasSuffix(output, "/") {
				if output == "" || output == "-" {
					return usageErr(fmt.Errorf("--split-domains writes one file per domain: give a folder with -o"))
				}
				_, err := a.layerWriteSplit(output, "merged.json", merged)
				return err
			}
			var buf bytes.Buffer
			if err := layer.Encode(&buf, merged); err != nil {
				return err
			}
			return a.layerWriteOut(output, buf.Bytes())
		},
	}
	cmd.Flags().BoolVar(&split, "split-domains", false, "write one file per domain into the folder -o names (the default when -o is a folder)")
	cmd.Flags().StringVar(&op, "op", "max", "how scores combine: max, sum or min")
	choices(cmd.Flags(), "op", layer.MergeOps)
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE instead of standard output")
	declareForce(cmd.Flags(), &a.force, "with -o, also replace a read-only file")
	cmd.Flags().StringVar(&name, "name", "huntlint merged coverage", "name of the merged layer")
	cmd.Flags().BoolVar(&strict, "strict", false, "warn about fields no layer format defines (they are kept)")
	return cmd
}
