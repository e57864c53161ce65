package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/mapper"
)

func (a *app) catalogCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Inspect, search, compare and update the MITRE ATT&CK catalog",
		Long: `The catalog is the MITRE ATT&CK knowledge base huntlint checks against: the
embedded release, a newer one downloaded by 'catalog update', or bundles given
with --catalog. The JSON forms are documented in docs/catalog.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.catalogInfoCommand(), a.catalogShowCommand(), a.catalogSearchCommand(), a.catalogDiffCommand(),
		a.catalogUpdateCommand())
	return cmd
}

// checkFormat validates a --format value of the catalog commands.
func checkFormat(format string) error {
	if !slices.Contains(textOrJSON, format) {
		return usageErr(fmt.Errorf("invalid --format %q: use text or json", format))
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (a *app) catalogInfoCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Show each domain's release, source and object counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			cat, err := a.openCatalogTexts()
			if err != nil {
				return err
			}
			maxAge, err := a.catalogMaxAge()
			if err != nil {
				return err
			}
			infos := cat.Info()
			for i := range infos {
				rel, _ := cat.Release(infos[i].Domain)
				infos[i].Outdated = rel.Outdated(cat.Now(), maxAge)
			}
			if format == "json" {
				return writeJSON(a.stdout, struct {
					Domains []mapper.DomainInfo `json:"domains"`
				}{infos})
			}
			writeInfoText(a.stdout, infos)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	choices(cmd.Flags(), "format", textOrJSON)
	return cmd
}

func (a *app) catalogShowCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show ID|TACTIC...",
		Short: "Show an ATT&CK object: name, tactics, platforms, parent, sub-techniques, status, replacements",
		Long: `Show describes every object an ATT&CK ID names (IDs are shared across types:
T1086 is a revoked technique and a deprecated mitigation) or the tactic a name
names (defense-evasion, DefenseEvasion, "Defense Evasion"). Revoked objects
show their replacement chain. Exit 2 when an argument names nothing.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			cat, err := a.openCatalogTexts()
			if err != nil {
				return err
			}
			views := []mapper.ObjectView{}
			var missing []error
			for _, s := range args {
				objs := cat.Lookup(s)
				if len(objs) == 0 {
					missing = append(missing, errors.New(cat.NotFound(s)))
				}
				for _, o := range objs {
					views = append(views, cat.View(o))
				}
			}
			if format == "json" {
				if err := writeJSON(a.stdout, struct {
					Objects []mapper.ObjectView `json:"objects"`
				}{views}); err != nil {
					return err
				}
			} else {
				for i, v := range views {
					if i > 0 {
						fmt.Fprintln(a.stdout)
					}
					writeViewText(a.stdout, cat, v)
				}
			}
			if len(missing) > 0 {
				return usageErr(errors.Join(missing...))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	choices(cmd.Flags(), "format", textOrJSON)
	return cmd
}

func (a *app) catalogSearchCommand() *cobra.Command {
	var (
		format string
		limit  int
	)
	cmd := &cobra.Command{
		Use:   "search TEXT",
		Short: "Find ATT&CK objects by ID or name, best matches first",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			if limit < 1 {
				return usageErr(fmt.Errorf("invalid --limit %d: use a number above 0", limit))
			}
			cat, err := a.openCatalog()
			if err != nil {
				return err
			}
			text := args[0]
			for _, s := range args[1:] {
				text += " " + s
			}
			res := cat.SearchResults(text, limit)
			if format == "json" {
				if res == nil {
					res = []mapper.SearchResult{}
				}
				return writeJSON(a.stdout, struct {
					Results []mapper.SearchResult `json:"results"`
				}{res})
			}
			if len(res) == 0 {
				fmt.Fprintf(a.stdout, "no ATT&CK object matches %q\n", text)
				return nil
			}
			writeSearchText(a.stdout, res)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	choices(cmd.Flags(), "format", textOrJSON)
	cmd.Flags().IntVarP(&limit, "limit", "n", 20, "most results to show")
	return cmd
}

func (a *app) catalogDiffCommand() *cobra.Command {
	var (
		format     string
		oldRelease string
		newRelease string
	)
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two catalogs: every object kind added, removed, renamed, revoked, deprecated; techniques moved between tactics",
		Long: `Diff compares two catalogs domain by domain (the domains both hold). OLD and
NEW are STIX bundle paths (.json or .json.gz), 'embedded' (the catalog built
into huntlint) or 'cache' (the one 'catalog update' downloaded). Objects of
every kind (tactics, techniques, groups, software, campaigns, mitigations,
data sources, data components, detection strategies, analytics, assets) are
followed by STIX id, then by ATT&CK ID, and classified as added, removed,
renamed, renumbered, given an ATT&CK ID, revoked (with the replacement),
deprecated or reactivated; techniques also as moved between tactics.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			old, err := mapper.LoadSpec(args[0], oldRelease, "")
			if err != nil {
				return usageErr(err)
			}
			new, err := mapper.LoadSpec(args[1], newRelease, "")
			if err != nil {
				return usageErr(err)
			}
			diffs := mapper.Diff(old, new)
			if len(diffs) == 0 {
				return usageErr(fmt.Errorf("%s and %s share no ATT&CK domain", args[0], args[1]))
			}
			if format == "json" {
				return writeJSON(a.stdout, struct {
					Domains []mapper.DomainDiff `json:"domains"`
				}{diffs})
			}
			writeDiffText(a.stdout, diffs)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	choices(cmd.Flags(), "format", textOrJSON)
	cmd.Flags().StringVar(&oldRelease, "old-release", "", "release name of OLD when the bundle does not carry one")
	cmd.Flags().StringVar(&newRelease, "new-release", "", "release name of NEW when the bundle does not carry one")
	return cmd
}

func (a *app) catalogUpdateCommand() *cobra.Command {
	var (
		format      string
		urls        []string
		from        []string
		maxDownload = sizeFlag(mapper.DefaultMaxDownloadSize)
		maxExpanded = sizeFlag(mapper.DefaultMaxExpandedSize)
	)
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Download the current ATT&CK release from MITRE (or import bundles) into the user cache",
		Long: `Update downloads MITRE's published ATT&CK STIX bundles over HTTPS (every
domain, or the --domain ones; --url replaces the built-in addresses), validates
each, and stores it in the user cache (` + "`os.UserCacheDir()/huntlint`" + `), replacing
the old file only when the new one is valid. Later runs use the newer of the
cache and the embedded catalog unless --offline or --catalog is given.

--from imports bundles instead, for machines that cannot reach MITRE: a file
(.json or .json.gz, STIX 2.0 or 2.1), a folder (every .json and .json.gz in
it; the newest release of each domain), or an https:// mirror (a bundle URL,
or a copy of MITRE's attack-stix-data layout: URL/enterprise-attack/
enterprise-attack.json, ...). Each is validated as a download is.

Every hop of a download must be https, redirects included. A download stops
past --max-download-size bytes, a bundle past --max-expanded-size bytes of
JSON after gunzip, a server that does not answer within 30 seconds or sends
nothing for 30 seconds. On any failure the cache is unchanged.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			opts, err := a.catalogOptions()
			if err != nil {
				return err
			}
			uo := mapper.UpdateOptions{URLs: urls, From: from, Domains: opts.Domains, CacheDir: opts.CacheDir, Release: opts.Release,
				MaxDownloadSize: int64(maxDownload), MaxExpandedSize: int64(maxExpanded), Client: updateClient,
				Log: a.debugLine}
			if catalogIsTTY(a.stderr) && format == "text" {
				uo.Progress = a.progressBar
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			res, err := mapper.Update(ctx, uo)
			if format == "json" {
				if res == nil {
					res = []mapper.UpdateResult{}
				}
				if werr := writeJSON(a.stdout, struct {
					Updated []mapper.UpdateResult `json:"updated"`
				}{res}); werr != nil {
					return werr
				}
			} else {
				w := summaryWriter(cmd, a.stdout)
				for _, r := range res {
					prev := "none before"
					if r.Previous != "" {
						prev = "was " + r.Previous
					}
					fmt.Fprintf(w, "%s %s stored in %s (%s)\n", r.Domain, r.Release, r.Path, prev)
					for _, s := range r.Skipped {
						fmt.Fprintf(w, "  skipped %s: an older %s release\n", s, r.Domain)
					}
				}
			}
			if ctx.Err() != nil && err != nil {
				return &exitError{code: ExitInterrupted, err: err}
			}
			if err != nil {
				return usageErr(err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	choices(cmd.Flags(), "format", textOrJSON)
	cmd.Flags().StringArrayVar(&urls, "url", nil, "STIX bundle URL to download instead of MITRE's default ones; repeatable")
	cmd.Flags().StringArrayVar(&from, "from", nil, "import bundles instead of downloading from MITRE: a file, a folder of bundles or an https:// mirror; repeatable")
	cmd.Flags().Var(&maxDownload, "max-download-size", "most bytes one download may send (as received, gzip included)")
	cmd.Flags().Var(&maxExpanded, "max-expanded-size", "most bytes of JSON one bundle may hold after gunzip")
	return cmd
}

// sizeFlag is a byte size flag: "64MiB", "512M", "100000000".
type sizeFlag int64

func (s *sizeFlag) String() string {
	n := int64(*s)
	for _, u := range []struct {
		unit string
		mult int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return fmt.Sprintf("%d%s", n/u.mult, u.unit)
		}
	}
	return fmt.Sprint(n)
}

func (s *sizeFlag) Set(v string) error {
	n, err := mapper.ParseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

func (s *sizeFlag) Type() string { return "size" }

// progressBar draws a download progress bar on stderr, within 80 columns.
func (a *app) progressBar(url string, size int64) (io.Writer, func()) {
	bar := progressbar.NewOptions64(size,
		progressbar.OptionSetDescription(progressLabel(url, size)),
		progressbar.OptionSetWriter(a.stderr),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(16),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return bar, func() { _ = bar.Finish() }
}

// progressLabel names a download in a few columns: the bundle's file name
// without its extension (the domain, for MITRE's URLs), at most 17
// characters, and the size when known: "enterprise-attack 47.1 MB".
func progressLabel(rawURL string, size int64) string {
	name := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		name = path.Base(u.Path)
		if name == "/" || name == "." {
			name = u.Hostname()
		}
	}
	for _, ext := range []string{".gz", ".json"} {
		name = strings.TrimSuffix(name, ext)
	}
	if r := []rune(name); len(r) > 17 {
		name = string(r[:16]) + "…"
	}
	if size >= 0 {
		name += fmt.Sprintf(" %.1f MB", float64(size)/1e6)
	}
	return name
}

// catalogIsTTY reports whether w is a terminal (for the progress bar).
func catalogIsTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
