package mapper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"github.com/huntlint/huntlint/internal/atomicfile"
)

// DefaultURLs are MITRE's published ATT&CK STIX bundles (the
// mitre-attack/attack-stix-data repository), the newest release of each
// domain.
var DefaultURLs = map[Domain]string{
	Enterprise: "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/enterprise-attack/enterprise-attack.json",
	Mobile:     "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/mobile-attack/mobile-attack.json",
	ICS:        "https://raw.githubusercontent.com/mitre-attack/attack-stix-data/master/ics-attack/ics-attack.json",
}

// UpdateOptions say what `catalog update` downloads and where it stores it.
type UpdateOptions struct {
	// URLs to download; empty means DefaultURLs of Domains. The domain of
	// each bundle is read from its content.
	URLs []string
	// Domains to update from DefaultURLs when URLs is empty; empty means
	// every domain. With URLs, a bundle of another domain is an error.
	Domains []Domain
	// CacheDir overrides DefaultCacheDir.
	CacheDir string
	// Client is the HTTP client; nil means one with a 10 minute timeout.
	Client *http.Client
	// AllowHTTP permits plain http:// URLs (tests); otherwise only https.
	AllowHTTP bool
	// Progress, when set, is called when a download starts (size is -1 when
	// unknown) and returns a writer that receives the downloaded bytes, and
	// a function called when the download ends.
	Progress func(url string, size int64) (io.Writer, func())
}

// UpdateResult is one domain stored in the cache.
type UpdateResult struct {
	URL      string `json:"url"`
	Domain   Domain `json:"domain"`
	Release  string `json:"release"`
	Modified string `json:"modified"`
	Path     string `json:"path"`     // cache file written
	Previous string `json:"previous"` // release cached before, "" when none
}

// Update downloads ATT&CK bundles, validates each one fully (it must decode
// as a STIX bundle of a known domain with tactics and techniques) and only
// then replaces that domain's cache file atomically, in the compact format.
// A failed download leaves the cache as it was. Every URL is tried; the
// results of the ones that worked are returned with the joined errors of
// the others.
func Update(ctx context.Context, opts UpdateOptions) ([]UpdateResult, error) {
	dir := opts.CacheDir
	if dir == "" {
		var err error
		if dir, err = DefaultCacheDir(); err != nil {
			return nil, err
		}
	}
	type job struct {
		url  string
		want Domain // "" when any
	}
	var jobs []job
	if len(opts.URLs) > 0 {
		for _, u := range opts.URLs {
			jobs = append(jobs, job{url: u})
		}
	} else {
		domains := opts.Domains
		if len(domains) == 0 {
			domains = AllDomains
		}
		for _, d := range domains {
			u, ok := DefaultURLs[d]
			if !ok {
				return nil, fmt.Errorf("unknown ATT&CK domain %q: use enterprise-attack, mobile-attack or ics-attack", d)
			}
			jobs = append(jobs, job{u, d})
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("catalog cache: %w", err)
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Minute}
	}
	var results []UpdateResult
	var errs []error
	for _, j := range jobs {
		r, err := updateOne(ctx, client, opts, dir, j.url)
		if err == nil && !domainAllowed(r.Domain, j.want, opts.Domains) {
			err = fmt.Errorf("download %s: the bundle is %s, not %s; the cache is unchanged", j.url, r.Domain, wantName(j.want, opts.Domains))
		}
		if err == nil {
			err = store(r, dir)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		results = append(results, r.UpdateResult)
	}
	return results, errors.Join(errs...)
}

// domainAllowed reports whether a downloaded bundle of domain d may be
// stored: it must be the domain of its default URL (want), or one of
// domains when given.
func domainAllowed(d, want Domain, domains []Domain) bool {
	if want != "" {
		return d == want
	}
	if len(domains) == 0 {
		return true
	}
	for _, x := range domains {
		if x == d {
			return true
		}
	}
	return false
}

func wantName(want Domain, domains []Domain) string {
	if want != "" {
		return string(want)
	}
	var s []string
	for _, d := range domains {
		s = append(s, string(d))
	}
	return strings.Join(s, " or ")
}

// downloaded is a validated bundle ready to store.
type downloaded struct {
	UpdateResult
	data *domainData
}

func updateOne(ctx context.Context, client *http.Client, opts UpdateOptions, dir, rawURL string) (*downloaded, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(opts.AllowHTTP && u.Scheme == "http")) {
		return nil, fmt.Errorf("invalid --url %q: use an https:// URL", rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", rawURL, err)
	}
	req.Header.Set("User-Agent", "huntlint")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("download %s: HTTP %s; the cache is unchanged", rawURL, resp.Status)
	}
	tmp, err := os.CreateTemp(dir, ".download-*")
	if err != nil {
		return nil, fmt.Errorf("catalog cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	var w io.Writer = tmp
	if opts.Progress != nil {
		pw, done := opts.Progress(rawURL, resp.ContentLength)
		if done != nil {
			defer done()
		}
		if pw != nil {
			w = io.MultiWriter(tmp, pw)
		}
	}
	n, err := io.Copy(w, resp.Body)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("download %s: the connection ended after %d of %d bytes (truncated); the cache is unchanged", rawURL, n, resp.ContentLength)
	}
	if err != nil {
		return nil, fmt.Errorf("download %s: %w after %d bytes; the cache is unchanged", rawURL, err, n)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return nil, fmt.Errorf("download %s: got %d of %d bytes (truncated); the cache is unchanged", rawURL, n, resp.ContentLength)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	d, err := decodeBundle(tmp, path.Base(u.Path), "")
	if err != nil {
		return nil, fmt.Errorf("download %s: invalid ATT&CK bundle: %w; the cache is unchanged", rawURL, err)
	}
	if err := validate(d); err != nil {
		return nil, fmt.Errorf("download %s: invalid ATT&CK bundle: %w; the cache is unchanged", rawURL, err)
	}
	r := &downloaded{UpdateResult: UpdateResult{URL: rawURL, Domain: d.rel.Domain, Release: d.rel.Version,
		Modified: d.rel.Modified, Path: CachePath(dir, d.rel.Domain)}, data: d}
	if old, err := loadCached(r.Path); err == nil && old != nil {
		r.Previous = old.rel.Version
	}
	return r, nil
}

// validate checks that a bundle is usable as a catalog: tactics in a
// matrix and live techniques that name known tactics.
func validate(d *domainData) error {
	if len(d.tactics) == 0 {
		return errors.New("no tactics in a matrix")
	}
	live := 0
	for _, o := range d.byType[TypeTechnique] {
		if o.Status == StatusActive {
			live++
		}
	}
	if live == 0 {
		return errors.New("no live techniques")
	}
	return nil
}

// store writes the domain to its cache file through a temporary file and
// a rename, so readers never see a partial file.
func store(r *downloaded, dir string) error {
	var buf bytes.Buffer
	header := []string{
		"huntlint catalog cache, from " + r.URL,
		"© The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation.",
	}
	c := newCatalog([]*domainData{r.data}, []Domain{r.Domain})
	if err := WriteCompact(&buf, header, c); err != nil {
		return err
	}
	// The texts first: a texts file of another release than the catalog
	// beside it is ignored, so a failure between the two renames leaves a
	// consistent cache.
	texts, err := encodeTexts(r.data)
	if err != nil {
		return err
	}
	textsPath := textsPathOf(r.Path)
	if texts == nil {
		if err := os.Remove(textsPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("catalog cache: %w", err)
		}
	} else if err := atomicfile.WriteFile(textsPath, texts); err != nil {
		return fmt.Errorf("catalog cache: %w", err)
	}
	if err := atomicfile.WriteFile(r.Path, buf.Bytes()); err != nil {
		return fmt.Errorf("catalog cache: %w", err)
	}
	return nil
}
