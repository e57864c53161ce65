package repotest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/linter/report"
)

// repoRoot is the repository's top folder.
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// decodeStrict reads a YAML file of the repository into v, refusing keys v
// does not know (a misspelt key in action.yml is silently ignored by GitHub).
func decodeStrict(t *testing.T, rel string, v any) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

type actionInput struct {
	Description        string `yaml:"description"`
	Required           bool   `yaml:"required"`
	Default            string `yaml:"default"`
	DeprecationMessage string `yaml:"deprecationMessage"`
}

type actionOutput struct {
	Description string `yaml:"description"`
	Value       string `yaml:"value"`
}

type step struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Shell            string            `yaml:"shell"`
	Run              string            `yaml:"run"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
	ContinueOnError  bool              `yaml:"continue-on-error"`
}

type action struct {
	Name        string                  `yaml:"name"`
	Description string                  `yaml:"description"`
	Author      string                  `yaml:"author"`
	Branding    map[string]string       `yaml:"branding"`
	Inputs      map[string]actionInput  `yaml:"inputs"`
	Outputs     map[string]actionOutput `yaml:"outputs"`
	Runs        struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

var (
	exprRE      = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	inputRefRE  = regexp.MustCompile(`\binputs\.([A-Za-z0-9_-]+)`)
	stepRefRE   = regexp.MustCompile(`\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)
	pinnedUseRE = regexp.MustCompile(`^([\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})|\./.*)$`)
)

// TestActionWellFormed checks action.yml: a composite action with the inputs
// the documentation promises, every input used and every used input
// declared, outputs that name existing steps, pinned actions, shells on
// every script, no ${{ }} expression inside a script (inputs go through env,
// so they cannot inject shell), and scripts that bash can parse.
func TestActionWellFormed(t *testing.T) {
	var a action
	decodeStrict(t, "action.yml", &a)
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" {
		t.Errorf("name %q, description %q, runs.using %q; want a named composite action", a.Name, a.Description, a.Runs.Using)
	}
	for _, in := range []string{"paths", "format", "fail-on", "config", "upload-sarif", "sarif-file", "layer", "catalog-update", "version"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("input %q is missing", in)
		}
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %q has no description", name)
		}
		if in.Required && in.Default != "" {
			t.Errorf("input %q is required and has a default", name)
		}
	}
	for _, b := range []string{"upload-sarif", "catalog-update"} {
		if d := a.Inputs[b].Default; d != "true" && d != "false" {
			t.Errorf("input %q: default %q, want \"true\" or \"false\"", b, d)
		}
	}
	if d := a.Inputs["format"].Default; !slices.Contains(report.Formats, d) {
		t.Errorf("input format: default %q is not a lint format %v", d, report.Formats)
	}
	if d := a.Inputs["fail-on"].Default; !slices.Contains([]string{"error", "warning", "info", "never"}, d) {
		t.Errorf("input fail-on: default %q", d)
	}

	used := map[string]bool{}
	ids := map[string]bool{}
	for i, s := range a.Runs.Steps {
		where := fmt.Sprintf("step %d (%s)", i+1, s.Name)
		if s.Name == "" {
			t.Errorf("%s has no name", where)
		}
		if s.ID != "" {
			if ids[s.ID] {
				t.Errorf("%s: id %q used twice", where, s.ID)
			}
			ids[s.ID] = true
		}
		if (s.Run == "") == (s.Uses == "") {
			t.Errorf("%s: a step has either run or uses", where)
		}
		if s.Run != "" {
			if s.Shell == "" {
				t.Errorf("%s: a composite run step needs shell", where)
			}
			if exprRE.MatchString(s.Run) {
				t.Errorf("%s: ${{ }} inside the script; pass values through env", where)
			}
			if s.Shell == "bash" {
				bashSyntax(t, where, s.Run)
			}
		}
		if s.Uses != "" && !pinnedUseRE.MatchString(s.Uses) {
			t.Errorf("%s: uses %q is not pinned to a version tag or commit", where, s.Uses)
		}
		texts := []string{s.If, s.Run}
		for _, v := range s.With {
			texts = append(texts, v)
		}
		for _, v := range s.Env {
			texts = append(texts, v)
		}
		for _, txt := range texts {
			for _, m := range inputRefRE.FindAllStringSubmatch(txt, -1) {
				used[m[1]] = true
				if _, ok := a.Inputs[m[1]]; !ok {
					t.Errorf("%s uses undeclared input %q", where, m[1])
				}
			}
		}
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %q is declared but never used", name)
		}
	}
	for name, out := range a.Outputs {
		m := stepRefRE.FindStringSubmatch(out.Value)
		if out.Description == "" || m == nil {
			t.Errorf("output %q: description %q, value %q; want both, the value from a step", name, out.Description, out.Value)
			continue
		}
		if !ids[m[1]] {
			t.Errorf("output %q reads step %q, which does not exist", name, m[1])
		}
		if !setsOutput(a.Runs.Steps, m[1], m[2]) {
			t.Errorf("output %q reads %s.%s, which that step never writes to $GITHUB_OUTPUT", name, m[1], m[2])
		}
	}
}

// setsOutput reports whether the step with id writes name to $GITHUB_OUTPUT.
func setsOutput(steps []step, id, name string) bool {
	for _, s := range steps {
		if s.ID == id && strings.Contains(s.Run, name+"=") && strings.Contains(s.Run, "$GITHUB_OUTPUT") {
			return true
		}
	}
	return false
}

// bashSyntax fails when bash cannot parse script.
func bashSyntax(t *testing.T, where, script string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		return
	}
	cmd := exec.Command(bash, "-n")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s: bash -n: %v\n%s", where, err, out)
	}
}

type hook struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Description   string   `yaml:"description"`
	Entry         string   `yaml:"entry"`
	Language      string   `yaml:"language"`
	Files         string   `yaml:"files"`
	Types         []string `yaml:"types"`
	PassFilenames *bool    `yaml:"pass_filenames"`
	RequireSerial bool     `yaml:"require_serial"`
	Args          []string `yaml:"args"`
	Stages        []string `yaml:"stages"`
}

// TestPreCommitHooksFile checks .pre-commit-hooks.yaml: the two hooks, built
// with language golang, running huntlint on the rule files pre-commit
// passes. The commands and flags of their entries are checked against the
// command tree by cmd/huntlint's TestRepositoryInvocationsExist.
func TestPreCommitHooksFile(t *testing.T) {
	var hooks []hook
	decodeStrict(t, ".pre-commit-hooks.yaml", &hooks)
	byID := map[string]hook{}
	for _, h := range hooks {
		byID[h.ID] = h
	}
	want := map[string][2]string{
		"huntlint":        {"huntlint lint", "golang"},
		"huntlint-fix":    {"huntlint fix", "golang"},
		"huntlint-system": {"huntlint lint", "system"},
	}
	if len(hooks) != len(want) {
		t.Errorf("%d hooks, want %d", len(hooks), len(want))
	}
	for id, w := range want {
		entry, lang := w[0], w[1]
		h, ok := byID[id]
		if !ok {
			t.Errorf("hook %q is missing", id)
			continue
		}
		if h.Language != lang || h.Entry != entry || h.Name == "" || h.Description == "" {
			t.Errorf("hook %q: language %q, entry %q; want %s and %q, with a name and description", id, h.Language, h.Entry, lang, entry)
		}
		if h.Files != byID["huntlint"].Files {
			t.Errorf("hook %q: files %q differ from huntlint's %q", id, h.Files, byID["huntlint"].Files)
		}
		if h.PassFilenames != nil && !*h.PassFilenames {
			t.Errorf("hook %q does not pass file names", id)
		}
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Errorf("hook %q: files %q: %v", id, h.Files, err)
			continue
		}
		for _, f := range []string{"rules/windows/proc_creation.yml", "Hunting/x.yaml", "queries/a.kql", "Queries/README.md", "a/b.csl"} {
			if !re.MatchString(f) {
				t.Errorf("hook %q: files %q does not match %s", id, h.Files, f)
			}
		}
		for _, f := range []string{"main.go", "rules.yml.bak", "notes.txt", "yml"} {
			if re.MatchString(f) {
				t.Errorf("hook %q: files %q matches %s", id, h.Files, f)
			}
		}
	}
	if !byID["huntlint-fix"].RequireSerial {
		t.Error("huntlint-fix writes files and must run serially (require_serial: true)")
	}
}

type goreleaser struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Before      struct {
		Hooks []string `yaml:"hooks"`
	} `yaml:"before"`
	Builds []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ignore  []struct {
			Goos   string `yaml:"goos"`
			Goarch string `yaml:"goarch"`
		} `yaml:"ignore"`
	} `yaml:"builds"`
	Archives []struct {
		ID              string   `yaml:"id"`
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		NameTemplate string   `yaml:"name_template"`
		Files        []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
	Changelog map[string]any `yaml:"changelog"`
}

// releaseConfig reads .goreleaser.yaml.
func releaseConfig(t *testing.T) goreleaser {
	t.Helper()
	var g goreleaser
	decodeStrict(t, ".goreleaser.yaml", &g)
	if len(g.Builds) != 1 {
		t.Fatalf(".goreleaser.yaml: %d builds, want 1", len(g.Builds))
	}
	return g
}

// releaseTargets are the goos/goarch pairs .goreleaser.yaml builds.
func releaseTargets(t *testing.T) []string {
	t.Helper()
	b := releaseConfig(t).Builds[0]
	var out []string
	for _, os := range b.Goos {
		for _, arch := range b.Goarch {
			skip := false
			for _, ig := range b.Ignore {
				skip = skip || (ig.Goos == "" || ig.Goos == os) && (ig.Goarch == "" || ig.Goarch == arch)
			}
			if !skip {
				out = append(out, os+"/"+arch)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestReleaseConfig checks .goreleaser.yaml: linux, darwin and windows on
// amd64 and arm64, static binaries, checksums, archives named the way
// action.yml downloads them, and ldflags that set variables main really has.
func TestReleaseConfig(t *testing.T) {
	g := releaseConfig(t)
	b := g.Builds[0]
	if g.Version != 2 || b.Main != "./cmd/huntlint" || b.Binary != "huntlint" {
		t.Errorf("version %d, main %q, binary %q", g.Version, b.Main, b.Binary)
	}
	want := []string{"darwin/amd64", "darwin/arm64", "linux/amd64", "linux/arm64", "windows/amd64", "windows/arm64"}
	if got := releaseTargets(t); !slices.Equal(got, want) {
		t.Errorf("release targets %v, want %v", got, want)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Error("builds must set CGO_ENABLED=0 (static binaries)")
	}
	if g.Checksum.NameTemplate != "checksums.txt" || g.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v; action.yml verifies checksums.txt with sha256sum", g.Checksum)
	}
	vars := ldflagVars(t, b.Ldflags)
	for _, v := range []string{"main.version", "main.commit"} {
		if _, ok := vars[v]; !ok {
			t.Errorf("ldflags %q do not set %s", b.Ldflags, v)
		}
	}
	pkgVars := stringVars(t, filepath.Join(repoRoot(t), "cmd", "huntlint"))
	for v := range vars {
		name, ok := strings.CutPrefix(v, "main.")
		if !ok || !pkgVars[name] {
			t.Errorf("ldflags set %s, which is not a string variable of package main", v)
		}
	}
	if len(g.Archives) != 1 {
		t.Fatalf("%d archives, want 1", len(g.Archives))
	}
	ar := g.Archives[0]
	if ar.NameTemplate != "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}" || !slices.Equal(ar.Formats, []string{"tar.gz"}) {
		t.Errorf("archive name %q formats %v; action.yml downloads huntlint_<version>_<os>_<arch>.tar.gz", ar.NameTemplate, ar.Formats)
	}
	for _, f := range ar.Files {
		if _, err := os.Stat(filepath.Join(repoRoot(t), f)); err != nil {
			t.Errorf("archive file %s: %v", f, err)
		}
	}
	if !slices.Contains(ar.Files, "NOTICE") || !slices.Contains(ar.Files, "LICENSE") {
		t.Errorf("archives must carry LICENSE and NOTICE (MITRE's notice): %v", ar.Files)
	}
	action, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(action), `archive="huntlint_${v}_${os}_${arch}.${ext}"`) {
		t.Error("action.yml does not download the archive name .goreleaser.yaml writes")
	}
	for _, o := range ar.FormatOverrides {
		if o.Goos == "windows" && !slices.Equal(o.Formats, []string{"zip"}) || o.Goos != "windows" {
			t.Errorf("format override %+v: action.yml expects zip on windows only", o)
		}
	}
}

// ldflagVars returns the -X variables of ldflags with their templates.
func ldflagVars(t *testing.T, ldflags []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	fields := strings.Fields(strings.Join(ldflags, " "))
	for i, f := range fields {
		if f == "-X" && i+1 < len(fields) {
			name, val, _ := strings.Cut(fields[i+1], "=")
			out[name] = val
		}
	}
	return out
}

// stringVars lists the package-level string variables of the Go package in
// dir (those -X can set).
func stringVars(t *testing.T, dir string) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	out := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					isString := false
					if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "string" {
						isString = true
					}
					if vs.Type == nil && i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							isString = true
						}
					}
					if isString {
						out[n.Name] = true
					}
				}
			}
		}
	}
	return out
}

type workflow struct {
	Name string         `yaml:"name"`
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		RunsOn      string            `yaml:"runs-on"`
		Permissions map[string]string `yaml:"permissions"`
		Steps       []step            `yaml:"steps"`
	} `yaml:"jobs"`
	Permissions map[string]string `yaml:"permissions"`
}

// TestCIWorkflow checks .github/workflows/ci.yml: it runs .ci/run (gofmt,
// vet, tests), huntlint on its examples, and the action itself on the
// examples; a release job of its own runs goreleaser check and the
// cross-compilation of the release targets (release_test.go, behind the
// release build tag so that go test ./... stays fast).
func TestCIWorkflow(t *testing.T) {
	var w workflow
	decodeStrict(t, ".github/workflows/ci.yml", &w)
	var runs []string
	usesSelf, goreleaserCheck := false, false
	for name, j := range w.Jobs {
		for _, s := range j.Steps {
			runs = append(runs, s.Run)
			usesSelf = usesSelf || s.Uses == "./"
			if strings.HasPrefix(s.Uses, "goreleaser/goreleaser-action@") && s.With["args"] == "check" || strings.Contains(s.Run, "goreleaser check") {
				goreleaserCheck = true
				if name == "test" {
					t.Error("ci.yml: goreleaser check belongs in the release job, not the test job")
				}
			}
			if s.Uses != "" && !pinnedUseRE.MatchString(s.Uses) {
				t.Errorf("ci.yml: uses %q is not pinned", s.Uses)
			}
			if s.Run != "" {
				bashSyntax(t, "ci.yml step "+s.Name, s.Run)
			}
		}
	}
	all := strings.Join(runs, "\n")
	for _, want := range []string{"bash .ci/run", "go run ./cmd/huntlint lint examples"} {
		if !strings.Contains(all, want) {
			t.Errorf("ci.yml does not run %q", want)
		}
	}
	if !usesSelf {
		t.Error("ci.yml does not run the action (uses: ./)")
	}
	// The test job fetches ../shared before the tests, which fail without it
	// under CI=true.
	fetched := false
	for _, s := range w.Jobs["test"].Steps {
		fetched = fetched || strings.Contains(s.Run, "scripts/fetch-corpora.sh")
		if strings.Contains(s.Run, "bash .ci/run") && !fetched {
			t.Error("ci.yml: the test job runs .ci/run before scripts/fetch-corpora.sh, so the real-corpus tests fail without ../shared")
		}
	}
	ciRun, err := os.ReadFile(filepath.Join(repoRoot(t), ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gofmt -l", "go vet ./...", "go test ./..."} {
		if !strings.Contains(string(ciRun), want) {
			t.Errorf(".ci/run does not run %q", want)
		}
	}
	if !goreleaserCheck {
		t.Error("ci.yml does not run goreleaser check")
	}
	release := false
	for _, s := range w.Jobs["release"].Steps {
		release = release || strings.Contains(s.Run, "go test -tags release -run TestCrossCompileReleaseTargets") && strings.Contains(s.Run, "./internal/repotest")
	}
	if !release {
		t.Error("ci.yml has no release job running go test -tags release -run TestCrossCompileReleaseTargets ./internal/repotest")
	}
	if strings.Contains(string(ciRun), "-tags release") {
		t.Error(".ci/run must not cross-compile the release targets: that is the release job's")
	}
}
