package mapper

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// cacheSnapshot is the content of every file in the cache folder.
func cacheSnapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(dir + "/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// seededCache is a cache folder holding the mini-19 enterprise catalog.
func seededCache(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/enterprise-attack.json"}, CacheDir: dir, Client: srv.Client()}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkUntouched fails when the cache folder differs from before, or holds
// a temporary download file.
func checkUntouched(t *testing.T, what, dir string, before map[string]string) {
	t.Helper()
	after := cacheSnapshot(t, dir)
	for name := range after {
		if strings.HasPrefix(name, ".download-") || strings.Contains(name, ".huntlint-") {
			t.Errorf("%s: temporary file %s left in the cache", what, name)
		}
	}
	if len(after) != len(before) {
		t.Errorf("%s: cache files %d, were %d", what, len(after), len(before))
	}
	for name, b := range before {
		if after[name] != b {
			t.Errorf("%s: %s changed", what, name)
		}
	}
}

// TestUpdateRefusesRedirectToHTTP: an https URL that redirects to plain
// http is refused before anything is fetched over http.
func TestUpdateRefusesRedirectToHTTP(t *testing.T) {
	var plainHits atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		b, _ := os.ReadFile("../testdata/attack/mini-19.json")
		w.Write(b)
	}))
	t.Cleanup(plain.Close)
	mini19, _ := os.ReadFile("../testdata/attack/mini-19.json")
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/enterprise-attack.json":
			w.Write(mini19)
		case "/to-http":
			http.Redirect(w, r, plain.URL+"/enterprise-attack.json", http.StatusFound)
		case "/to-https":
			http.Redirect(w, r, "/enterprise-attack.json", http.StatusMovedPermanently)
		}
	}))
	t.Cleanup(srv.Close)
	dir := seededCache(t, srv)
	before := cacheSnapshot(t, dir)
	_, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/to-http"}, CacheDir: dir, Client: srv.Client()})
	if err == nil || !strings.Contains(err.Error(), "redirected to "+plain.URL+"/enterprise-attack.json, which is not https: refused; the cache is unchanged") {
		t.Errorf("redirect to http: %v", err)
	}
	if plainHits.Load() != 0 {
		t.Errorf("the plain http server was asked %d times", plainHits.Load())
	}
	checkUntouched(t, "redirect to http", dir, before)
	// A redirect that stays on https is followed.
	if res, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/to-https"}, CacheDir: dir, Client: srv.Client()}); err != nil || len(res) != 1 {
		t.Errorf("redirect to https: %+v, %v", res, err)
	}
}

// gzipBomb is about 4 MB of gzip that expands to 4 GiB of JSON: a bundle
// opening followed by one endless string.
func gzipBomb(t *testing.T) []byte {
	t.Helper()
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(bytes.Repeat([]byte("A"), 1<<20))
	zw.Close()
	var out bytes.Buffer
	zw = gzip.NewWriter(&out)
	zw.Write([]byte(`{"type":"bundle","objects":[{"type":"attack-pattern","description":"`))
	zw.Close()
	// Concatenated gzip members read as one stream.
	for out.Len() < 4<<20 {
		out.Write(member.Bytes())
	}
	return out.Bytes()
}

// TestUpdateSizeLimits: a response larger than the download limit (told in
// advance, or found while streaming) and a gzip bomb fail, in bounded
// memory, without a temporary file and with the cache as it was.
func TestUpdateSizeLimits(t *testing.T) {
	mini19, _ := os.ReadFile("../testdata/attack/mini-19.json")
	bomb := gzipBomb(t)
	big := bytes.Repeat([]byte(" "), 3<<20)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/enterprise-attack.json":
			w.Write(mini19)
		case "/big-known": // Content-Length set
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write(big)
		case "/big-chunked": // no Content-Length: found while streaming
			for i := 0; i < 3; i++ {
				w.Write(big[:1<<20])
				w.(http.Flusher).Flush()
			}
		case "/bomb.json.gz":
			w.Write(bomb)
		case "/bomb-encoded": // the bomb as a transfer encoding
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		}
	}))
	t.Cleanup(srv.Close)
	dir := seededCache(t, srv)
	before := cacheSnapshot(t, dir)
	for path, want := range map[string]string{
		"/big-known":   "3 MiB, more than the 2 MiB download limit; the cache is unchanged (raise it with --max-download-size",
		"/big-chunked": "more than the 2 MiB download limit; the cache is unchanged",
	} {
		_, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + path}, CacheDir: dir, Client: srv.Client(), MaxDownloadSize: 2 << 20})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", path, err, want)
		}
		checkUntouched(t, path, dir, before)
	}
	// The bomb, with the default limits: refused by the streaming size
	// check, which keeps nothing of what it reads.
	for _, path := range []string{"/bomb.json.gz", "/bomb-encoded"} {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		_, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + path}, CacheDir: dir, Client: srv.Client()})
		runtime.ReadMemStats(&m1)
		if err == nil || !strings.Contains(err.Error(), "invalid ATT&CK bundle: it expands to more than the 512 MiB limit after gunzip (raise it with --max-expanded-size") {
			t.Errorf("%s: %v", path, err)
		}
		if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 64<<20 {
			t.Errorf("%s: the refused bomb allocated %d MiB", path, alloc>>20)
		}
		checkUntouched(t, path, dir, before)
	}
	// A smaller expanded limit applies to plain JSON too.
	_, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/enterprise-attack.json"}, CacheDir: dir, Client: srv.Client(), MaxExpandedSize: 1000})
	if err == nil || !strings.Contains(err.Error(), "more than the 1000 bytes limit after gunzip") {
		t.Errorf("plain JSON over the expanded limit: %v", err)
	}
	checkUntouched(t, "plain over limit", dir, before)
}

// TestUpdateGzipEncoding: a bundle sent with Content-Encoding: gzip is
// stored (the limit counted the compressed bytes).
func TestUpdateGzipEncoding(t *testing.T) {
	mini19, _ := os.ReadFile("../testdata/attack/mini-19.json")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(mini19)
	zw.Close()
	var acceptGzip atomic.Bool
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acceptGzip.Store(strings.Contains(r.Header.Get("Accept-Encoding"), "gzip"))
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	res, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/enterprise-attack.json"}, CacheDir: dir, Client: srv.Client(),
		MaxDownloadSize: int64(gz.Len())})
	if err != nil || len(res) != 1 || res[0].Release != "19.0" {
		t.Fatalf("%+v, %v", res, err)
	}
	if !acceptGzip.Load() {
		t.Error("the request did not ask for gzip")
	}
}

// stallServer answers /enterprise-attack.json normally, /slow-headers
// only when released, and /stall-body with a first chunk and then nothing.
func stallServer(t *testing.T) (*httptest.Server, chan struct{}) {
	t.Helper()
	mini19, _ := os.ReadFile("../testdata/attack/mini-19.json")
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/enterprise-attack.json":
			w.Write(mini19)
		case "/slow-headers":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/stall-body":
			w.Header().Set("Content-Length", "100000")
			w.Write(mini19[:4000])
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	return srv, release
}

// TestUpdateTimeouts: a server that does not answer in time, and one that
// stops sending, are cut off by the connect and idle timeouts.
func TestUpdateTimeouts(t *testing.T) {
	srv, _ := stallServer(t)
	dir := seededCache(t, srv)
	before := cacheSnapshot(t, dir)
	_, err := Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/slow-headers"}, CacheDir: dir, Client: srv.Client(), ConnectTimeout: 50 * time.Millisecond})
	var ue *UnreachableError
	if !errors.As(err, &ue) || ue.Host != "127.0.0.1" || !strings.Contains(err.Error(), "cannot reach 127.0.0.1 (no answer within 50ms); the cache is unchanged") {
		t.Errorf("slow headers: %v", err)
	}
	checkUntouched(t, "slow headers", dir, before)
	_, err = Update(context.Background(), UpdateOptions{URLs: []string{srv.URL + "/stall-body"}, CacheDir: dir, Client: srv.Client(), IdleTimeout: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "no data for 50ms after 4000 bytes (idle timeout); the cache is unchanged") {
		t.Errorf("stalled body: %v", err)
	}
	checkUntouched(t, "stalled body", dir, before)
}

// TestUpdateHonoursContext: cancelling the context mid-download (Ctrl-C)
// ends Update with the cache as it was and no temporary file.
func TestUpdateHonoursContext(t *testing.T) {
	srv, _ := stallServer(t)
	dir := seededCache(t, srv)
	before := cacheSnapshot(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := Update(ctx, UpdateOptions{URLs: []string{srv.URL + "/stall-body", srv.URL + "/enterprise-attack.json"}, CacheDir: dir, Client: srv.Client(),
		Progress: func(string, int64) (io.Writer, func()) {
			return writerFunc(func(p []byte) (int, error) { cancel(); return len(p), nil }), nil
		}})
	// The server sends 4000 bytes and stalls; cancelling on the first chunk
	// written stops the download after that chunk, which may hold fewer.
	var n int
	if err == nil || len(res) != 0 || strings.Count(err.Error(), "interrupted") != 1 {
		t.Fatalf("cancelled: %+v, %v", res, err)
	}
	msg := err.Error()
	i := strings.Index(msg, "interrupted after ")
	if _, scanErr := fmt.Sscanf(msg[i:], "interrupted after %d bytes;", &n); scanErr != nil || n <= 0 || n > 4000 ||
		!strings.HasSuffix(msg, " bytes; the cache is unchanged") {
		t.Errorf("cancelled: %v", err)
	}
	checkUntouched(t, "cancelled", dir, before)
}

// TestUpdateUnreachableHostOnce: every default URL is on one host; when it
// does not answer, the error says so once and the other URLs are not tried.
func TestUpdateUnreachableHostOnce(t *testing.T) {
	closed := httptest.NewTLSServer(http.NotFoundHandler())
	client := closed.Client()
	base := closed.URL
	closed.Close() // the port now refuses connections
	dir := t.TempDir()
	_, err := Update(context.Background(), UpdateOptions{
		URLs:   []string{base + "/enterprise-attack.json", base + "/mobile-attack.json", base + "/ics-attack.json"},
		Client: client, CacheDir: dir})
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.Count(msg, "\n") != 0 || strings.Count(msg, "connection refused") != 1 ||
		!strings.HasPrefix(msg, "cannot reach 127.0.0.1 (dial tcp 127.0.0.1:") ||
		!strings.HasSuffix(msg, "connect: connection refused); the cache is unchanged. Offline? Import a bundle with 'huntlint catalog update --from FILE', or pass --catalog FILE") {
		t.Errorf("error:\n%s", msg)
	}
	var ue *UnreachableError
	if !errors.As(err, &ue) || len(ue.URLs) != 3 {
		t.Errorf("unreachable: %+v", ue)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("cache folder holds %d files", len(entries))
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"64MiB": 64 << 20, "512M": 512 << 20, "1000": 1000, "2 GiB": 2 << 30, "5MB": 5000000, "10k": 10 << 10} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "12XB", "MiB", "1.5M", "99999999999999999999"} {
		if _, err := ParseSize(in); err == nil || !strings.Contains(err.Error(), `use a positive number of bytes with an optional unit, as "64MiB"`) {
			t.Errorf("ParseSize(%q): %v", in, err)
		}
	}
	if sizeText(64<<20) != "64 MiB" || sizeText(1536<<20) != "1.5 GiB" || sizeText(1000) != "1000 bytes" {
		t.Errorf("sizeText: %s %s %s", sizeText(64<<20), sizeText(1536<<20), sizeText(1000))
	}
}
