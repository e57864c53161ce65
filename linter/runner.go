package linter

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/internal/parallel"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// LoadFunc loads one file into rules and problems (rules.Load).
type LoadFunc func(path string) ([]*rules.Rule, []rules.Problem)

// Options configure a lint run.
type Options struct {
	Catalog *mapper.Catalog
	Config  *Config // nil: defaults
	// Checks are the checks to run; nil means Registry() filtered by
	// Config, Select and Ignore.
	Checks []Check
	// Select and Ignore are check IDs or categories (--select, --ignore).
	Select, Ignore []string
	// Jobs is the number of files linted at once; <= 0 means all processors.
	Jobs int
	// FollowSymlinks makes Lint walk symbolic links in folders
	// (--follow-symlinks); by default each is a load-skipped finding.
	FollowSymlinks bool
	// MinSeverity drops the findings below it (--min-severity); 0 keeps
	// all. Suppressions are matched before, so a suppressed info still
	// counts as used.
	MinSeverity Severity
	// Load reads one file; nil means rules.Load.
	Load LoadFunc
	// Suggest proposes techniques for attack-missing-technique; may be nil.
	Suggest TechniqueSuggester
	// SuggestFor, when set and Suggest is nil, builds Suggest from every
	// rule loaded (so that a suggester can learn from the tagged rules being
	// linted): all files are loaded first, then linted.
	SuggestFor func(all []*rules.Rule) TechniqueSuggester
	// Log, when set, receives a line for each path Lint's discovery left
	// out and why (rules.Discovery.Notes), and for each file that held no
	// rule (rules.SkipReason), for --log-level debug.
	Log func(msg string)
}

// Result is the outcome of a lint run.
type Result struct {
	// Findings in deterministic order: path, line, column, check, message.
	Findings []Finding
	Files    int // files read
	Rules    int // rules loaded
	// Checks are the checks that ran, in registry order.
	Checks []Check
}

// Count returns the number of findings of severity s.
func (r *Result) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Worst returns the highest severity among the findings, 0 when none.
func (r *Result) Worst() Severity {
	var w Severity
	for _, f := range r.Findings {
		w = max(w, f.Severity)
	}
	return w
}

// SelectChecks returns the checks of all that the configuration enables and
// that match sel (IDs, categories or groups; empty: the default set) and not
// ign. An unknown name is an error.
//
// Opt-in checks (those with a Doc.Group, such as attack-missing-technique in
// the coverage group) are left out of the default set and of their
// category: they run when sel names them or their group, or when the
// configuration opts in (lint preset, or enabled = true in a check block).
func SelectChecks(all []Check, cfg *Config, sel, ign []string) ([]Check, error) {
	known := map[string]bool{}
	var names []string
	for _, c := range all {
		d := c.Doc()
		for _, n := range []string{d.ID, d.Category, d.Group} {
			if n != "" && !known[n] {
				known[n] = true
				names = append(names, n)
			}
		}
	}
	split := func(flag string, in []string) (map[string]bool, error) {
		out := map[string]bool{}
		for _, s := range in {
			for _, p := range strings.Split(s, ",") {
				p = strings.TrimSpace(p)
				if p == "" {
					continue
				}
				if !known[p] {
					return nil, fmt.Errorf("%s: unknown check or category %q%s; see 'huntlint checks'", flag, p, didYouMean(p, names))
				}
				out[p] = true
			}
		}
		return out, nil
	}
	s, err := split("--select", sel)
	if err != nil {
		return nil, err
	}
	i, err := split("--ignore", ign)
	if err != nil {
		return nil, err
	}
	var out []Check
	for _, c := range all {
		d := c.Doc()
		optIn := d.Group != ""
		switch {
		case s[d.ID], optIn && s[d.Group]:
		case optIn && !cfg.optedIn(d):
			continue
		case len(s) > 0 && !s[d.Category] && !s[d.Group]:
			continue
		}
		if i[d.ID] || i[d.Category] || d.Group != "" && i[d.Group] {
			continue
		}
		// An explicit --select of an ID wins over the config's enabled = false.
		if !s[d.ID] && !cfg.Enabled(d.ID) {
			continue
		}
		out = append(out, c)
	}
	return out, nil
}

// CheckIDs returns the IDs of checks, in order.
func CheckIDs(checks []Check) []string {
	ids := make([]string, len(checks))
	for i, c := range checks {
		ids[i] = c.Doc().ID
	}
	return ids
}

// lintedFile is what linting one file produced.
type lintedFile struct {
	path     string
	skipped  bool       // loaded to no rule and no problem (rules.SkipReason)
	set      []*setRule // what the cross-file checks read of its rules
	findings []Finding
	sup      *suppressions
}

// Run lints files with the checks opts selects: per file in parallel, then
// the cross-file checks, then suppressions. An error means the options are
// invalid (unknown check IDs); problems with files are findings. Once a
// file's checks ran only small copies of its rules are kept: the findings'
// FindingRule and the facts the cross-file checks read (set_facts.go).
func Run(files []string, opts Options) (*Result, error) {
	checks := opts.Checks
	if checks == nil {
		var err error
		checks, err = SelectChecks(Registry(), opts.Config, opts.Select, opts.Ignore)
		if err != nil {
			return nil, err
		}
	}
	load := opts.Load
	if load == nil {
		load = defaultLoad
	}
	if load == nil {
		return nil, fmt.Errorf("no rule loader available")
	}
	enabled := map[string]bool{}
	for _, c := range checks {
		d := c.Doc()
		enabled[d.ID] = true
		if d.Category == "attack" && opts.Catalog == nil {
			return nil, fmt.Errorf("check %s needs an ATT&CK catalog", d.ID)
		}
	}
	jobs := opts.Jobs
	if opts.SuggestFor != nil && opts.Suggest == nil {
		load, opts.Suggest = preload(files, load, jobs, opts.SuggestFor)
	}
	results := parallel.Map(len(files), jobs, func(i int) lintedFile {
		return lintFile(files[i], load, checks, enabled, opts)
	})

	res := &Result{Files: len(files), Checks: checks}
	if opts.Log != nil {
		for i := range results {
			if results[i].skipped {
				opts.Log("skipped " + results[i].path + ": " + rules.SkipReason(results[i].path))
			}
		}
	}
	var all []*setRule
	byPath := map[string]*lintedFile{}
	for i := range results {
		fr := &results[i]
		all = append(all, fr.set...)
		byPath[fr.path] = fr
	}
	res.Rules = len(all)
	for _, c := range checks {
		sc, ok := c.(SetChecker)
		if !ok {
			continue
		}
		d := c.Doc()
		err := runSet(sc, d, ofFormats(all, d), opts.Catalog, opts.Config, func(f Finding) {
			f = complete(f, d, opts.Config)
			if fr := byPath[f.Path]; fr != nil {
				fr.findings = append(fr.findings, f)
			} else {
				res.Findings = append(res.Findings, f)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	// One array for every finding, each file's let go once copied.
	n := len(res.Findings)
	for i := range results {
		n += len(results[i].findings)
	}
	res.Findings = slices.Grow(res.Findings, n-len(res.Findings))
	for i := range results {
		fr := &results[i]
		fs := fr.findings
		if fr.sup != nil {
			fs = fr.sup.filter(fs, enabled, opts.Config)
		}
		res.Findings = append(res.Findings, fs...)
		fr.findings, fr.set = nil, nil
	}
	SortFindings(res.Findings)
	res.Findings = atLeast(dedupe(res.Findings), opts.MinSeverity)
	return res, nil
}

// atLeast drops the findings below severity min (none when min is 0).
func atLeast(fs []Finding, min Severity) []Finding {
	if min <= SeverityInfo {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if f.Severity >= min {
			out = append(out, f)
		}
	}
	return out
}

// preload loads every file in parallel, builds the suggester from all the
// rules, and returns a loader that serves the loaded files (a file whose
// loading panicked is loaded again by lintFile, which reports the panic).
func preload(files []string, load LoadFunc, jobs int, suggestFor func([]*rules.Rule) TechniqueSuggester) (LoadFunc, TechniqueSuggester) {
	type loaded struct {
		rs    []*rules.Rule
		probs []rules.Problem
		ok    bool
	}
	out := make([]loaded, len(files))
	parallel.For(len(files), jobs, func(i int) {
		defer func() { _ = recover() }()
		rs, probs := load(files[i])
		out[i] = loaded{rs, probs, true}
	})
	byPath := make(map[string]*loaded, len(files))
	var all []*rules.Rule
	for i := range out {
		if out[i].ok {
			byPath[files[i]] = &out[i]
			all = append(all, out[i].rs...)
		}
	}
	cached := func(path string) ([]*rules.Rule, []rules.Problem) {
		if l := byPath[path]; l != nil {
			return l.rs, l.probs
		}
		return load(path)
	}
	return cached, suggestFor(all)
}

// dedupe drops findings identical to the one before (same file, position,
// check and message): rules merged from one multi-document file share
// their tags and would repeat each other.
func dedupe(fs []Finding) []Finding {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			p := out[len(out)-1]
			if p.Path == f.Path && p.Span == f.Span && p.Check == f.Check && p.Message == f.Message {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// ofFormats returns the rules of rs that the check documented by d applies
// to (all of rs when it applies to every format).
func ofFormats(rs []*setRule, d *Doc) []*setRule {
	if len(d.Formats) == 0 {
		return rs
	}
	var out []*setRule
	for _, r := range rs {
		if d.AppliesTo(r.Format) {
			out = append(out, r)
		}
	}
	return out
}

// runSet runs one cross-file check, turning a panic into an error.
func runSet(sc SetChecker, d *Doc, rs []*setRule, cat *mapper.Catalog, cfg *Config, report func(Finding)) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error in check %s: %v; please report it", d.ID, p)
		}
	}()
	sc.RunSet(rs, cat, cfg, report)
	return nil
}

// defaultLoad is the loader used when Options.Load is nil.
var defaultLoad LoadFunc = rules.Load

// lintFile loads one file and runs on each of its rules the per-rule checks
// that apply to the rule's format (Doc.Formats).
func lintFile(path string, load LoadFunc, checks []Check, enabled map[string]bool, opts Options) (fr lintedFile) {
	fr.path = path
	defer func() {
		if p := recover(); p != nil {
			pos := rules.Pos{Line: 1, Column: 1}
			fr.findings = append(fr.findings, fileFinding(loadErrorDoc, path, rules.Span{Start: pos, End: pos},
				fmt.Sprintf("internal error while linting this file: %v; please report it", p), opts.Config))
		}
	}()
	rs, probs := load(path)
	if enabled[LoadErrorID] {
		for _, p := range probs {
			fr.findings = append(fr.findings, ProblemFinding(path, p, opts.Config))
		}
	}
	fr.skipped = len(rs) == 0 && len(probs) == 0
	if fr.skipped && enabled[LoadSkippedID] {
		if f, ok := skippedFinding(path, opts.Config); ok {
			fr.findings = append(fr.findings, f)
		}
	}
	var src []byte
	if len(rs) > 0 {
		src = rs[0].Source
	} else if len(probs) > 0 {
		src, _ = os.ReadFile(path)
	}
	fr.sup = parseSuppressions(path, src)
	if fr.sup != nil {
		fr.sup.loaded = len(rs) > 0
	}
	// Only small copies of the rules outlive the file's checks: the
	// findings' FindingRule and the cross-file facts.
	for _, r := range rs {
		ctx := &Context{Rule: r, Catalog: opts.Catalog, Config: opts.Config, Suggest: opts.Suggest}
		for _, c := range checks {
			d := c.Doc()
			if !d.AppliesTo(r.Format) {
				continue
			}
			ctx.check = c
			ctx.report = func(f Finding) {
				fr.findings = append(fr.findings, complete(f, d, opts.Config))
			}
			c.Run(ctx)
		}
		fr.set = append(fr.set, newSetRule(r, ctx.findingRule(), ctx.Refs()))
	}
	// Kept until every file is linted: without the room append left.
	if cap(fr.findings) > len(fr.findings) {
		fr.findings = slices.Clone(fr.findings)
	}
	return fr
}

// complete fills in a finding's check and applies the configured severity.
func complete(f Finding, d *Doc, cfg *Config) Finding {
	if f.Check == "" {
		f.Check = d.ID
	}
	if f.Severity == 0 {
		f.Severity = d.Severity
	}
	f.Severity = cfg.SeverityOf(f.Check, f.Severity)
	if f.Span.Start.Line == 0 {
		f.Span.Start = rules.Pos{Line: 1, Column: 1}
	}
	if f.Span.Start.Column == 0 {
		f.Span.Start.Column = 1
	}
	if f.Span.End.Line == 0 {
		f.Span.End = f.Span.Start
	}
	return f
}

// SortFindings orders findings by path, line, column, check and message.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Span.Start.Line != b.Span.Start.Line {
			return a.Span.Start.Line < b.Span.Start.Line
		}
		if a.Span.Start.Column != b.Span.Start.Column {
			return a.Span.Start.Column < b.Span.Start.Column
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		return a.Message < b.Message
	})
}

// RunFiles lints files with the enabled checks of the registry (or only the
// given checks when ids is not empty) and returns the findings: the entry
// point for tests and tools.
func RunFiles(files []string, cat *mapper.Catalog, cfg *Config, ids ...string) ([]Finding, error) {
	res, err := Run(files, Options{Catalog: cat, Config: cfg, Select: ids})
	if err != nil {
		return nil, err
	}
	return res.Findings, nil
}

// FormatFinding formats f as "path:line:col: severity [check] message", the
// line format of the text reporter and of golden files.
func FormatFinding(f Finding) string {
	fix := ""
	if f.Fix != nil && f.Fix.Applicability != FixNone {
		fix = " [*]"
		if f.Fix.Applicability == FixUnsafe {
			fix = " [unsafe fix]"
		}
	}
	return fmt.Sprintf("%s:%d:%d: %s [%s] %s%s", f.Path, f.Span.Start.Line, f.Span.Start.Column, f.Severity, f.Check, f.Message, fix)
}

// Lint discovers the files under paths (with the configuration's include
// and exclude patterns) and lints them. Paths that cannot be read and
// invalid patterns are load-error findings, paths that do not exist
// load-missing warnings, and links not followed load-skipped infos.
func Lint(paths []string, opts Options) (*Result, error) {
	dopts := rules.DiscoverOptions{FollowSymlinks: opts.FollowSymlinks}
	if opts.Config != nil {
		dopts.Include, dopts.Exclude = opts.Config.Paths.Include, opts.Config.Paths.Exclude
	}
	d := rules.DiscoverAll(paths, dopts)
	if opts.Log != nil {
		for _, n := range d.Notes() {
			opts.Log(n)
		}
	}
	res, err := Run(d.Files, opts)
	if err != nil {
		return nil, err
	}
	res.Findings = append(res.Findings, discoveryFindings(d, res.Checks, opts.Config)...)
	SortFindings(res.Findings)
	res.Findings = atLeast(res.Findings, opts.MinSeverity)
	return res, nil
}
