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
	"path/filepath"
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

// UpdateOptions say what `catalog update` downloads or imports and where it
// stores it.
type UpdateOptions struct {
	// URLs to download; empty means DefaultURLs of Domains (unless From is
	// given). The domain of each bundle is read from its content.
	URLs []string
	// From are bundles to import, for machines without access to MITRE: a
	// file (.json or .json.gz, STIX 2.0 or 2.1), a folder (every *.json and
	// *.json.gz in it, the newest release of each domain), or an https://
	// URL: one bundle when its path ends in .json or .json.gz, else a mirror
	// laid out as MITRE's attack-stix-data repository
	// (URL/enterprise-attack/enterprise-attack.json, ...). Each is
	// validated as a download is.
	From []string
	// Domains to update from DefaultURLs when URLs is empty; empty means
	// every domain. With URLs or From, a bundle of another domain is an
	// error (and is passed over in a folder).
	Domains []Domain
	// CacheDir overrides DefaultCacheDir.
	CacheDir string
	// Release names the release of bundles that carry no collection object
	// and whose file name gives none.
	Release string
	// Client is the HTTP client; nil means one whose connection, TLS
	// handshake and response headers are bounded by ConnectTimeout.
	// Whatever the client, redirects must stay on https.
	Client *http.Client
	// AllowHTTP permits plain http:// URLs and redirects (tests); otherwise
	// only https.
	AllowHTTP bool
	// MaxDownloadSize is the most bytes read for one download; 0 means
	// DefaultMaxDownloadSize.
	MaxDownloadSize int64
	// MaxExpandedSize is the most bytes of JSON one bundle may hold after
	// gunzip; 0 means DefaultMaxExpandedSize.
	MaxExpandedSize int64
	// Log, when set, receives a line for each download or import (its
	// source, release and time) and each cache file written, for
	// --log-level debug.
	Log func(msg string)
	// ConnectTimeout bounds the time until a response's headers arrive;
	// 0 means DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// IdleTimeout ends a download that receives nothing for this long; 0
	// means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// Progress, when set, is called when a download starts (size is -1 when
	// unknown) and returns a writer that receives the downloaded bytes, and
	// a function called when the download ends.
	Progress func(url string, size int64) (io.Writer, func())
}

// UpdateResult is one domain stored in the cache.
type UpdateResult struct {
	URL      string `json:"url"` // the URL, or the path of an imported file
	Domain   Domain `json:"domain"`
	Release  string `json:"release"`
	Modified string `json:"modified"`
	Path     string `json:"path"`     // cache file written
	Previous string `json:"previous"` // release cached before, "" when none
	// Skipped are older bundles of the same domain in an imported folder.
	Skipped []string `json:"skipped,omitempty"`
}

// source is one bundle to fetch: a URL or a file.
type source struct {
	url    string // download
	path   string // file to import
	want   Domain // the domain it must hold, "" when any
	folder string // the imported folder it was found in
}

func (s source) name() string {
	if s.path != "" {
		return s.path
	}
	return s.url
}

// Update downloads or imports ATT&CK bundles, validates each one fully (it
// must decode as a STIX bundle of a known domain with tactics and
// techniques, within the size limits) and only then replaces that domain's
// cache file atomically, in the compact format. A failure leaves the cache
// as it was and no temporary file. Every source is tried, except further
// URLs of a host that did not answer; the results of the ones that worked
// are returned with the joined errors of the others, one UnreachableError
// per host that did not answer.
func Update(ctx context.Context, opts UpdateOptions) ([]UpdateResult, error) {
	dir := opts.CacheDir
	if dir == "" {
		var err error
		if dir, err = DefaultCacheDir(); err != nil {
			return nil, err
		}
	}
	domains := opts.Domains
	if len(domains) == 0 {
		domains = AllDomains
	}
	for _, d := range domains {
		if _, ok := DefaultURLs[d]; !ok {
			return nil, fmt.Errorf("unknown ATT&CK domain %q: use enterprise-attack, mobile-attack or ics-attack", d)
		}
	}
	var srcs []source
	var errs []error
	for _, u := range opts.URLs {
		srcs = append(srcs, source{url: u})
	}
	for _, f := range opts.From {
		s, err := fromSources(f, domains, opts.AllowHTTP)
		if err != nil {
			errs = append(errs, err)
		}
		srcs = append(srcs, s...)
	}
	if len(opts.URLs) == 0 && len(opts.From) == 0 {
		for _, d := range domains {
			srcs = append(srcs, source{url: DefaultURLs[d], want: d})
		}
	}
	dl := newDownloader(opts)
	var results []UpdateResult
	unreachable := map[string]*UnreachableError{}
	// The bundles found in folders wait for the newest of each domain.
	type folderDomain struct {
		folder string
		domain Domain
	}
	pending := map[folderDomain]*downloaded{}
	var order []folderDomain
	for _, s := range srcs {
		if ctx.Err() != nil {
			break
		}
		if s.url != "" {
			if u, err := url.Parse(s.url); err == nil && unreachable[u.Hostname()] != nil {
				ue := unreachable[u.Hostname()]
				ue.URLs = append(ue.URLs, s.url)
				continue
			}
		}
		r, err := fetchSource(ctx, dl, opts, dir, s)
		if err == nil && s.folder != "" && !domainAllowed(r.Domain, "", opts.Domains) {
			continue // another domain than asked for, in a folder of bundles
		}
		if err == nil && !domainAllowed(r.Domain, s.want, opts.Domains) {
			verb := "download"
			if s.path != "" {
				verb = "import"
			}
			err = fmt.Errorf("%s %s: the bundle is %s, not %s; the cache is unchanged", verb, s.name(), r.Domain, wantName(s.want, opts.Domains))
		}
		if err == nil && s.folder != "" {
			k := folderDomain{s.folder, r.Domain}
			switch old := pending[k]; {
			case old == nil:
				pending[k] = r
				order = append(order, k)
			case newerRelease(r.data.rel, old.data.rel):
				r.Skipped = append(old.Skipped, old.URL)
				pending[k] = r
			default:
				old.Skipped = append(old.Skipped, r.URL)
			}
			continue
		}
		if err == nil {
			err = store(r, dir, opts)
		}
		var ue *UnreachableError
		if errors.As(err, &ue) {
			unreachable[ue.Host] = ue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		results = append(results, r.UpdateResult)
	}
	if ctx.Err() != nil {
		if len(errs) == 0 || !strings.Contains(errs[len(errs)-1].Error(), "interrupted") {
			errs = append(errs, errors.New("interrupted; the cache is unchanged"))
		}
		return results, errors.Join(errs...)
	}
	for _, k := range order {
		r := pending[k]
		if err := store(r, dir, opts); err != nil {
			errs = append(errs, err)
			continue
		}
		results = append(results, r.UpdateResult)
	}
	return results, errors.Join(errs...)
}

// logf sends one event to o.Log.
func (o UpdateOptions) logf(format string, args ...any) {
	if o.Log != nil {
		o.Log(fmt.Sprintf(format, args...))
	}
}

// fromSources expands one --from value into the bundles it names.
func fromSources(from string, domains []Domain, allowHTTP bool) ([]source, error) {
	if strings.Contains(from, "://") {
		u, err := url.Parse(from)
		if err != nil || u.Host == "" || (u.Scheme != "https" && !(allowHTTP && u.Scheme == "http")) {
			return nil, fmt.Errorf("invalid --from %q: use a file, a folder or an https:// URL", from)
		}
		if isBundleName(u.Path) {
			return []source{{url: from}}, nil
		}
		var out []source
		for _, d := range domains {
			m := *u
			m.Path = strings.TrimSuffix(u.Path, "/") + "/" + string(d) + "/" + string(d) + ".json"
			out = append(out, source{url: m.String(), want: d})
		}
		return out, nil
	}
	fi, err := os.Stat(from)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w; the cache is unchanged", from, pathErr(err))
	}
	if !fi.IsDir() {
		return []source{{path: from}}, nil
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w; the cache is unchanged", from, pathErr(err))
	}
	var out []source
	for _, e := range entries {
		if !e.IsDir() && isBundleName(e.Name()) {
			out = append(out, source{path: filepath.Join(from, e.Name()), folder: from})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("import %s: no .json or .json.gz file in the folder; the cache is unchanged", from)
	}
	return out, nil
}

// pathErr drops the path an *fs.PathError repeats.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func isBundleName(name string) bool {
	name = strings.ToLower(name)
	return strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".json.gz")
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

// fetchSource downloads or opens one source and validates its bundle.
func fetchSource(ctx context.Context, dl *downloader, opts UpdateOptions, dir string, s source) (*downloaded, error) {
	var (
		d    *domainData
		err  error
		verb = "download"
	)
	start := time.Now()
	if s.path != "" {
		verb = "import"
		d, err = importFile(s.path, opts)
	} else {
		d, err = downloadURL(ctx, dl, opts, dir, s.url)
	}
	if err != nil {
		opts.logf("%s %s failed after %s: %v", verb, s.name(), time.Since(start).Round(time.Millisecond), err)
		return nil, err
	}
	opts.logf("%s %s: %s release %s in %s", verb, s.name(), d.rel.Domain, d.rel.Version, time.Since(start).Round(time.Millisecond))
	if err := validate(d); err != nil {
		return nil, fmt.Errorf("%s %s: invalid ATT&CK bundle: %w; the cache is unchanged", verb, s.name(), err)
	}
	r := &downloaded{UpdateResult: UpdateResult{URL: s.name(), Domain: d.rel.Domain, Release: d.rel.Version,
		Modified: d.rel.Modified, Path: CachePath(dir, d.rel.Domain)}, data: d}
	if old, err := loadCached(r.Path); err == nil && old != nil {
		r.Previous = old.rel.Version
	}
	return r, nil
}

func downloadURL(ctx context.Context, dl *downloader, opts UpdateOptions, dir, rawURL string) (*domainData, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || !dl.schemeAllowed(u) {
		return nil, fmt.Errorf("invalid --url %q: use an https:// URL", rawURL)
	}
	f, err := dl.fetch(ctx, dir, rawURL)
	if err != nil {
		return nil, err
	}
	defer f.close()
	d, err := decodeLimited(f.file, f.gzipped, dl.maxExpanded, path.Base(u.Path), opts.Release)
	if err != nil {
		return nil, fmt.Errorf("download %s: invalid ATT&CK bundle: %w; the cache is unchanged", rawURL, err)
	}
	return d, nil
}

// importFile reads a bundle file as a download is read, within the
// expanded size limit.
func importFile(p string, opts UpdateOptions) (*domainData, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w; the cache is unchanged", p, pathErr(err))
	}
	defer f.Close()
	d, err := decodeLimited(f, false, orDefault(opts.MaxExpandedSize, DefaultMaxExpandedSize), p, opts.Release)
	if err != nil {
		return nil, fmt.Errorf("import %s: invalid ATT&CK bundle: %w; the cache is unchanged", p, err)
	}
	return d, nil
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
func store(r *downloaded, dir string, opts UpdateOptions) error {
	opts.logf("catalog cache: writing %s release %s to %s", r.Domain, r.Release, r.Path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("catalog cache: %w", err)
	}
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
