package mapper

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenLogsWhereEachDomainComesFrom: Options.Log and UpdateOptions.Log
// say which data each domain uses and why, and what an update imported and
// wrote, in the words --log-level debug shows.
func TestOpenLogsWhereEachDomainComesFrom(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	log := func(m string) { lines = append(lines, m) }
	has := func(want string) {
		t.Helper()
		for _, l := range lines {
			if strings.Contains(l, want) {
				return
			}
		}
		t.Errorf("no log line holds %q:\n%s", want, strings.Join(lines, "\n"))
	}

	if _, err := Open(Options{CacheDir: dir, Log: log}); err != nil {
		t.Fatal(err)
	}
	has("catalog enterprise-attack: embedded release 18.1: no download cache at " + CachePath(dir, Enterprise))

	lines = nil
	bundle := filepath.Join("..", "testdata", "attack", "mini-19.json")
	if _, err := Update(context.Background(), UpdateOptions{From: []string{bundle}, CacheDir: dir, Log: log}); err != nil {
		t.Fatal(err)
	}
	has("import " + bundle + ": enterprise-attack release 19.0 in ")
	has("catalog cache: writing enterprise-attack release 19.0 to " + CachePath(dir, Enterprise))

	lines = nil
	if _, err := Open(Options{CacheDir: dir, Log: log}); err != nil {
		t.Fatal(err)
	}
	has("catalog enterprise-attack: cached release 19.0 from " + CachePath(dir, Enterprise) + ": newer than the embedded release 18.1")
	has("catalog mobile-attack: embedded release 18.1: no download cache at ")

	lines = nil
	if _, err := Open(Options{CacheDir: dir, Offline: true, Log: log}); err != nil {
		t.Fatal(err)
	}
	has("catalog enterprise-attack: embedded release 18.1: offline, the download cache is not read")

	lines = nil
	if _, err := Open(Options{Paths: []string{bundle}, CacheDir: dir, Log: log}); err != nil {
		t.Fatal(err)
	}
	has("catalog enterprise-attack: release 19.0 from the bundle " + bundle + " given by the user")
}
