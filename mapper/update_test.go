package mapper

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

// fakeMITRE serves fixture bundles and broken downloads over HTTPS.
func fakeMITRE(t *testing.T) *httptest.Server {
	t.Helper()
	mini19, err := os.ReadFile("../testdata/attack/mini-19.json")
	if err != nil {
		t.Fatal(err)
	}
	mobile, _ := os.ReadFile("../testdata/attack/mini-mobile.json")
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/enterprise-attack.json":
			w.Write(mini19)
		case "/mobile-attack-18.1.json":
			w.Write(mobile)
		case "/error":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/short":
			w.Header().Set("Content-Length", "100000")
			w.Write(mini19[:5000])
		case "/cut-json":
			w.Write(mini19[:len(mini19)/2])
		case "/invalid":
			w.Write([]byte(`{"type":"bundle","objects":[{"type":"x-mitre-matrix","external_references":[{"source_name":"mitre-attack","external_id":"enterprise-attack"}]}]}`))
		case "/html":
			w.Write([]byte("<html>rate limited</html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestUpdateStoresValidatedCatalog(t *testing.T) {
	srv := fakeMITRE(t)
	dir := t.TempDir()
	var progressed atomic.Int64
	res, err := Update(context.Background(), UpdateOptions{
		URLs:     []string{srv.URL + "/enterprise-attack.json", srv.URL + "/mobile-attack-18.1.json"},
		CacheDir: dir,
		Client:   srv.Client(),
		Progress: func(url string, size int64) (io.Writer, func()) {
			return writerFunc(func(p []byte) (int, error) { progressed.Add(int64(len(p))); return len(p), nil }), nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 2 || res[0].Domain != Enterprise || res[0].Release != "19.0" || res[1].Domain != Mobile || res[1].Release != "18.1" {
		t.Fatalf("results = %+v", res)
	}
	if progressed.Load() == 0 {
		t.Error("progress writer got nothing")
	}
	c, err := Open(Options{CacheDir: dir, Domains: []Domain{Enterprise}})
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := c.Release(Enterprise)
	if rel.Source != "cache" || rel.Version != "19.0" {
		t.Errorf("enterprise release after update = %+v", rel)
	}
	if o, _ := c.Tactic("TA0005"); o.Shortname != "stealth" {
		t.Errorf("TA0005 = %s", o.Shortname)
	}
	// The mobile fixture (18.1, modified before the embedded one) is older
	// than or equal to the embedded release by version, then by date.
	if rel, _ := c.Release(Mobile); rel.Version != "18.1" {
		t.Errorf("mobile = %+v", rel)
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left over %s", e.Name())
		}
	}
	// A second update records the previous release.
	res, err = Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/enterprise-attack.json"}, CacheDir: dir, Client: srv.Client()})
	if err != nil || res[0].Previous != "19.0" {
		t.Errorf("second update: %+v, %v", res, err)
	}
}

func TestUpdateFailuresKeepCache(t *testing.T) {
	srv := fakeMITRE(t)
	dir := t.TempDir()
	if _, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/enterprise-attack.json"}, CacheDir: dir, Client: srv.Client()}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(CachePath(dir, Enterprise))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"/error":    "HTTP 500",
		"/missing":  "HTTP 404",
		"/short":    "after 5000 of 100000 bytes (truncated)",
		"/cut-json": "unexpected end of data (truncated file?)",
		"/invalid":  "no tactics",
		"/html":     "not a STIX bundle",
	}
	for p, want := range cases {
		_, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + p}, CacheDir: dir, Client: srv.Client()})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "the cache is unchanged") {
			t.Errorf("%s: err = %v, want %q", p, err, want)
		}
		after, _ := os.ReadFile(CachePath(dir, Enterprise))
		if !bytes.Equal(before, after) {
			t.Errorf("%s: cache file changed", p)
		}
	}
	// A bundle of another domain than asked for is refused.
	_, err = Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/mobile-attack-18.1.json"}, Domains: []Domain{Enterprise}, CacheDir: dir, Client: srv.Client()})
	if err == nil || !strings.Contains(err.Error(), "the bundle is mobile-attack, not enterprise-attack") {
		t.Errorf("wrong domain: %v", err)
	}
	if _, err := os.Stat(CachePath(dir, Mobile)); err == nil {
		t.Error("mobile cache written for a refused bundle")
	}
	// Plain HTTP is refused.
	_, err = Update(context.Background(), UpdateOptions{URLs: []string{"http://example.com/x.json"}, CacheDir: dir})
	if err == nil || !strings.Contains(err.Error(), "use an https:// URL") {
		t.Errorf("http: %v", err)
	}
	// One failure does not stop the others.
	res, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/error", srv.URL + "/mobile-attack-18.1.json"}, CacheDir: dir, Client: srv.Client()})
	if err == nil || len(res) != 1 || res[0].Domain != Mobile {
		t.Errorf("mixed: %+v, %v", res, err)
	}
}

func TestDefaultURLsCoverDomains(t *testing.T) {
	for _, d := range AllDomains {
		if !strings.HasPrefix(DefaultURLs[d], "https://") {
			t.Errorf("%s: %q", d, DefaultURLs[d])
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestUpdateKeepsTexts checks the texts file beside a cached domain: written
// by update from the full bundle, read back with the cache, ignored when it
// belongs to another release, and an error naming it when it is corrupt.
func TestUpdateKeepsTexts(t *testing.T) {
	srv := fakeMITRE(t)
	dir := t.TempDir()
	if _, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/enterprise-attack.json"}, CacheDir: dir, Client: srv.Client()}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(TextsPath(dir, Enterprise)); err != nil {
		t.Fatalf("no texts file: %v", err)
	}
	open := func() (*Catalog, error) {
		c, err := Open(Options{CacheDir: dir})
		if err != nil {
			return nil, err
		}
		if o, _ := c.Get(TypeTechnique, "T1059"); o.Description != "" {
			t.Error("texts read before LoadTexts")
		}
		return c, c.LoadTexts()
	}
	c, err := open()
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := c.Get(TypeTechnique, "T1059"); o.Description != "fixture" {
		t.Errorf("T1059 description from the cache = %q", o.Description)
	}
	// The compact catalog itself still holds no text.
	raw, _ := os.ReadFile(CachePath(dir, Enterprise))
	var plain bytes.Buffer
	if err := readAllGzip(raw, &plain); err != nil || strings.Contains(plain.String(), "fixture") {
		t.Errorf("the compact cache carries a description (%v)", err)
	}
	// A texts file of another release is ignored.
	texts, _ := os.ReadFile(TextsPath(dir, Enterprise))
	var stale bytes.Buffer
	zr, _ := gzip.NewReader(bytes.NewReader(texts))
	b, _ := io.ReadAll(zr)
	zw := gzip.NewWriter(&stale)
	zw.Write(bytes.Replace(b, []byte(`"release":"19.0"`), []byte(`"release":"18.9"`), 1))
	zw.Close()
	os.WriteFile(TextsPath(dir, Enterprise), stale.Bytes(), 0o644)
	if c, err = open(); err != nil {
		t.Fatal(err)
	}
	if o, _ := c.Get(TypeTechnique, "T1059"); o.Description != "" {
		t.Errorf("a stale texts file was read: %q", o.Description)
	}
	// A corrupt one is reported with its path.
	os.WriteFile(TextsPath(dir, Enterprise), []byte("junk"), 0o644)
	if _, err := open(); err == nil || !strings.Contains(err.Error(), TextsPath(dir, Enterprise)) || !strings.Contains(err.Error(), "catalog update") {
		t.Errorf("corrupt texts file: %v", err)
	}
}

// TestUpdateSameReleaseKeepsTexts checks that updating to the release
// huntlint embeds (MITRE's 18.1 bundle, served locally) still gives its
// texts: the cache is then preferred to the embedded data, and only while
// it keeps the texts.
func TestUpdateSameReleaseKeepsTexts(t *testing.T) {
	bundle, err := os.ReadFile(testshared.File(t, "attack/enterprise-attack-18.1.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(bundle) }))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	if _, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/enterprise-attack-18.1.json.gz"}, CacheDir: dir, Client: srv.Client()}); err != nil {
		t.Fatal(err)
	}
	c, err := Open(Options{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if rel, _ := c.Release(Enterprise); rel.Source != "cache" || rel.Version != "18.1" {
		t.Errorf("release %+v: the cache with texts must win over the same embedded release", rel)
	}
	if err := c.LoadTexts(); err != nil {
		t.Fatal(err)
	}
	if o, _ := c.Get(TypeTechnique, "T1140"); o.Description == "" || len(o.DetectedBy) == 0 {
		t.Errorf("T1140 from the cache: %q, %v", o.Description, o.DetectedBy)
	}
	if err := os.Remove(TextsPath(dir, Enterprise)); err != nil {
		t.Fatal(err)
	}
	if c, err = Open(Options{CacheDir: dir}); err != nil {
		t.Fatal(err)
	}
	if rel, _ := c.Release(Enterprise); rel.Source != "embedded" {
		t.Errorf("without texts the embedded copy of the same release is used, got %+v", rel)
	}
}

// gzipFile writes data gzipped to path.
func gzipFile(t *testing.T, path string, data []byte) {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestUpdateFromFile imports a bundle file into the cache, as a download
// would store it; the release comes from the collection object or else the
// file name.
func TestUpdateFromFile(t *testing.T) {
	dir := t.TempDir()
	src := t.TempDir()
	mini19, _ := os.ReadFile("../testdata/attack/mini-19.json")
	gzipFile(t, filepath.Join(src, "bundle.json.gz"), mini19)
	res, err := Update(context.Background(), UpdateOptions{From: []string{filepath.Join(src, "bundle.json.gz")}, CacheDir: dir})
	if err != nil || len(res) != 1 || res[0].Domain != Enterprise || res[0].Release != "19.0" || res[0].URL != filepath.Join(src, "bundle.json.gz") {
		t.Fatalf("%+v, %v", res, err)
	}
	c, err := Open(Options{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if rel, _ := c.Release(Enterprise); rel.Source != "cache" || rel.Version != "19.0" {
		t.Errorf("release after import: %+v", rel)
	}
	if _, err := os.Stat(TextsPath(dir, Enterprise)); err != nil {
		t.Errorf("no texts kept from the imported bundle: %v", err)
	}
	// A STIX 2.0 bundle without a collection takes its release from its
	// name, or from Release.
	mini18, _ := os.ReadFile("../testdata/attack/mini-18.json")
	named := filepath.Join(src, "enterprise-attack-18.2.json")
	os.WriteFile(named, mini18, 0o644)
	if res, err = Update(context.Background(), UpdateOptions{From: []string{named}, CacheDir: dir}); err != nil || res[0].Release != "18.2" || res[0].Previous != "19.0" {
		t.Errorf("named: %+v, %v", res, err)
	}
	plain := filepath.Join(src, "mine.json")
	os.WriteFile(plain, mini18, 0o644)
	if res, err = Update(context.Background(), UpdateOptions{From: []string{plain}, CacheDir: dir, Release: "18.3"}); err != nil || res[0].Release != "18.3" {
		t.Errorf("with Release: %+v, %v", res, err)
	}
}

// TestUpdateFromFolder imports every bundle of a folder: the newest
// release of each domain, other files ignored.
func TestUpdateFromFolder(t *testing.T) {
	dir := t.TempDir()
	src := t.TempDir()
	mini18, _ := os.ReadFile("../testdata/attack/mini-18.json")
	mini19, _ := os.ReadFile("../testdata/attack/mini-19.json")
	mobile, _ := os.ReadFile("../testdata/attack/mini-mobile.json")
	os.WriteFile(filepath.Join(src, "enterprise-attack-18.1.json"), mini18, 0o644)
	gzipFile(t, filepath.Join(src, "enterprise-attack.json.gz"), mini19)
	os.WriteFile(filepath.Join(src, "mobile-attack-18.1.json"), mobile, 0o644)
	os.WriteFile(filepath.Join(src, "README.md"), []byte("bundles"), 0o644)
	res, err := Update(context.Background(), UpdateOptions{From: []string{src}, CacheDir: dir})
	if err != nil || len(res) != 2 {
		t.Fatalf("%+v, %v", res, err)
	}
	if res[0].Domain != Enterprise || res[0].Release != "19.0" || len(res[0].Skipped) != 1 || res[0].Skipped[0] != filepath.Join(src, "enterprise-attack-18.1.json") {
		t.Errorf("enterprise: %+v", res[0])
	}
	if res[1].Domain != Mobile || res[1].Release != "18.1" {
		t.Errorf("mobile: %+v", res[1])
	}
	// With a domain asked for, the others in the folder are passed over.
	dir2 := t.TempDir()
	if res, err = Update(context.Background(), UpdateOptions{From: []string{src}, Domains: []Domain{Mobile}, CacheDir: dir2}); err != nil || len(res) != 1 || res[0].Domain != Mobile {
		t.Errorf("mobile only: %+v, %v", res, err)
	}
	if _, err := os.Stat(CachePath(dir2, Enterprise)); err == nil {
		t.Error("enterprise stored though only mobile was asked for")
	}
	// A folder without bundles, and a missing path, are errors.
	empty := t.TempDir()
	if _, err := Update(context.Background(), UpdateOptions{From: []string{empty}, CacheDir: dir}); err == nil || !strings.Contains(err.Error(), "import "+empty+": no .json or .json.gz file in the folder; the cache is unchanged") {
		t.Errorf("empty folder: %v", err)
	}
	missing := filepath.Join(src, "nope.json")
	if _, err := Update(context.Background(), UpdateOptions{From: []string{missing}, CacheDir: dir}); err == nil || err.Error() != "import "+missing+": no such file or directory; the cache is unchanged" {
		t.Errorf("missing: %v", err)
	}
}

// TestUpdateFromBadBundle: a bad bundle, alone or in a folder, is named
// with its problem and leaves the cache byte for byte as it was.
func TestUpdateFromBadBundle(t *testing.T) {
	srv := fakeMITRE(t)
	dir := seededCache(t, srv)
	before := cacheSnapshot(t, dir)
	src := t.TempDir()
	mini19, _ := os.ReadFile("../testdata/attack/mini-19.json")
	cases := map[string]struct {
		data []byte
		want string
	}{
		"cut.json":      {mini19[:len(mini19)/2], "invalid ATT&CK bundle: object "},
		"html.json":     {[]byte("<html>login</html>"), "invalid ATT&CK bundle: not a STIX bundle"},
		"empty.json":    {[]byte(`{"type":"bundle","objects":[]}`), "invalid ATT&CK bundle: cannot tell the ATT&CK domain"},
		"notactic.json": {[]byte(`{"type":"bundle","objects":[{"type":"x-mitre-matrix","external_references":[{"source_name":"mitre-attack","external_id":"enterprise-attack"}]}]}`), "invalid ATT&CK bundle: no tactics in a matrix"},
		"gz.json.gz":    {[]byte{0x1f, 0x8b, 1, 2, 3}, "invalid ATT&CK bundle: "},
	}
	for name, c := range cases {
		p := filepath.Join(src, name)
		os.WriteFile(p, c.data, 0o644)
		_, err := Update(context.Background(), UpdateOptions{From: []string{p}, CacheDir: dir})
		if err == nil || !strings.HasPrefix(err.Error(), "import "+p+": ") || !strings.Contains(err.Error(), c.want) || !strings.HasSuffix(err.Error(), "; the cache is unchanged") {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
		checkUntouched(t, name, dir, before)
	}
	// The folder of them: every bad file named, nothing stored.
	_, err := Update(context.Background(), UpdateOptions{From: []string{src}, CacheDir: dir})
	if err == nil || strings.Count(err.Error(), "\n") != len(cases)-1 {
		t.Errorf("folder: %v", err)
	}
	checkUntouched(t, "folder", dir, before)
	// A mobile bundle where enterprise is asked for is refused.
	mobile := filepath.Join(src, "mobile.json")
	b, _ := os.ReadFile("../testdata/attack/mini-mobile.json")
	os.WriteFile(mobile, b, 0o644)
	if _, err := Update(context.Background(), UpdateOptions{From: []string{mobile}, Domains: []Domain{Enterprise}, CacheDir: dir}); err == nil ||
		err.Error() != "import "+mobile+": the bundle is mobile-attack, not enterprise-attack; the cache is unchanged" {
		t.Errorf("wrong domain: %v", err)
	}
	checkUntouched(t, "wrong domain", dir, before)
}

// TestUpdateFromMirror imports from a mirror laid out as MITRE's
// repository, served locally, and from one bundle URL of it.
func TestUpdateFromMirror(t *testing.T) {
	mini19, _ := os.ReadFile("../testdata/attack/mini-19.json")
	mobile, _ := os.ReadFile("../testdata/attack/mini-mobile.json")
	var asked []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		switch r.URL.Path {
		case "/attack/enterprise-attack/enterprise-attack.json":
			w.Write(mini19)
		case "/attack/mobile-attack/mobile-attack.json":
			w.Write(mobile)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	res, err := Update(context.Background(), UpdateOptions{From: []string{srv.URL + "/attack/"}, Domains: []Domain{Enterprise, Mobile}, CacheDir: dir, Client: srv.Client()})
	if err != nil || len(res) != 2 || res[0].Release != "19.0" || res[1].Domain != Mobile {
		t.Fatalf("%+v, %v", res, err)
	}
	if strings.Join(asked, " ") != "/attack/enterprise-attack/enterprise-attack.json /attack/mobile-attack/mobile-attack.json" {
		t.Errorf("asked %q", asked)
	}
	// Every domain by default: the mirror lacks ICS, which is an error;
	// the others are stored.
	res, err = Update(context.Background(), UpdateOptions{From: []string{srv.URL + "/attack"}, CacheDir: dir, Client: srv.Client()})
	if err == nil || !strings.Contains(err.Error(), "/attack/ics-attack/ics-attack.json: HTTP 404") || len(res) != 2 {
		t.Errorf("no ICS: %+v, %v", res, err)
	}
	// One bundle URL.
	if res, err = Update(context.Background(), UpdateOptions{From: []string{srv.URL + "/attack/enterprise-attack/enterprise-attack.json"}, CacheDir: dir, Client: srv.Client()}); err != nil || len(res) != 1 {
		t.Errorf("bundle URL: %+v, %v", res, err)
	}
	// Plain http is refused.
	if _, err := Update(context.Background(), UpdateOptions{From: []string{"http://mirror.example/attack"}, CacheDir: dir}); err == nil || !strings.Contains(err.Error(), `invalid --from "http://mirror.example/attack": use a file, a folder or an https:// URL`) {
		t.Errorf("http mirror: %v", err)
	}
}
