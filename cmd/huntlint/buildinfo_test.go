package main

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}
	cases := []struct {
		name             string
		version, commit  string
		main             string
		settings         []debug.BuildSetting
		wantVer, wantCom string
	}{
		{"ldflags win", "v9.9.9", "abc", "v1.0.0", vcs, "v9.9.9", "abc"},
		{"go install @version", "dev", "none", "v1.2.3", nil, "v1.2.3", "none"},
		{"git checkout", "dev", "none", "(devel)", vcs, "dev", "0123456789ab-dirty"},
		{"clean checkout", "dev", "none", "", vcs[:1], "dev", "0123456789ab"},
		{"nothing recorded", "dev", "none", "(devel)", nil, "dev", "none"},
	}
	for _, c := range cases {
		bi := &debug.BuildInfo{Main: debug.Module{Path: "github.com/huntlint/huntlint", Version: c.main}, Settings: c.settings}
		v, com := fromBuildInfo(c.version, c.commit, bi)
		if v != c.wantVer || com != c.wantCom {
			t.Errorf("%s: got %q %q, want %q %q", c.name, v, com, c.wantVer, c.wantCom)
		}
	}
}
