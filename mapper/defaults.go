package mapper

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// DefaultCacheDir returns os.UserCacheDir()/huntlint, where `catalog
// update` stores downloaded catalogs.
func DefaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory: %w", err)
	}
	return filepath.Join(d, "huntlint"), nil
}

// CachePath returns the file that holds domain d in cache folder dir.
func CachePath(dir string, d Domain) string {
	return filepath.Join(dir, string(d)+".catalog.gz")
}

// loadDefault returns the data of domain dom when no path names it: the
// newer of the download cache (unless opts.Offline) and the embedded
// catalog, the cache also when it holds the embedded release with its texts;
// nil when neither has the domain.
func loadDefault(dom Domain, opts Options) (*domainData, error) {
	emb, err := embedded(dom)
	if err != nil {
		return nil, err
	}
	embRelease := "none"
	if emb != nil {
		embRelease = emb.rel.Version
	}
	useEmbedded := func(why string, args ...any) (*domainData, error) {
		if emb != nil {
			opts.logf("catalog %s: embedded release %s: %s", dom, embRelease, fmt.Sprintf(why, args...))
		}
		return emb, nil
	}
	if opts.Offline {
		return useEmbedded("offline, the download cache is not read")
	}
	dir := opts.CacheDir
	if dir == "" {
		if dir, err = DefaultCacheDir(); err != nil {
			return useEmbedded("no cache folder (%v)", err)
		}
	}
	path := CachePath(dir, dom)
	cached, err := loadCached(path)
	if err != nil {
		return nil, err
	}
	if cached == nil {
		return useEmbedded("no download cache at %s (huntlint catalog update makes one)", path)
	}
	if emb != nil && !newerRelease(cached.rel, emb.rel) {
		// The same release as the embedded one is taken from the cache
		// when the cache also keeps its texts (same facts, and more).
		same := cached.rel.Version == emb.rel.Version && cached.rel.Modified == emb.rel.Modified
		if !same {
			return useEmbedded("the cache at %s holds an older release, %s", path, cached.rel.Version)
		}
		if _, err := os.Stat(cached.textsPath); err != nil {
			return useEmbedded("the cache at %s holds the same release without its texts", path)
		}
		opts.logf("catalog %s: cached release %s from %s: the embedded release, with its texts", dom, cached.rel.Version, path)
		return cached, nil
	}
	opts.logf("catalog %s: cached release %s from %s: newer than the embedded release %s", dom, cached.rel.Version, path, embRelease)
	return cached, nil
}

// loadCached reads one cached domain; nil when the file does not exist.
func loadCached(path string) (*domainData, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("catalog cache: %w", err)
	}
	defer f.Close()
	ds, err := readCompact(f, "cache")
	if err != nil {
		return nil, fmt.Errorf("catalog cache %q: %w (run 'huntlint catalog update' again or delete the file)", path, err)
	}
	if len(ds) != 1 {
		return nil, fmt.Errorf("catalog cache %q: %d domains, expected 1 (run 'huntlint catalog update' again or delete the file)", path, len(ds))
	}
	ds[0].rel.Path = path
	ds[0].textsPath = textsPathOf(path)
	return ds[0], nil
}

// newerRelease reports whether a is a newer release than b: by version
// number ("18.1" < "19.0"; "unknown" is oldest), then by modified date.
func newerRelease(a, b Release) bool {
	if c := CompareVersions(a.Version, b.Version); c != 0 {
		return c > 0
	}
	return a.Modified > b.Modified
}

// CompareVersions compares ATT&CK release numbers ("17.1", "18.1", "19.0")
// numerically part by part: -1, 0 or +1. A version that is not a number
// ("unknown") is older than any number.
func CompareVersions(a, b string) int {
	pa, oka := versionParts(a)
	pb, okb := versionParts(b)
	switch {
	case !oka && !okb:
		return strings.Compare(a, b)
	case !oka:
		return -1
	case !okb:
		return 1
	}
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x = pa[i]
		}
		if i < len(pb) {
			y = pb[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

func versionParts(v string) ([]int, bool) {
	if v == "" {
		return nil, false
	}
	var out []int
	for _, s := range strings.Split(v, ".") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}
