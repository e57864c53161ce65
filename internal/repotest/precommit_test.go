package repotest

import (
	"bytes"
	"errors"
	"os/exec"
	"testing"
)

// TestPreCommitHooks runs scripts/test-precommit.sh: the hooks of
// .pre-commit-hooks.yaml, built by the real pre-commit from the committed
// HEAD, refuse a rule with a revoked technique, pass the corrected rule, and
// huntlint-fix rewrites the tag. The script installs Debian's pre-commit
// when it runs as root; otherwise the test skips with its message.
func TestPreCommitHooks(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the pre-commit end-to-end test (it builds huntlint in a clone)")
	}
	cmd := exec.Command("bash", "scripts/test-precommit.sh")
	cmd.Dir = repoRoot(t)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		t.Log(out.String())
	case errors.As(err, &exit) && exit.ExitCode() == 77:
		t.Skipf("pre-commit end-to-end test skipped:\n%s", out.String())
	default:
		t.Fatalf("scripts/test-precommit.sh: %v\n%s", err, out.String())
	}
}
