package mapper

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

// Auto-update refreshes the download cache before a command reads the
// catalog, when the catalog it would read is older than the configured age
// (`catalog { auto_update = "7d" }`). It must never stand in the way of the
// command: it waits a few seconds at most for an answer, and on any failure
// the command goes on with the cache or the embedded catalog as they are.

// Timeouts of an automatic refresh, unless AutoUpdateOptions say otherwise.
const (
	// DefaultAutoUpdateTimeout bounds the wait for the response's headers
	// (DNS, connection, TLS, first answer).
	DefaultAutoUpdateTimeout = 3 * time.Second
	// DefaultAutoUpdateIdleTimeout ends a refresh whose download stalls.
	DefaultAutoUpdateIdleTimeout = 10 * time.Second
)

// AutoUpdateOptions say when and from where AutoUpdate refreshes the cache.
type AutoUpdateOptions struct {
	// MaxAge is the age past which the catalog is refreshed; 0 means never.
	MaxAge time.Duration
	// Domains are the domains in use; empty means enterprise only. Only the
	// ones older than MaxAge are refreshed.
	Domains []Domain
	// URLs replace DefaultURLs of the stale domains (tests, mirrors).
	URLs []string
	// CacheDir overrides DefaultCacheDir.
	CacheDir string
	// Client, AllowHTTP: as in UpdateOptions.
	Client    *http.Client
	AllowHTTP bool
	// Timeout bounds the wait for an answer; 0 means
	// DefaultAutoUpdateTimeout.
	Timeout time.Duration
	// IdleTimeout ends a stalled download; 0 means
	// DefaultAutoUpdateIdleTimeout.
	IdleTimeout time.Duration
	// Now, when set, is the current time (tests).
	Now func() time.Time
	// Log receives one line for each decision: how old the catalog is, what
	// is refreshed from where, what was stored or why not.
	Log func(msg string)
}

// AutoUpdateResult says what AutoUpdate did.
type AutoUpdateResult struct {
	// Stale are the domains found older than MaxAge; nothing was asked of
	// the network when it is empty.
	Stale []Domain
	// Updated are the domains stored in the cache.
	Updated []UpdateResult
	// Err is why the refresh failed, when it did; the cache is as it was.
	Err error
}

// AutoUpdate refreshes the cached catalog of each domain in use that is
// older than opts.MaxAge: by when its cache file was written, or without
// one, by the embedded release's date. It runs Update with short timeouts
// and never fails: a failure is in the result, and the cache stays as it
// was for the caller to use.
func AutoUpdate(ctx context.Context, opts AutoUpdateOptions) AutoUpdateResult {
	var res AutoUpdateResult
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			opts.Log("auto-update: " + fmt.Sprintf(format, args...))
		}
	}
	if opts.MaxAge <= 0 {
		return res
	}
	dir := opts.CacheDir
	if dir == "" {
		var err error
		if dir, err = DefaultCacheDir(); err != nil {
			logf("%v; not refreshing", err)
			res.Err = err
			return res
		}
	}
	now := time.Now()
	if opts.Now != nil {
		now = opts.Now()
	}
	domains := opts.Domains
	if len(domains) == 0 {
		domains = []Domain{Enterprise}
	}
	var urls []string
	var reasons []string
	for _, d := range domains {
		who := ""
		if len(domains) > 1 {
			who = string(d) + " "
		}
		age, desc := catalogAge(dir, d, now)
		if age >= 0 && age <= opts.MaxAge {
			logf("%s%s, within %s; not refreshing", who, desc, ageSetting(opts.MaxAge))
			continue
		}
		res.Stale = append(res.Stale, d)
		reasons = append(reasons, fmt.Sprintf("%s%s, older than %s", who, desc, ageSetting(opts.MaxAge)))
		if len(opts.URLs) == 0 {
			urls = append(urls, DefaultURLs[d])
		}
	}
	if len(res.Stale) == 0 {
		return res
	}
	uo := UpdateOptions{
		URLs: urls, CacheDir: dir, Client: opts.Client, AllowHTTP: opts.AllowHTTP,
		ConnectTimeout: orDefault(opts.Timeout, DefaultAutoUpdateTimeout),
		IdleTimeout:    orDefault(opts.IdleTimeout, DefaultAutoUpdateIdleTimeout),
		Log:            opts.Log,
	}
	if len(opts.URLs) > 0 {
		uo.URLs = opts.URLs
	} else {
		uo.Domains = res.Stale
	}
	logf("%s; refreshing from %s", strings.Join(reasons, "; "), strings.Join(uo.URLs, ", "))
	res.Updated, res.Err = Update(ctx, uo)
	for _, r := range res.Updated {
		was := "none before"
		if r.Previous != "" {
			was = "was " + r.Previous
		}
		logf("stored %s %s in %s (%s)", r.Domain, r.Release, r.Path, was)
	}
	if res.Err == nil {
		return res
	}
	using := fallbackText(dir, res.Stale, res.Updated)
	var ue *UnreachableError
	if errors.As(res.Err, &ue) {
		logf("network unreachable: cannot reach %s (%v); using %s", ue.Host, ue.Err, using)
	} else {
		logf("refresh failed (%s); using %s", strings.ReplaceAll(res.Err.Error(), "\n", "; "), using)
	}
	return res
}

// catalogAge says how old the catalog of domain d is at now: its cache
// file's age, or without one the embedded release's; -1 when unknown.
func catalogAge(dir string, d Domain, now time.Time) (time.Duration, string) {
	if fi, err := os.Stat(CachePath(dir, d)); err == nil {
		age := max(now.Sub(fi.ModTime()), 0)
		return age, fmt.Sprintf("cache %s old", ageWords(age))
	}
	emb, err := embedded(d)
	if err != nil || emb == nil {
		return -1, "no cache and no embedded catalog"
	}
	age, ok := emb.rel.Age(now)
	if !ok {
		return -1, fmt.Sprintf("no cache; the embedded catalog %s has no date", emb.rel.Version)
	}
	return age, fmt.Sprintf("no cache; the embedded catalog %s is %s old", emb.rel.Version, ageWords(age))
}

// fallbackText names what the stale domains that were not stored are read
// from after a failed refresh: "cache 18.1", "the embedded catalog 18.1".
func fallbackText(dir string, stale []Domain, stored []UpdateResult) string {
	var parts []string
	for _, d := range stale {
		done := false
		for _, r := range stored {
			done = done || r.Domain == d
		}
		if done {
			continue
		}
		what := "no catalog"
		if data, err := loadDefault(d, Options{CacheDir: dir}); err != nil {
			what = "no catalog (" + err.Error() + ")"
		} else if data != nil && data.rel.Source == "cache" {
			what = "cache " + data.rel.Version
		} else if data != nil {
			what = "the embedded catalog " + data.rel.Version
		}
		if len(stale) > 1 {
			what = string(d) + " " + what
		}
		parts = append(parts, what)
	}
	return strings.Join(parts, ", ")
}

// ageWords is an age for people, in hours under two days.
func ageWords(age time.Duration) string {
	if h := int(age.Hours()); age < 48*time.Hour {
		if h == 0 {
			return "less than an hour"
		}
		if h == 1 {
			return "1 hour"
		}
		return fmt.Sprintf("%d hours", h)
	}
	return AgeText(age)
}

// ageSetting writes an age as the configuration does: "7d", "36h".
func ageSetting(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	if d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	return d.String()
}
