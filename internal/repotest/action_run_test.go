package repotest

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A small local runner for action.yml's composite steps: it evaluates the
// steps' if: conditions and ${{ }} expressions the way GitHub does for the
// forms the action uses, runs the bash steps with GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY and RUNNER_TEMP, and records the steps that use other
// actions (setup-go, upload-sarif) without running them. The install step is
// replaced by a huntlint built once for the test.

type actionRun struct {
	t        *testing.T
	inputs   map[string]string
	github   map[string]string
	outputs  map[string]map[string]string // step id -> name -> value
	failed   bool
	ran      []string
	skipped  []string
	used     []string
	summary  string
	logs     strings.Builder
	workdir  string
	temp     string
	binDir   string
	lastExit int
	install  bool // run the install step too
}

var (
	condTermRE = regexp.MustCompile(`^\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*$`)
	exprBodyRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
)

// value resolves inputs.x, steps.id.outputs.x and github.x.
func (r *actionRun) value(ref string) string {
	parts := strings.Split(ref, ".")
	switch {
	case len(parts) == 2 && parts[0] == "inputs":
		return r.inputs[parts[1]]
	case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
		return r.outputs[parts[1]][parts[3]]
	case parts[0] == "github":
		return r.github[strings.Join(parts[1:], ".")]
	}
	r.t.Fatalf("action runner: unsupported expression %q", ref)
	return ""
}

// cond evaluates an if: condition made of always(), success() and
// comparisons joined by &&. Without always(), a step runs only while no
// earlier step failed.
func (r *actionRun) cond(expr string) bool {
	always := false
	ok := true
	if strings.TrimSpace(expr) == "" {
		return !r.failed
	}
	for _, term := range strings.Split(expr, "&&") {
		term = strings.TrimSpace(term)
		switch term {
		case "always()":
			always = true
			continue
		case "success()":
			continue
		}
		m := condTermRE.FindStringSubmatch(term)
		if m == nil {
			r.t.Fatalf("action runner: unsupported condition %q", term)
		}
		eq := r.value(m[1]) == m[3]
		if m[2] == "!=" {
			eq = !eq
		}
		ok = ok && eq
	}
	return ok && (always || !r.failed)
}

func (r *actionRun) expand(s string) string {
	return exprBodyRE.ReplaceAllStringFunc(s, func(m string) string {
		return r.value(exprBodyRE.FindStringSubmatch(m)[1])
	})
}

// run runs every step of the action.
func (r *actionRun) run(a action) {
	summary := filepath.Join(r.temp, "summary.md")
	proxy := refusingProxy(r.t)
	for i, s := range a.Runs.Steps {
		if !r.cond(s.If) {
			r.skipped = append(r.skipped, s.Name)
			continue
		}
		if s.Uses != "" {
			r.used = append(r.used, s.Uses)
			continue
		}
		if s.Name == "Install huntlint" && !r.install {
			r.ran = append(r.ran, s.Name)
			continue // the test's binary is on PATH already
		}
		out := filepath.Join(r.temp, fmt.Sprintf("output-%d", i))
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s.Run)
		cmd.Dir = r.workdir
		// The catalog update step must not leave the machine: every https
		// request goes to a proxy port on 127.0.0.1 that refuses, as on a
		// runner without network, and the cache is the test's.
		env := append(os.Environ(),
			"PATH="+r.binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
			"GITHUB_OUTPUT="+out, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_PATH="+filepath.Join(r.temp, "path"),
			"RUNNER_TEMP="+r.temp, "NO_COLOR=1", "SOURCE_DATE_EPOCH=1795910400",
			"XDG_CACHE_HOME="+filepath.Join(r.temp, "cache"), "HOME="+r.temp,
			"HTTPS_PROXY="+proxy, "https_proxy="+proxy, "NO_PROXY=", "no_proxy=", "HUNTLINT_CATALOG_AUTO_UPDATE=")
		for k, v := range s.Env {
			env = append(env, k+"="+r.expand(v))
		}
		cmd.Env = env
		cmd.Stdout, cmd.Stderr = &r.logs, &r.logs
		err := cmd.Run()
		r.ran = append(r.ran, s.Name)
		fmt.Fprintf(&r.logs, "--- step %q: %v\n", s.Name, err)
		if data, rerr := os.ReadFile(out); rerr == nil && s.ID != "" {
			r.outputs[s.ID] = map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok {
					r.outputs[s.ID][k] = v
				}
			}
		}
		if err != nil {
			r.failed = true
			if ee, ok := err.(*exec.ExitError); ok {
				r.lastExit = ee.ExitCode()
			}
		}
	}
	if data, err := os.ReadFile(summary); err == nil {
		r.summary = string(data)
	}
}

// refusingProxy is the URL of a port on 127.0.0.1 that refuses
// connections.
func refusingProxy(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// git runs git in dir.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

const goodRule = `title: Encoded PowerShell
id: 5b0e2a51-8f1c-4d2e-9a47-3c6f0d1e2b7a
status: test
description: Detects PowerShell started with an encoded command
author: huntlint tests
date: 2026-01-15
tags:
    - attack.execution
    - attack.t1059.001
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        CommandLine|contains: ' -enc '
    condition: selection
level: high
`

// TestActionRunsOnPullRequest runs action.yml on a pull request that adds a
// rule with a revoked technique (attack.t1060, replaced by T1547.001) and
// checks each promised effect: annotations and a failing job at fail-on
// error, exit-code and sarif-file outputs, a SARIF file for upload, a layer,
// and a job summary with the coverage and its change against the base.
func TestActionRunsOnPullRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the run of action.yml (builds huntlint)")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	var a action
	decodeStrict(t, "action.yml", &a)
	tmp := t.TempDir()
	binDir := filepath.Join(tmp, "bin")
	goBuild(t, nil, "-o", filepath.Join(binDir, "huntlint"), "./cmd/huntlint")

	// A repository whose base commit has one rule; the pull request adds one
	// with a revoked technique.
	work := filepath.Join(tmp, "work")
	if err := os.MkdirAll(filepath.Join(work, "rules"), 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, work, "init", "-q")
	if err := os.WriteFile(filepath.Join(work, "rules", "encoded_powershell.yml"), []byte(goodRule), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, work, "add", ".")
	git(t, work, "commit", "-q", "-m", "base")
	base := git(t, work, "rev-parse", "HEAD")
	git(t, tmp, "clone", "-q", "--bare", work, filepath.Join(tmp, "origin.git"))
	git(t, work, "remote", "add", "origin", filepath.Join(tmp, "origin.git"))
	run := strings.NewReplacer("attack.t1059.001", "attack.t1060", "attack.execution", "attack.persistence",
		"5b0e2a51-8f1c-4d2e-9a47-3c6f0d1e2b7a", "0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f", "Encoded PowerShell", "Run Key").Replace(goodRule)
	if err := os.WriteFile(filepath.Join(work, "rules", "run_key.yml"), []byte(run), 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, work, "add", ".")
	git(t, work, "commit", "-q", "-m", "pull request")

	newRun := func(inputs map[string]string) *actionRun {
		r := &actionRun{t: t, inputs: map[string]string{}, outputs: map[string]map[string]string{},
			github:  map[string]string{"action_path": repoRoot(t), "token": "", "event.pull_request.base.sha": base},
			workdir: work, temp: t.TempDir(), binDir: binDir}
		for name, in := range a.Inputs {
			r.inputs[name] = in.Default
		}
		for k, v := range inputs {
			r.inputs[k] = v
		}
		return r
	}

	r := newRun(map[string]string{"paths": "rules", "layer": "coverage.json"})
	r.run(a)
	t.Logf("steps run %q, skipped %q, used %q\njob summary:\n%s", r.ran, r.skipped, r.used, r.summary)
	logs := r.logs.String()
	if !r.failed || r.lastExit != 1 {
		t.Errorf("the job should fail with exit 1 on an error finding; failed %v, exit %d\n%s", r.failed, r.lastExit, logs)
	}
	if got := r.outputs["lint"]["exit-code"]; got != "1" {
		t.Errorf("output exit-code %q, want 1", got)
	}
	// The catalog update runs by default; without network it warns in one
	// line naming the host, and the lint runs on the embedded catalog.
	if !strings.Contains(strings.Join(r.ran, ","), "Update the ATT&CK catalog") ||
		strings.Count(logs, "huntlint: cannot reach raw.githubusercontent.com (") != 1 ||
		!strings.Contains(logs, "::warning title=huntlint catalog update::the ATT&CK catalog could not be updated") {
		t.Errorf("the catalog update did not run, or did not warn once:\n%s", logs)
	}
	if !strings.Contains(logs, "::error file=rules/run_key.yml,line=9,col=7") || !strings.Contains(logs, "attack.t1060 was revoked") {
		t.Errorf("no GitHub annotation for the revoked tag in the log:\n%s", logs)
	}
	if got := r.outputs["sarif"]["sarif-file"]; got != "huntlint.sarif" {
		t.Errorf("output sarif-file %q", got)
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	data, err := os.ReadFile(filepath.Join(work, "huntlint.sarif"))
	if err != nil || json.Unmarshal(data, &sarif) != nil || sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || len(sarif.Runs[0].Results) == 0 {
		t.Errorf("SARIF report: %v\n%.300s", err, data)
	}
	if !strings.Contains(strings.Join(r.used, " "), "github/codeql-action/upload-sarif@") {
		t.Errorf("SARIF was not uploaded: used %v", r.used)
	}
	if fi, err := os.Stat(filepath.Join(work, "coverage.json")); err != nil || fi.Size() == 0 {
		t.Errorf("layer coverage.json: %v", err)
	}
	for _, want := range []string{"# huntlint coverage", "## ATT&CK coverage change against the base branch", "| gained | T1547.001 "} {
		if !strings.Contains(r.summary, want) {
			t.Errorf("job summary lacks %q:\n%s", want, r.summary)
		}
	}
	if out := git(t, work, "worktree", "list"); strings.Count(out, "\n") != 0 {
		t.Errorf("the base worktree was left behind:\n%s", out)
	}

	// fail-on never passes; no SARIF, no layer, no catalog update when not
	// asked.
	r = newRun(map[string]string{"paths": "rules", "fail-on": "never", "upload-sarif": "false", "catalog-update": "false"})
	if err := os.Remove(filepath.Join(work, "huntlint.sarif")); err != nil {
		t.Fatal(err)
	}
	r.run(a)
	if r.failed || r.outputs["lint"]["exit-code"] != "0" {
		t.Errorf("fail-on never: failed %v, exit-code %q\n%s", r.failed, r.outputs["lint"]["exit-code"], r.logs.String())
	}
	if _, err := os.Stat(filepath.Join(work, "huntlint.sarif")); err == nil || strings.Contains(strings.Join(r.used, " "), "upload-sarif") {
		t.Errorf("upload-sarif false still wrote or uploaded SARIF (used %v)", r.used)
	}
	if r.summary != "" {
		t.Errorf("no layer asked, yet a summary:\n%s", r.summary)
	}
	if !strings.Contains(strings.Join(r.skipped, ","), "Update the ATT&CK catalog") {
		t.Errorf("catalog-update false still updated: skipped %q", r.skipped)
	}
}

// TestActionInstallsRelease runs the install step with a release version:
// it downloads the archive for this machine and checksums.txt with gh (here
// a stand-in serving files the test made in goreleaser's layout), verifies
// the checksum, unpacks huntlint and puts it on PATH; a wrong checksum fails.
func TestActionInstallsRelease(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("tar is not installed")
	}
	if _, err := exec.LookPath("sha256sum"); err != nil {
		t.Skip("sha256sum is not installed")
	}
	var a action
	decodeStrict(t, "action.yml", &a)
	tmp := t.TempDir()
	osName := strings.ToLower(strings.TrimSpace(mustOutput(t, "uname", "-s")))
	arch := map[string]string{"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}[strings.TrimSpace(mustOutput(t, "uname", "-m"))]
	if arch == "" || (osName != "linux" && osName != "darwin") {
		t.Skipf("no release archive for %s/%s", osName, arch)
	}
	// The release: an archive holding a huntlint that says who it is.
	rel := filepath.Join(tmp, "release")
	stage := filepath.Join(tmp, "stage")
	for _, d := range []string{rel, stage} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(stage, "huntlint"), []byte("#!/bin/sh\necho released huntlint \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	archive := fmt.Sprintf("huntlint_9.9.9_%s_%s.tar.gz", osName, arch)
	mustOutput(t, "tar", "-czf", filepath.Join(rel, archive), "-C", stage, "huntlint")
	sum := strings.Fields(mustOutput(t, "sha256sum", filepath.Join(rel, archive)))[0]
	writeSums := func(sum string) {
		if err := os.WriteFile(filepath.Join(rel, "checksums.txt"), []byte(sum+"  "+archive+"\n0000  other.zip\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// gh release download TAG --repo R --pattern P... --dir D
	fake := filepath.Join(tmp, "fakebin")
	if err := os.MkdirAll(fake, 0o755); err != nil {
		t.Fatal(err)
	}
	gh := `#!/bin/bash
set -e
[ "$1 $2 $3" = "release download v9.9.9" ] || { echo "unexpected gh $*" >&2; exit 1; }
shift 3
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) [ "$2" = huntlint/huntlint ] || exit 1; shift 2;;
    --pattern) pats+=("$2"); shift 2;;
    --dir) dir="$2"; shift 2;;
    *) echo "unexpected $1" >&2; exit 1;;
  esac
done
for p in "${pats[@]}"; do cp "$RELEASE/$p" "$dir/"; done
`
	if err := os.WriteFile(filepath.Join(fake, "gh"), []byte(gh), 0o755); err != nil {
		t.Fatal(err)
	}
	newRun := func() *actionRun {
		r := &actionRun{t: t, inputs: map[string]string{}, outputs: map[string]map[string]string{},
			github: map[string]string{"action_path": repoRoot(t), "token": "x"}, workdir: tmp, temp: t.TempDir(),
			binDir: fake, install: true}
		for name, in := range a.Inputs {
			r.inputs[name] = in.Default
		}
		r.inputs["version"] = "v9.9.9"
		r.inputs["upload-sarif"] = "false"
		return r
	}
	t.Setenv("RELEASE", rel)
	writeSums(sum)
	r := newRun()
	r.run(a)
	logs := r.logs.String()
	path, err := os.ReadFile(filepath.Join(r.temp, "path"))
	if err != nil {
		t.Fatalf("GITHUB_PATH not written: %v\n%s", err, logs)
	}
	bin := filepath.Join(strings.TrimSpace(string(path)), "huntlint")
	if out := mustOutput(t, bin, "version"); !strings.Contains(out, "released huntlint version") {
		t.Errorf("installed huntlint: %q", out)
	}
	if !strings.Contains(strings.Join(r.ran, ","), "Install huntlint") || strings.Contains(strings.Join(r.used, ","), "setup-go") {
		t.Errorf("steps run %q, used %q: a release install needs no Go", r.ran, r.used)
	}
	// A checksum that does not match stops the job at the install step.
	writeSums(strings.Repeat("0", 64))
	r = newRun()
	r.run(a)
	if !r.failed || len(r.ran) != 1 {
		t.Errorf("a bad checksum did not stop the job: failed %v, ran %q\n%s", r.failed, r.ran, r.logs.String())
	}
}

func mustOutput(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}
