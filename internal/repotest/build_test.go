package repotest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// releaseLdflags renders the ldflags of .goreleaser.yaml for a version and
// commit, as goreleaser would.
func releaseLdflags(t *testing.T, version, commit string) string {
	t.Helper()
	ld := strings.Join(releaseConfig(t).Builds[0].Ldflags, " ")
	r := strings.NewReplacer("{{.Version}}", version, "{{ .Version }}", version,
		"{{.ShortCommit}}", commit, "{{ .ShortCommit }}", commit, "{{.FullCommit}}", commit, "{{.Commit}}", commit)
	ld = r.Replace(ld)
	if strings.Contains(ld, "{{") {
		t.Fatalf("ldflags %q use a template this test does not render", ld)
	}
	return ld
}

// goBuild runs go build in the repository with extra environment.
func goBuild(t *testing.T, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", append([]string{"build"}, args...)...)
	cmd.Dir = repoRoot(t)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s (%s): %v\n%s", strings.Join(args, " "), strings.Join(env, " "), err, out)
	}
}

// TestVersionFromLdflags builds huntlint with the release ldflags and checks
// that `huntlint version` prints that version and commit, then one line per
// catalog domain with its ATT&CK release and source.
func TestVersionFromLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping a build of huntlint")
	}
	bin := filepath.Join(t.TempDir(), "huntlint")
	goBuild(t, nil, "-ldflags", releaseLdflags(t, "v9.9.9", "abc"), "-o", bin, "./cmd/huntlint")
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("huntlint version: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if lines[0] != "huntlint v9.9.9 (commit abc)" {
		t.Errorf("first line %q, want %q", lines[0], "huntlint v9.9.9 (commit abc)")
	}
	domain := regexp.MustCompile(`^(enterprise|mobile|ics)-attack \S+ \(\S.*\)$`)
	n := 0
	for _, l := range lines[1:] {
		if domain.MatchString(l) {
			n++
		} else {
			t.Errorf("unexpected line %q", l)
		}
	}
	if n == 0 || !strings.Contains(string(out), "enterprise-attack ") {
		t.Errorf("no catalog release lines:\n%s", out)
	}
}
