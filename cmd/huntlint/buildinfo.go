package main

import (
	"runtime/debug"
	"strings"
)

// A release build sets version and commit with -ldflags (see
// .goreleaser.yaml). Other builds fill them from what the Go toolchain
// records: `go install …/cmd/huntlint@v1.2.3` records the module version, a
// build in a git checkout the revision.
func init() {
	if bi, ok := debug.ReadBuildInfo(); ok {
		version, commit = fromBuildInfo(version, commit, bi)
	}
}

// fromBuildInfo returns version and commit, replacing the defaults "dev" and
// "none" by the module version and VCS revision recorded in bi.
func fromBuildInfo(version, commit string, bi *debug.BuildInfo) (string, string) {
	if version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		version = bi.Main.Version
	}
	if commit == "none" {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			commit = rev
			if dirty {
				commit += "-dirty"
			}
		}
	}
	return strings.TrimSpace(version), strings.TrimSpace(commit)
}
