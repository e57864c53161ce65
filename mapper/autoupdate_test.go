package mapper

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// autoServer serves mini-19 as the enterprise bundle, an error, and an
// answer that comes only after the test ends; it counts requests.
func autoServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	mini19, err := os.ReadFile("../testdata/attack/mini-19.json")
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/enterprise-attack.json":
			w.Write(mini19)
		case "/error":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/slow":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	return srv, &hits
}

// autoLog collects AutoUpdate's log lines.
type autoLog []string

func (l *autoLog) log(msg string) { *l = append(*l, msg) }

func (l autoLog) has(t *testing.T, want string) {
	t.Helper()
	for _, m := range l {
		if strings.Contains(m, want) {
			return
		}
	}
	t.Errorf("no log line with %q in:\n%s", want, strings.Join(l, "\n"))
}

// agedCache seeds dir with the mini-19 catalog written age ago.
func agedCache(t *testing.T, srv *httptest.Server, age time.Duration) string {
	t.Helper()
	dir := seededCache(t, srv)
	then := time.Now().Add(-age)
	if err := os.Chtimes(CachePath(dir, Enterprise), then, then); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestAutoUpdateRefreshesOldCache(t *testing.T) {
	srv, hits := autoServer(t)
	dir := agedCache(t, srv, 12*24*time.Hour+time.Hour)
	hits.Store(0)
	var l autoLog
	res := AutoUpdate(context.Background(), AutoUpdateOptions{MaxAge: 7 * 24 * time.Hour, URLs: []string{srv.URL + "/enterprise-attack.json"},
		CacheDir: dir, Client: srv.Client(), Log: l.log})
	if res.Err != nil || len(res.Stale) != 1 || len(res.Updated) != 1 || res.Updated[0].Previous != "19.0" || hits.Load() != 1 {
		t.Fatalf("%+v, %d requests", res, hits.Load())
	}
	l.has(t, "auto-update: cache 12 days old, older than 7d; refreshing from "+srv.URL+"/enterprise-attack.json")
	l.has(t, "auto-update: stored enterprise-attack 19.0 in "+CachePath(dir, Enterprise)+" (was 19.0)")
	fi, err := os.Stat(CachePath(dir, Enterprise))
	if err != nil || time.Since(fi.ModTime()) > time.Hour {
		t.Errorf("the cache was not rewritten: %v", err)
	}
	// Now fresh: no request.
	l = nil
	res = AutoUpdate(context.Background(), AutoUpdateOptions{MaxAge: 7 * 24 * time.Hour, URLs: []string{srv.URL + "/enterprise-attack.json"},
		CacheDir: dir, Client: srv.Client(), Log: l.log})
	if len(res.Stale) != 0 || res.Err != nil || hits.Load() != 1 {
		t.Errorf("fresh cache: %+v, %d requests", res, hits.Load())
	}
	l.has(t, "auto-update: cache less than an hour old, within 7d; not refreshing")
}

// TestAutoUpdateWithoutCache judges the embedded release by its date.
func TestAutoUpdateWithoutCache(t *testing.T) {
	srv, hits := autoServer(t)
	emb, err := embedded(Enterprise)
	if err != nil {
		t.Fatal(err)
	}
	date, ok := emb.rel.Date()
	if !ok {
		t.Fatal("the embedded release has no date")
	}
	now := func() time.Time { return date.Add(400 * 24 * time.Hour) }
	dir := t.TempDir()
	var l autoLog
	res := AutoUpdate(context.Background(), AutoUpdateOptions{MaxAge: 7 * 24 * time.Hour, URLs: []string{srv.URL + "/enterprise-attack.json"},
		CacheDir: dir, Client: srv.Client(), Now: now, Log: l.log})
	if res.Err != nil || len(res.Updated) != 1 {
		t.Fatalf("%+v", res)
	}
	l.has(t, "auto-update: no cache; the embedded catalog "+emb.rel.Version+" is 13 months old, older than 7d; refreshing from ")
	l.has(t, "(none before)")
	// An embedded release within the age: nothing asked.
	hits.Store(0)
	l = nil
	res = AutoUpdate(context.Background(), AutoUpdateOptions{MaxAge: 500 * 24 * time.Hour, URLs: []string{srv.URL + "/enterprise-attack.json"},
		CacheDir: t.TempDir(), Client: srv.Client(), Now: now, Log: l.log})
	if len(res.Stale) != 0 || hits.Load() != 0 {
		t.Errorf("%+v, %d requests", res, hits.Load())
	}
	l.has(t, "is 13 months old, within 500d; not refreshing")
	// MaxAge 0: off, silent.
	l = nil
	if res := AutoUpdate(context.Background(), AutoUpdateOptions{CacheDir: dir, Log: l.log}); len(res.Stale) != 0 || len(l) != 0 {
		t.Errorf("off: %+v %q", res, l)
	}
}

// TestAutoUpdateFallsBack: a server that refuses, a closed port and a
// server slower than the timeout leave the cache as it was and say what is
// used instead.
func TestAutoUpdateFallsBack(t *testing.T) {
	srv, _ := autoServer(t)
	closed := httptest.NewTLSServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	cases := []struct {
		url  string
		want string
	}{
		{srv.URL + "/error", "auto-update: refresh failed (download " + srv.URL + "/error: HTTP 500 Internal Server Error; the cache is unchanged); using cache 19.0"},
		{closedURL + "/enterprise-attack.json", "auto-update: network unreachable: cannot reach 127.0.0.1 (dial tcp 127.0.0.1:"},
		{srv.URL + "/slow", "auto-update: network unreachable: cannot reach 127.0.0.1 (no answer within 100ms); using cache 19.0"},
	}
	for _, c := range cases {
		dir := agedCache(t, srv, 30*24*time.Hour)
		before := cacheSnapshot(t, dir)
		var l autoLog
		res := AutoUpdate(context.Background(), AutoUpdateOptions{MaxAge: 7 * 24 * time.Hour, URLs: []string{c.url},
			CacheDir: dir, Client: srv.Client(), Timeout: 100 * time.Millisecond, Log: l.log})
		if res.Err == nil || len(res.Updated) != 0 {
			t.Errorf("%s: %+v", c.url, res)
		}
		l.has(t, "auto-update: cache 30 days old, older than 7d; refreshing from "+c.url)
		l.has(t, c.want)
		checkUntouched(t, c.url, dir, before)
		if c.url != srv.URL+"/error" {
			var ue *UnreachableError
			if !errors.As(res.Err, &ue) {
				t.Errorf("%s: not unreachable: %v", c.url, res.Err)
			}
		}
	}
	// Without a cache, the fallback is the embedded catalog.
	dir := t.TempDir()
	var l autoLog
	AutoUpdate(context.Background(), AutoUpdateOptions{MaxAge: time.Hour, URLs: []string{srv.URL + "/error"}, CacheDir: dir, Client: srv.Client(), Log: l.log})
	emb, _ := embedded(Enterprise)
	l.has(t, "; using the embedded catalog "+emb.rel.Version)
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed refresh left %d files in an empty cache folder", len(entries))
	}
}

func TestAgeSetting(t *testing.T) {
	var b bytes.Buffer
	for _, d := range []time.Duration{7 * 24 * time.Hour, 36 * time.Hour, 90 * time.Minute} {
		b.WriteString(ageSetting(d) + " ")
	}
	for _, d := range []time.Duration{30 * time.Minute, time.Hour, 5 * time.Hour, 12 * 24 * time.Hour} {
		b.WriteString(ageWords(d) + ", ")
	}
	if got := b.String(); got != "7d 36h 1h30m0s less than an hour, 1 hour, 5 hours, 12 days, " {
		t.Errorf("%q", got)
	}
}
