package sigmatest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/internal/parallel"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// Status is the outcome of a rule or one of its tests.
type Status string

// Statuses.
const (
	StatusPass  Status = "pass"  // every expected match was found
	StatusFail  Status = "fail"  // the rule did not match as the test expects
	StatusError Status = "error" // the test could not run: a missing file, bad JSON, a rule not evaluable
)

// Options configure a run.
type Options struct {
	// Map gives logsource conditions and field mappings; nil is DefaultMap.
	Map *LogsourceMap
	// Jobs is the number of rules tested at once; 0 is GOMAXPROCS.
	Jobs int
	// Root is the folder regression_tests_path is relative to; "" looks
	// for it in the rule's folder and each folder above it.
	Root string
}

// TestResult is one test of a rule: one events file.
type TestResult struct {
	Name     string `json:"name"`
	Events   string `json:"events,omitempty"` // the JSON events file
	Status   Status `json:"status"`
	Message  string `json:"message"`
	Matched  int    `json:"matched"`
	Total    int    `json:"events_total"`
	Expected int    `json:"expected_matches,omitempty"` // match_count; 0: at least one
	// NotEvaluable is the reason when the test could not be evaluated
	// (status error).
	NotEvaluable string `json:"not_evaluable,omitempty"`
}

// RuleResult is the outcome of one rule's tests.
type RuleResult struct {
	Path   string `json:"path"`
	Line   int    `json:"line"` // of regression_tests_path, or the rule's first line
	ID     string `json:"id,omitempty"`
	Title  string `json:"title,omitempty"`
	Status Status `json:"status"`
	// Message says what went wrong for the rule as a whole ("" when each
	// test says it).
	Message string `json:"message,omitempty"`
	// NotEvaluable is the reason when no test of the rule was evaluated.
	NotEvaluable string       `json:"not_evaluable,omitempty"`
	Equivalents  []string     `json:"equivalents,omitempty"`
	Tests        []TestResult `json:"tests"`

	Rule *rules.Rule `json:"-"`
}

// Summary counts a run.
type Summary struct {
	Rules        int `json:"rules"` // rules with tests
	Passed       int `json:"passed"`
	Failed       int `json:"failed"`
	Errors       int `json:"errors"`        // rules in error, not evaluable ones included
	NotEvaluable int `json:"not_evaluable"` // rules not evaluated at all
	Equivalent   int `json:"equivalent"`    // rules evaluated through a documented equivalent
	Tests        int `json:"tests"`
	TestsPassed  int `json:"tests_passed"`
	TestsFailed  int `json:"tests_failed"`
	TestsErrors  int `json:"tests_errors"`
	Events       int `json:"events"`
	Untested     int `json:"untested"` // Sigma detection rules without regression_tests_path
}

// Report is the outcome of a run.
type Report struct {
	LogsourceMap string       `json:"logsource_map"`
	Results      []RuleResult `json:"results"`
	Summary      Summary      `json:"summary"`
}

// Failed reports whether any rule failed or had an error other than not
// being evaluable (the exit status of huntlint test).
func (r *Report) Failed() bool {
	for _, res := range r.Results {
		if res.Status == StatusFail {
			return true
		}
		if res.Status == StatusError && res.NotEvaluable == "" {
			return true
		}
	}
	return false
}

// Passed returns the IDs (or paths, for rules without an ID) of the rules
// whose tests all passed.
func (r *Report) Passed() map[string]bool {
	out := map[string]bool{}
	for _, res := range r.Results {
		if res.Status == StatusPass {
			out[ruleKey(res.Rule, res.Path)] = true
		}
	}
	return out
}

func ruleKey(r *rules.Rule, path string) string {
	if r != nil && r.ID != "" {
		return r.ID
	}
	if r != nil {
		return r.Path
	}
	return path
}

// RegressionPath returns a Sigma rule's regression_tests_path and its line.
func RegressionPath(r *rules.Rule) (string, int) {
	if r.Format != rules.FormatSigma || r.Doc == nil || len(r.Doc.Content) == 0 {
		return "", 0
	}
	k, v := yamlsrc.Lookup(r.Doc.Content[0], "regression_tests_path")
	if v == nil || v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
		return "", 0
	}
	return strings.TrimSpace(v.Value), k.Line
}

// Run tests every Sigma rule of rs that has regression_tests_path, in
// parallel, and reports them in the order of rs.
func Run(ctx context.Context, rs []*rules.Rule, opts Options) *Report {
	if opts.Map == nil {
		opts.Map = DefaultMap()
	}
	rep := &Report{LogsourceMap: opts.Map.Name}
	var todo []*rules.Rule
	for _, r := range rs {
		if r.Format != rules.FormatSigma {
			continue
		}
		if p, _ := RegressionPath(r); p == "" {
			if r.Kind == rules.KindDetection {
				rep.Summary.Untested++
			}
			continue
		}
		todo = append(todo, r)
	}
	rep.Results = make([]RuleResult, len(todo))
	parallel.For(len(todo), opts.Jobs, func(i int) {
		rep.Results[i] = runRegression(ctx, todo[i], opts)
	})
	rep.summarize()
	return rep
}

// RunEvents tests one rule on an events file of its own (--events), which
// must give at least one match.
func RunEvents(ctx context.Context, r *rules.Rule, events string, opts Options) *Report {
	if opts.Map == nil {
		opts.Map = DefaultMap()
	}
	rep := &Report{LogsourceMap: opts.Map.Name}
	res := newResult(r, r.Start.Line)
	c, err := Compile(r, opts.Map)
	if err != nil {
		res.notEvaluable(err)
		res.Tests = []TestResult{{Name: filepath.Base(events), Events: events, Status: StatusError, Message: res.Message, NotEvaluable: res.NotEvaluable}}
	} else {
		res.Equivalents = c.Equivalents
		t := TestResult{Name: filepath.Base(events), Events: events}
		evalFile(ctx, c, &t)
		res.Tests = []TestResult{t}
		res.finish()
	}
	rep.Results = []RuleResult{res}
	rep.summarize()
	return rep
}

func newResult(r *rules.Rule, line int) RuleResult {
	if line == 0 {
		line = r.Start.Line
	}
	return RuleResult{Path: r.Path, Line: line, ID: r.ID, Title: r.Title, Rule: r}
}

func (res *RuleResult) notEvaluable(err error) {
	var ne *NotEvaluable
	if errors.As(err, &ne) {
		res.NotEvaluable = ne.Reason
	} else {
		res.NotEvaluable = err.Error()
	}
	res.Status = StatusError
	res.Message = "not evaluable (" + res.NotEvaluable + ")"
}

// finish sets the rule's status from its tests.
func (res *RuleResult) finish() {
	res.Status = StatusPass
	allNE := len(res.Tests) > 0
	for _, t := range res.Tests {
		switch t.Status {
		case StatusFail:
			res.Status = StatusFail
		case StatusError:
			if res.Status != StatusFail {
				res.Status = StatusError
			}
		}
		if t.NotEvaluable == "" {
			allNE = false
		}
	}
	if allNE {
		res.NotEvaluable = res.Tests[0].NotEvaluable
	}
}

type infoFile struct {
	ID    string `yaml:"id"`
	Tests []struct {
		Name       string `yaml:"name"`
		Type       string `yaml:"type"`
		Provider   string `yaml:"provider"`
		MatchCount *int   `yaml:"match_count"`
		Path       string `yaml:"path"`
	} `yaml:"regression_tests_info"`
}

func runRegression(ctx context.Context, r *rules.Rule, opts Options) RuleResult {
	rel, line := RegressionPath(r)
	res := newResult(r, line)
	root, infoPath, err := findInfo(r.Path, rel, opts.Root)
	if err != nil {
		res.Status = StatusError
		res.Message = err.Error()
		return res
	}
	data, err := os.ReadFile(infoPath)
	if err != nil {
		res.Status = StatusError
		res.Message = fmt.Sprintf("regression_tests_path %s: %v", rel, err)
		return res
	}
	var info infoFile
	if err := yaml.Unmarshal(data, &info); err != nil {
		res.Status = StatusError
		res.Message = fmt.Sprintf("%s: not a SigmaHQ regression info.yml: %v", infoPath, err)
		return res
	}
	if len(info.Tests) == 0 {
		res.Status = StatusError
		res.Message = fmt.Sprintf("%s lists no tests under regression_tests_info: add an entry with the path of the test events", infoPath)
		return res
	}
	c, cerr := Compile(r, opts.Map)
	if cerr == nil {
		res.Equivalents = c.Equivalents
	}
	for i, ti := range info.Tests {
		t := TestResult{Name: ti.Name}
		if t.Name == "" {
			t.Name = fmt.Sprintf("test %d", i+1)
		}
		if ti.MatchCount != nil {
			t.Expected = *ti.MatchCount
		}
		events, ne, err := eventsFile(root, infoPath, ti.Path, ti.Type)
		t.Events = events
		switch {
		case err != nil:
			t.Status, t.Message = StatusError, err.Error()
		case ne != "":
			t.Status, t.NotEvaluable = StatusError, ne
			t.Message = "not evaluable (" + ne + ")"
		case cerr != nil:
			var nerr *NotEvaluable
			errors.As(cerr, &nerr)
			t.Status, t.NotEvaluable = StatusError, nerr.Reason
			t.Message = cerr.Error()
		default:
			evalFile(ctx, c, &t)
		}
		res.Tests = append(res.Tests, t)
	}
	res.finish()
	if cerr != nil {
		var nerr *NotEvaluable
		errors.As(cerr, &nerr)
		res.NotEvaluable = nerr.Reason
		res.Message = cerr.Error()
		if nerr.Line > 0 {
			res.Line = nerr.Line
		}
	}
	return res
}

// FindRegression returns the file a rule's regression_tests_path names,
// looked up in the rule's folder and each folder above it (SigmaHQ writes
// the path from its repository's root), and whether it exists.
func FindRegression(rulePath, rel string) (string, bool) {
	_, p, err := findInfo(rulePath, rel, "")
	return p, err == nil
}

// findInfo locates regression_tests_path: under root when given, else in
// the rule's folder or the first folder above it that holds the path.
func findInfo(rulePath, rel, root string) (string, string, error) {
	if filepath.IsAbs(rel) {
		if _, err := os.Stat(rel); err != nil {
			return "", "", fmt.Errorf("regression_tests_path %s does not exist", rel)
		}
		return filepath.Dir(rel), rel, nil
	}
	if root != "" {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if _, err := os.Stat(p); err != nil {
			return "", "", fmt.Errorf("regression_tests_path %s is not under --regression-root %s: unpack the regression data there or fix the path", rel, root)
		}
		return root, p, nil
	}
	dir, err := filepath.Abs(filepath.Dir(rulePath))
	if err != nil {
		return "", "", err
	}
	for {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return dir, p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", "", fmt.Errorf("regression_tests_path %s is not found from the rule's folder or any folder above it: put the regression data beside the rule folders (SigmaHQ's regression_data/) or give --regression-root", rel)
}

// eventsFile finds a test's JSON events: the path itself when it is JSON,
// the .json beside it when it is EVTX. ne is set when only EVTX exists.
func eventsFile(root, infoPath, rel, typ string) (path, ne string, err error) {
	if strings.TrimSpace(rel) == "" {
		return "", "", fmt.Errorf("%s: a test has no path", infoPath)
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	if filepath.IsAbs(rel) {
		p = rel
	}
	if _, err := os.Stat(p); err != nil {
		// Also accept the file beside info.yml.
		alt := filepath.Join(filepath.Dir(infoPath), filepath.Base(rel))
		if _, err2 := os.Stat(alt); err2 == nil {
			p = alt
		}
	}
	ext := strings.ToLower(filepath.Ext(p))
	if ext == ".evtx" || strings.EqualFold(typ, "evtx") && ext != ".json" {
		js := strings.TrimSuffix(p, filepath.Ext(p)) + ".json"
		if _, err := os.Stat(js); err == nil {
			return js, "", nil
		}
		if _, err := os.Stat(p); err == nil {
			return js, fmt.Sprintf("only EVTX: %s has no %s beside it, and reading EVTX is out of scope; convert the EVTX to JSON", filepath.Base(p), filepath.Base(js)), nil
		}
		return js, fmt.Sprintf("no events: neither %s nor %s exists (EVTX is out of scope; the JSON export is what huntlint test reads)", filepath.Base(js), filepath.Base(p)), nil
	}
	if _, err := os.Stat(p); err != nil {
		return p, "", fmt.Errorf("test events %s do not exist", rel)
	}
	return p, "", nil
}

func evalFile(ctx context.Context, c *Compiled, t *TestResult) {
	data, err := os.ReadFile(t.Events)
	if err != nil {
		t.Status, t.Message = StatusError, fmt.Sprintf("read test events: %v", err)
		return
	}
	evs, err := ParseEvents(data)
	if err != nil {
		t.Status, t.Message = StatusError, fmt.Sprintf("%s: %v", t.Events, err)
		return
	}
	evalEvents(ctx, c, evs, t)
}

// evalEvents evaluates c on evs and sets t's counts and status.
func evalEvents(ctx context.Context, c *Compiled, evs []Event, t *TestResult) {
	t.Total = len(evs)
	for i, ev := range evs {
		ok, err := c.Match(ctx, ev)
		if err != nil {
			t.Status, t.Message = StatusError, fmt.Sprintf("event %d: %v", i+1, err)
			return
		}
		if ok {
			t.Matched++
		}
	}
	// A test passes when the rule matches at least the events info.yml's
	// match_count says (at least one without it). More matches than
	// match_count pass with a note: SigmaHQ's JSON exports can hold more
	// events than the count was taken on; the altered-event tests guard
	// against rules that match too much.
	switch {
	case t.Matched == 0:
		t.Status = StatusFail
		t.Message = fmt.Sprintf("expected a match, got none in %s", plural(t.Total, "event"))
	case t.Matched < t.Expected:
		t.Status = StatusFail
		t.Message = fmt.Sprintf("expected %s (match_count), got %d of %d events", plural(t.Expected, "matching event"), t.Matched, t.Total)
	case t.Expected > 0 && t.Matched > t.Expected:
		t.Status = StatusPass
		t.Message = fmt.Sprintf("%d of %s matched (match_count says %d)", t.Matched, plural(t.Total, "event"), t.Expected)
	default:
		t.Status = StatusPass
		t.Message = fmt.Sprintf("%d of %s matched", t.Matched, plural(t.Total, "event"))
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (rep *Report) summarize() {
	s := &rep.Summary
	for _, res := range rep.Results {
		s.Rules++
		switch res.Status {
		case StatusPass:
			s.Passed++
		case StatusFail:
			s.Failed++
		case StatusError:
			s.Errors++
		}
		if res.NotEvaluable != "" {
			s.NotEvaluable++
		}
		if len(res.Equivalents) > 0 && res.NotEvaluable == "" {
			s.Equivalent++
		}
		for _, t := range res.Tests {
			s.Tests++
			s.Events += t.Total
			switch t.Status {
			case StatusPass:
				s.TestsPassed++
			case StatusFail:
				s.TestsFailed++
			case StatusError:
				s.TestsErrors++
			}
		}
	}
}

// SortResults orders results by path, then line (Run keeps the input's
// order; this is for callers that merge runs).
func SortResults(rs []RuleResult) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Path != rs[j].Path {
			return rs[i].Path < rs[j].Path
		}
		return rs[i].Line < rs[j].Line
	})
}
