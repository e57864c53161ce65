package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/huntlint/huntlint/mapper"
)

const (
	mini19Path = "../../testdata/attack/mini-19.json"
	mini18Path = "../../testdata/attack/mini-18.json"
)

// localMITRE serves mini-19 as the enterprise bundle over HTTPS on
// 127.0.0.1, an error at /error, and counts requests; updateClient trusts
// it for the test.
func localMITRE(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	mini19, err := os.ReadFile(mini19Path)
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/error":
			http.Error(w, "boom", http.StatusInternalServerError)
		default:
			w.Write(mini19)
		}
	}))
	t.Cleanup(srv.Close)
	old := updateClient
	updateClient = srv.Client()
	t.Cleanup(func() { updateClient = old })
	return srv, &hits
}

// testCache points the user cache at a temporary folder and returns the
// huntlint cache folder in it.
func testCache(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", home)
	t.Setenv("HUNTLINT_OFFLINE", "")
	t.Setenv(autoUpdateEnv, "")
	return filepath.Join(home, "huntlint")
}

func TestCatalogUpdateFromFileAndFolder(t *testing.T) {
	cache := testCache(t)
	out, errOut, code := runCmd(t, "catalog", "update", "--from", mini19Path)
	if code != ExitOK || out != "enterprise-attack 19.0 stored in "+mapper.CachePath(cache, mapper.Enterprise)+" (none before)\n" {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = runCmd(t, "version")
	if !strings.Contains(out, "enterprise-attack 19.0 (cache") {
		t.Errorf("version after the import:\n%s", out)
	}
	// A folder: the newest enterprise release, the older one skipped.
	dir := t.TempDir()
	for name, src := range map[string]string{"enterprise-attack-18.1.json": mini18Path, "enterprise-attack-19.json": mini19Path, "mobile-attack-18.1.json": "../../testdata/attack/mini-mobile.json"} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	out, errOut, code = runCmd(t, "catalog", "update", "--from", dir)
	want := "enterprise-attack 19.0 stored in " + mapper.CachePath(cache, mapper.Enterprise) + " (was 19.0)\n" +
		"  skipped " + filepath.Join(dir, "enterprise-attack-18.1.json") + ": an older enterprise-attack release\n" +
		"mobile-attack 18.1 stored in " + mapper.CachePath(cache, mapper.Mobile) + " (none before)\n"
	if code != ExitOK || out != want {
		t.Errorf("folder: exit %d\n%s%s", code, out, errOut)
	}
}

// TestCatalogUpdateFromBadBundle: exit 2, the file and the problem named,
// the cache byte for byte as it was.
func TestCatalogUpdateFromBadBundle(t *testing.T) {
	cache := testCache(t)
	if _, errOut, code := runCmd(t, "catalog", "update", "--from", mini19Path); code != ExitOK {
		t.Fatal(errOut)
	}
	before, _ := os.ReadFile(mapper.CachePath(cache, mapper.Enterprise))
	bad := filepath.Join(t.TempDir(), "enterprise-attack.json")
	os.WriteFile(bad, []byte(`{"type":"bundle","objects":[{"type":"attack-pattern",`), 0o644)
	out, errOut, code := runCmd(t, "catalog", "update", "--from", bad)
	if code != ExitUsage || out != "" || errOut != "huntlint: import "+bad+": invalid ATT&CK bundle: object 1: unexpected end of data (truncated file?); the cache is unchanged\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	after, _ := os.ReadFile(mapper.CachePath(cache, mapper.Enterprise))
	if !bytes.Equal(before, after) {
		t.Error("the cache changed")
	}
	entries, _ := os.ReadDir(cache)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left %s in the cache", e.Name())
		}
	}
}

// TestCatalogUpdateFromMirror imports from an https mirror served locally.
func TestCatalogUpdateFromMirror(t *testing.T) {
	cache := testCache(t)
	srv, hits := localMITRE(t)
	out, errOut, code := runCmd(t, "catalog", "update", "--domain", "enterprise-attack", "--from", srv.URL+"/mirror")
	if code != ExitOK || out != "enterprise-attack 19.0 stored in "+mapper.CachePath(cache, mapper.Enterprise)+" (none before)\n" || hits.Load() != 1 {
		t.Errorf("exit %d, %d requests\n%s%s", code, hits.Load(), out, errOut)
	}
}

// TestCatalogUpdateUnreachable: a host that refuses every connection is one
// line naming it and the ways out, whatever the number of its URLs.
func TestCatalogUpdateUnreachable(t *testing.T) {
	testCache(t)
	closed := httptest.NewTLSServer(http.NotFoundHandler())
	base := closed.URL
	closed.Close()
	_, errOut, code := runCmd(t, "catalog", "update", "--url", base+"/enterprise-attack.json", "--url", base+"/mobile-attack.json", "--url", base+"/ics-attack.json")
	if code != ExitUsage || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "huntlint: cannot reach 127.0.0.1 (dial tcp 127.0.0.1:") ||
		!strings.HasSuffix(errOut, "connection refused); the cache is unchanged. Offline? Import a bundle with 'huntlint catalog update --from FILE', or pass --catalog FILE\n") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}

func TestCatalogUpdateSizeFlags(t *testing.T) {
	testCache(t)
	srv, _ := localMITRE(t)
	_, errOut, code := runCmd(t, "catalog", "update", "--max-download-size", "1KiB", "--url", srv.URL+"/enterprise-attack.json")
	if code != ExitUsage || !strings.Contains(errOut, "more than the 1 KiB download limit; the cache is unchanged (raise it with --max-download-size") {
		t.Errorf("download limit: exit %d: %s", code, errOut)
	}
	_, errOut, code = runCmd(t, "catalog", "update", "--max-expanded-size", "10KiB", "--from", mini19Path)
	if code != ExitUsage || !strings.Contains(errOut, "it expands to more than the 10 KiB limit after gunzip") {
		t.Errorf("expanded limit: exit %d: %s", code, errOut)
	}
	_, errOut, code = runCmd(t, "catalog", "update", "--max-download-size", "lots")
	if code != ExitUsage || !strings.Contains(errOut, `invalid argument "lots" for "--max-download-size" flag: invalid size "lots"`) {
		t.Errorf("bad size: exit %d: %s", code, errOut)
	}
	// The environment sets them as any flag.
	t.Setenv("HUNTLINT_CATALOG_UPDATE_MAX_DOWNLOAD_SIZE", "2KiB")
	if _, errOut, _ = runCmd(t, "catalog", "update", "--url", srv.URL+"/enterprise-attack.json"); !strings.Contains(errOut, "more than the 2 KiB download limit") {
		t.Errorf("from the environment: %s", errOut)
	}
}

// TestProgressLabelFits: the progress bar of MITRE's URLs, and of a long
// one, fits an 80-column terminal.
func TestProgressLabelFits(t *testing.T) {
	if got := progressLabel(mapper.DefaultURLs[mapper.Enterprise], 47_100_000); got != "enterprise-attack 47.1 MB" {
		t.Errorf("label %q", got)
	}
	long := "https://mirror.example.com/a/very/long/path/enterprise-attack-with-a-long-name-18.1.json.gz"
	for _, u := range []string{mapper.DefaultURLs[mapper.Enterprise], mapper.DefaultURLs[mapper.ICS], long} {
		for _, size := range []int64{mapper.DefaultMaxDownloadSize, -1} {
			var b bytes.Buffer
			a := &app{stderr: &b}
			w, done := a.progressBar(u, size)
			chunk := make([]byte, 1<<20)
			for i := 0; i < 8; i++ {
				w.Write(chunk)
			}
			done()
			for _, line := range strings.FieldsFunc(b.String(), func(r rune) bool { return r == '\r' || r == '\n' }) {
				// 8 columns spare for the longer times of a slow download.
				if n := len([]rune(line)); n > 72 {
					t.Errorf("%s: %d columns: %q", u, n, line)
				}
			}
		}
	}
}
