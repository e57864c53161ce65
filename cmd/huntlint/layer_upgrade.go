package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/layer"
)

// layerRead reads a layer file of any format Navigator reads, printing the
// reader's notes (when notes is set) and, with strict, the unknown fields
// to standard error.
func (a *app) layerRead(path string, strict, notes bool) ([]*layer.Layer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileErr(fmt.Errorf("read layer: %w", unwrapPathError(err)))
	}
	defer f.Close()
	res, err := layer.Read(f, layer.ReadOptions{Strict: strict})
	if err != nil {
		return nil, usageErr(fmt.Errorf("%s: %w", path, err))
	}
	for _, w := range res.Warnings {
		if notes || strings.Contains(w, "unknown field ") {
			fmt.Fprintf(a.stderr, "huntlint: %s: %s\n", path, w)
		}
	}
	return res.Layers, nil
}

// layerCurrent upgrades layers read from path in memory to the catalog's
// release when they are of another format or release, and says so on
// standard error.
func (a *app) layerCurrent(path string, ls []*layer.Layer, cat *mapper.Catalog) ([]*layer.Layer, error) {
	need := false
	for _, l := range ls {
		rel, ok := cat.Release(mapper.Domain(l.Domain))
		if !ok {
			continue
		}
		if l.Source != nil && l.Source.Format != layer.LayerVersion ||
			l.Versions == nil || l.Versions.Attack == nil || !sameRelease(*l.Versions.Attack, rel.Version) {
			need = true
		}
	}
	if !need {
		return ls, nil
	}
	var keep []*layer.Layer // layers of domains the catalog does not hold pass as read
	var up []*layer.Layer
	for _, l := range ls {
		if _, ok := cat.Release(mapper.Domain(l.Domain)); ok {
			up = append(up, l)
		} else {
			keep = append(keep, l)
		}
	}
	out, rep, err := layer.Upgrade(path, up, layer.UpgradeOptions{Target: cat})
	if err != nil {
		return nil, usageErr(fmt.Errorf("%s: %w", path, err))
	}
	for _, l := range rep.Layers {
		from := l.FromRelease
		if from == "" {
			from = "not given"
		}
		fmt.Fprintf(a.stderr, "huntlint: %s: layer %q (format %s, ATT&CK %s) upgraded in memory to format %s and ATT&CK %s\n",
			path, l.Name, l.FromFormat, from, layer.LayerVersion, l.ToRelease)
	}
	if len(rep.Review()) > 0 {
		fmt.Fprintf(a.stderr, "huntlint: %s: %s; run 'huntlint layer upgrade %s' to review\n", path, rep.Summary(), path)
	}
	return append(out, keep...), nil
}

// layerFileNames names one output file per layer of an input file in
// folder dir: BASE.json for a file of one layer, BASE-DOMAIN.json for
// several (BASE-DOMAIN-2.json for a second layer of one domain).
func layerFileNames(dir, input string, ls []*layer.Layer) []string {
	base := strings.TrimSuffix(filepath.Base(input), filepath.Ext(input))
	if base == "" || base == "." || base == "-" {
		base = "layer"
	}
	if len(ls) == 1 {
		return []string{filepath.Join(dir, base+".json")}
	}
	seen := map[string]int{}
	var out []string
	for _, l := range ls {
		seen[l.Domain]++
		name := base + "-" + l.Domain
		if n := seen[l.Domain]; n > 1 {
			name += fmt.Sprintf("-%d", n)
		}
		out = append(out, filepath.Join(dir, name+".json"))
	}
	return out
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// layerWriteSplit writes each layer to its own file in folder dir (made
// when missing) and returns the paths.
func (a *app) layerWriteSplit(dir, input string, ls []*layer.Layer) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fileErr(fmt.Errorf("create folder %s: %w", dir, unwrapPathError(err)))
	}
	names := layerFileNames(dir, input, ls)
	for i, l := range ls {
		var buf bytes.Buffer
		if err := layer.Encode(&buf, []*layer.Layer{l}); err != nil {
			return nil, err
		}
		if err := a.writeOutput(names[i], buf.Bytes()); err != nil {
			return nil, err
		}
	}
	return names, nil
}

type layerUpgradeFlags struct {
	fromCatalog  string
	output       string
	inPlace      bool
	format       string
	failOnReview bool
	strict       bool
	splitDomains bool
	forNavlayers bool
}

func (a *app) layerUpgradeCommand() *cobra.Command {
	var fl layerUpgradeFlags
	cmd := &cobra.Command{
		Use:   "upgrade LAYER...",
		Short: "Bring Navigator layers of any format and ATT&CK release to format 4.5 and the loaded catalog's release",
		Long: `Upgrade reads Navigator layers of any format (3.0, 4.0 to 4.5; one layer or a
list) and writes them in format 4.5 for the catalog's ATT&CK release (--catalog,
--domain). Unchanged techniques keep every annotation, unknown fields included.
A revoked technique moves to the end of its revocation chain (its metadata says
so); entries that land on one technique and tactic merge: the highest score,
comments joined. A technique whose tactics changed is annotated under its
current tactics. Deprecated and unknown techniques are left out.

The report (--format text, markdown or json) lists every change by kind: moved,
merged, tactics changed, dropped, kept. With --from-catalog (a STIX bundle of the
layer's own release, or 'embedded') the exact change between the two releases is
used; otherwise the target catalog's revocations and deprecations.

The layer goes to standard output, -o FILE, -o FOLDER (one file per input, and
one per domain for lists) or back into each file (--in-place); the report then
goes to standard output, else to standard error.
Exit status: 0 when written, 1 with --fail-on-review when the report lists
anything to review, 2 on unreadable layers or usage errors. See docs/layers.md.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runLayerUpgrade(args, fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.fromCatalog, "from-catalog", "", "STIX bundle of the layers' own ATT&CK release (or 'embedded'), for the exact release diff")
	f.StringVarP(&fl.output, "output", "o", "", "write the upgraded layer to FILE, or into FOLDER one file per input (and per domain)")
	f.BoolVar(&fl.inPlace, "in-place", false, "rewrite each LAYER file")
	declareForce(f, &a.force, "with -o or --in-place, also replace read-only files")
	f.StringVar(&fl.format, "format", "text", "report format: text, markdown or json")
	choices(f, "format", layerUpgradeFormats)
	f.BoolVar(&fl.failOnReview, "fail-on-review", false, "exit 1 when the report lists anything to review (moved, merged, tactics changed, dropped)")
	f.BoolVar(&fl.strict, "strict", false, "warn about fields no layer format defines (they are kept)")
	f.BoolVar(&fl.splitDomains, "split-domains", false, "write one file per domain (needs -o FOLDER or --in-place)")
	f.BoolVar(&fl.forNavlayers, "for-navlayers", false, "leave out what mitreattack-python's navlayers refuses: unknown layer and technique fields, customDataURL, metadata dividers (listed in the report)")
	return cmd
}

// layerUpgradeFormats are the report formats of layer upgrade.
var layerUpgradeFormats = []string{"text", "markdown", "json"}

func (a *app) runLayerUpgrade(args []string, fl layerUpgradeFlags) error {
	if !slices.Contains(layerUpgradeFormats, fl.format) {
		return usageErr(fmt.Errorf("invalid --format %q: use text, markdown or json", fl.format))
	}
	if fl.inPlace && fl.output != "" {
		return usageErr(fmt.Errorf("--in-place and --output exclude each other: rewrite the files or write elsewhere"))
	}
	toDir := fl.output != "" && (isDir(fl.output) || strings.HasSuffix(fl.output, "/") || fl.splitDomains)
	if len(args) > 1 && fl.output != "" && !toDir {
		return usageErr(fmt.Errorf("-o %s is a file, but %d layer files were given; give a folder (-o out/) or --in-place", fl.output, len(args)))
	}
	if fl.splitDomains && fl.output == "" && !fl.inPlace {
		return usageErr(fmt.Errorf("--split-domains writes files: give -o FOLDER or --in-place"))
	}
	cat, err := a.openCatalog()
	if err != nil {
		return err
	}
	var from *mapper.Catalog
	if fl.fromCatalog != "" {
		if from, err = a.migrateCatalog("from-catalog", fl.fromCatalog); err != nil {
			return err
		}
	}
	rep := &layer.UpgradeReport{}
	type result struct {
		path   string
		layers []*layer.Layer
	}
	var results []result
	for _, p := range args {
		ls, err := a.layerRead(p, fl.strict, false) // the report lists the notes
		if err != nil {
			return err
		}
		out, r, err := layer.Upgrade(p, ls, layer.UpgradeOptions{Target: cat, From: from})
		if err != nil {
			return usageErr(fmt.Errorf("%s: %w", p, err))
		}
		if fl.forNavlayers {
			for i, l := range out {
				r.Layers[i].Notes = append(r.Layers[i].Notes, l.ForNavlayers()...)
			}
		}
		rep.Append(r)
		results = append(results, result{p, out})
	}
	var written []string
	switch {
	case fl.inPlace:
		for _, r := range results {
			if fl.splitDomains && len(r.layers) > 1 {
				names, err := a.layerWriteSplit(filepath.Dir(r.path), r.path, r.layers)
				if err != nil {
					return err
				}
				written = append(written, names...)
				continue
			}
			var buf bytes.Buffer
			if err := layer.Encode(&buf, r.layers); err != nil {
				return err
			}
			if err := a.writeOutput(r.path, buf.Bytes()); err != nil {
				return err
			}
			written = append(written, r.path)
		}
	case toDir:
		for _, r := range results {
			names, err := a.layerWriteSplit(fl.output, r.path, r.layers)
			if err != nil {
				return err
			}
			written = append(written, names...)
		}
	default:
		var all []*layer.Layer
		for _, r := range results {
			all = append(all, r.layers...)
		}
		var buf bytes.Buffer
		if err := layer.Encode(&buf, all); err != nil {
			return err
		}
		if err := a.writeOutput(fl.output, buf.Bytes()); err != nil {
			return err
		}
		if fl.output != "" && fl.output != "-" {
			written = append(written, fl.output)
		}
	}
	reportTo := a.stdout
	if len(written) == 0 {
		reportTo = a.stderr
	}
	var buf bytes.Buffer
	switch fl.format {
	case "json":
		err = rep.WriteJSON(&buf)
	case "markdown":
		err = rep.WriteMarkdown(&buf)
	default:
		err = rep.WriteText(&buf)
		if len(written) > 0 {
			fmt.Fprintf(&buf, "written: %s\n", strings.Join(written, ", "))
		}
	}
	if err != nil {
		return err
	}
	if _, err := reportTo.Write(buf.Bytes()); err != nil {
		return err
	}
	if fl.failOnReview && rep.NeedsReview() {
		return &exitError{code: ExitFindings}
	}
	return nil
}

// layerReadCurrent reads a layer file of any format and upgrades it in
// memory to the catalog's release when needed (see layerCurrent).
func (a *app) layerReadCurrent(path string, strict bool, cat *mapper.Catalog) ([]*layer.Layer, error) {
	ls, err := a.layerRead(path, strict, true)
	if err != nil {
		return nil, err
	}
	return a.layerCurrent(path, ls, cat)
}

// layerWriteCoverage writes the output of 'huntlint layer': data to path,
// or, for Navigator layers with --split-domains or when path is a folder,
// one file per domain into that folder (mitreattack-python's
// Layer.from_file reads one layer object per file, not a list).
func (a *app) layerWriteCoverage(path string, split bool, format layer.OutputFormat, cov *layer.Coverage, wo layer.WriteOptions, data []byte) error {
	if format != layer.FormatNavigator || !(split || isDir(path) || strings.HasSuffix(path, "/")) {
		return a.layerWriteOut(path, data)
	}
	if path == "" || path == "-" {
		return usageErr(fmt.Errorf("--split-domains writes one file per domain: give a folder with -o"))
	}
	names, err := a.layerWriteSplit(path, "coverage.json", layer.Navigator(cov, wo))
	if err != nil {
		return err
	}
	a.log.Info().Strs("files", names).Msg("one layer file per domain")
	return nil
}

// sameRelease reports whether a layer's versions.attack names release rel:
// the Navigator writes the major version only ("18" for 18.1).
func sameRelease(attack, rel string) bool {
	return attack == rel || strings.HasPrefix(rel, attack+".")
}
