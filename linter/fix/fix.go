// Package fix applies the fixes that findings carry: per file, pass after
// pass to a fixed point, re-linting each pass (Relinter) and undoing a pass
// whose result no longer loads; then it writes the files atomically, or a
// unified diff of them (diff.go). Which fixes a pass takes is apply.go.
package fix

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/internal/atomicfile"
	"github.com/huntlint/huntlint/internal/parallel"
	"github.com/huntlint/huntlint/internal/yamledit"
	"github.com/huntlint/huntlint/linter"
)

// Options say which fixes Apply applies and what it does with them.
type Options struct {
	// Unsafe also applies fixes marked FixUnsafe (--unsafe-fixes).
	Unsafe bool
	// DryRun computes the fixed text but writes no file.
	DryRun bool
	// Diff, when set, receives a unified diff of every changed file (paths as
	// in the findings, for `patch -p0` or `git apply -p0`); no file is
	// written.
	Diff io.Writer
	// Relint lints the new text of one file and returns all its findings
	// (loader problems as load-error findings). Apply calls it after
	// each pass to reach a fixed point, as fixes may uncover or conflict with
	// others, and to prove that the fixed file still loads. Nil means one
	// pass, trusting the edits.
	Relint func(path string, src []byte) ([]linter.Finding, error)
	// MaxPasses bounds the passes per file; 0 means 10.
	MaxPasses int
	// Jobs is the number of files fixed at once; 0 means GOMAXPROCS.
	Jobs int
	// Force also writes read-only files (--force); without it they are
	// left alone and reported in Summary.Errors.
	Force bool
}

// Summary says what Apply did.
type Summary struct {
	// Checks has one entry per check that had a fixable finding, by ID.
	Checks []CheckCount
	// Files are the changed files (written, or in a diff or dry run, that
	// would be), by path.
	Files []FileChange
	// Errors are the files that could not be fixed or written, by path.
	Errors []FileError
	// Findings are the findings after fixing: those of unchanged files as
	// given, those of changed files from the last re-lint (without Relint:
	// as given, minus the fixed ones). They are in the input's file order.
	Findings []linter.Finding
}

// CheckCount counts one check's fixes.
type CheckCount struct {
	Check string
	// Fixed is the number of fixes applied.
	Fixed int
	// Remaining is the number of fixable findings left that the run could
	// have applied: conflicts with another fix, files with load errors or
	// that could not be written, fixes that did not converge.
	Remaining int
	// Unsafe is the number of fixable findings left because their fix is
	// unsafe and --unsafe-fixes was not given.
	Unsafe int
}

// FileChange is one file whose text the fixes changed.
type FileChange struct {
	Path          string
	Before, After []byte
	Fixes         int // fixes applied, over all passes
	// Applied are the findings whose fixes were applied, in pass order;
	// positions are in the text of their pass (the original for the first).
	Applied []linter.Finding
}

// FileError is a file that was left alone, and why.
type FileError struct {
	Path string
	Err  error
}

func (e FileError) Error() string { return e.Path + ": " + e.Err.Error() }

// Fixed returns the total number of fixes applied.
func (s *Summary) Fixed() int {
	n := 0
	for _, c := range s.Checks {
		n += c.Fixed
	}
	return n
}

// Remaining returns the number of fixable findings left (not counting those
// waiting for --unsafe-fixes).
func (s *Summary) Remaining() int {
	n := 0
	for _, c := range s.Checks {
		n += c.Remaining
	}
	return n
}

// UnsafeRemaining returns the number of findings --unsafe-fixes would fix.
func (s *Summary) UnsafeRemaining() int {
	n := 0
	for _, c := range s.Checks {
		n += c.Unsafe
	}
	return n
}

// WriteText writes the summary for humans: one line per check with fixed and
// remaining counts, then the totals, e.g.
//
//	attack-revoked: fixed 3
//	attack-duplicate-tag: fixed 1, 1 remaining
//	fixed 4 findings in 2 files, 1 remaining (1 more with --unsafe-fixes)
func (s *Summary) WriteText(w io.Writer, dryRun bool) error {
	return s.WriteTextAs(w, dryRun, "fixed", "would fix", "finding", "findings")
}

// WriteTextAs is WriteText with other words for the totals line: done and
// wouldDo are the verbs ("migrated", "would migrate"), one and many the noun
// ("reference", "references").
func (s *Summary) WriteTextAs(w io.Writer, dryRun bool, done, wouldDo, one, many string) error {
	verb := done
	if dryRun {
		verb = wouldDo
	}
	var b strings.Builder
	for _, c := range s.Checks {
		var parts []string
		if c.Fixed > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", verb, c.Fixed))
		}
		if c.Remaining > 0 {
			parts = append(parts, fmt.Sprintf("%d remaining", c.Remaining))
		}
		if c.Unsafe > 0 {
			parts = append(parts, fmt.Sprintf("%d with --unsafe-fixes", c.Unsafe))
		}
		fmt.Fprintf(&b, "%s: %s\n", c.Check, strings.Join(parts, ", "))
	}
	for _, e := range s.Errors {
		fmt.Fprintf(&b, "%s: not fixed: %v\n", e.Path, e.Err)
	}
	fmt.Fprintf(&b, "%s %d %s in %d %s", verb, s.Fixed(), plural(s.Fixed(), one, many),
		len(s.Files), plural(len(s.Files), "file", "files"))
	if r := s.Remaining(); r > 0 {
		fmt.Fprintf(&b, ", %d remaining", r)
	}
	if u := s.UnsafeRemaining(); u > 0 {
		fmt.Fprintf(&b, " (%d more with --unsafe-fixes)", u)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// isLoadError reports whether f says its file could not be loaded (fully).
func isLoadError(f *linter.Finding) bool { return f.Check == linter.LoadErrorID }

// applicable reports whether fx may be applied under opts.
func (o *Options) applicable(fx *linter.Fix) bool {
	if fx == nil || len(fx.Edits) == 0 {
		return false
	}
	return fx.Applicability == linter.FixSafe || fx.Applicability == linter.FixUnsafe && o.Unsafe
}

// writers is the least number of files written at once.
const writers = 8

// fixResult is the outcome of fixing one file.
type fixResult struct {
	path     string
	before   []byte
	after    []byte // nil when unchanged
	fixed    map[string]int
	nfixes   int
	applied  []linter.Finding
	findings []linter.Finding
	err      error
}

// Apply applies the fixes attached to findings, file by file: per pass
// the applicable fixes in finding order, each with all its edits or none,
// skipping a fix that overlaps one taken before (first wins); then, with
// opts.Relint, the file is linted again and the next pass applies the fixes
// found then, until none is left (a fixed point, so a second run changes
// nothing). A file that has a load error is never changed; a pass whose
// result no longer loads is undone and reported. Files are written
// atomically, unless opts.DryRun or opts.Diff is set. The returned error is
// for the diff writer only; file problems are in Summary.Errors.
func Apply(findings []linter.Finding, opts Options) (Summary, error) {
	if opts.MaxPasses <= 0 {
		opts.MaxPasses = 10
	}
	// Group by file, in the order files first appear.
	var order []string
	byPath := map[string][]linter.Finding{}
	for _, f := range findings {
		if _, ok := byPath[f.Path]; !ok {
			order = append(order, f.Path)
		}
		byPath[f.Path] = append(byPath[f.Path], f)
	}
	jobs := parallel.Jobs(opts.Jobs, len(order))
	results := parallel.Map(len(order), jobs, func(i int) fixResult {
		return fixFile(order[i], byPath[order[i]], &opts)
	})

	var sum Summary
	counts := map[string]*CheckCount{}
	count := func(id string) *CheckCount {
		c := counts[id]
		if c == nil {
			c = &CheckCount{Check: id}
			counts[id] = c
		}
		return c
	}
	// Write the changed files, several at once (each write waits for the
	// disk), or diff them in order. A file is written even when a later
	// pass failed: the passes before it were proven good.
	werrs := make([]error, len(results))
	if opts.Diff == nil && !opts.DryRun {
		written := make([]string, len(results))
		parallel.For(len(results), max(jobs, writers), func(i int) {
			if results[i].after != nil {
				written[i], werrs[i] = writeFixed(results[i].path, results[i].before, results[i].after, opts.Force)
			}
		})
		// Make the renames durable: each folder once.
		dirs := map[string]bool{}
		for _, p := range written {
			if p != "" {
				dirs[filepath.Dir(p)] = true
			}
		}
		for d := range dirs {
			atomicfile.SyncDir(d)
		}
	}
	var diffErr error
	for i := range results {
		r := &results[i]
		if r.after != nil {
			if opts.Diff != nil && diffErr == nil {
				diffErr = WriteUnifiedDiff(opts.Diff, diffName(r.path), r.before, r.after)
			}
			if werr := werrs[i]; werr != nil {
				r.err = werr
				r.after = nil
				r.fixed = nil
				r.findings = byPath[r.path]
			}
		}
		if r.err != nil {
			sum.Errors = append(sum.Errors, FileError{Path: r.path, Err: r.err})
		}
		if r.after != nil {
			sum.Files = append(sum.Files, FileChange{Path: r.path, Before: r.before, After: r.after, Fixes: r.nfixes, Applied: r.applied})
		}
		for id, n := range r.fixed {
			count(id).Fixed += n
		}
		for _, f := range r.findings {
			if f.Fix != nil && len(f.Fix.Edits) > 0 {
				if f.Fix.Applicability == linter.FixUnsafe && !opts.Unsafe {
					count(f.Check).Unsafe++
				} else if f.Fix.Applicability != linter.FixNone {
					count(f.Check).Remaining++
				}
			}
		}
		sum.Findings = append(sum.Findings, r.findings...)
	}
	for _, c := range counts {
		sum.Checks = append(sum.Checks, *c)
	}
	sort.Slice(sum.Checks, func(i, j int) bool { return sum.Checks[i].Check < sum.Checks[j].Check })
	sort.Slice(sum.Files, func(i, j int) bool { return sum.Files[i].Path < sum.Files[j].Path })
	sort.Slice(sum.Errors, func(i, j int) bool { return sum.Errors[i].Path < sum.Errors[j].Path })
	return sum, diffErr
}

// fixFile runs the fix passes over one file's findings.
func fixFile(path string, fs []linter.Finding, opts *Options) fixResult {
	res := fixResult{path: path, findings: fs}
	hasFix := false
	for i := range fs {
		if opts.applicable(fs[i].Fix) {
			hasFix = true
			break
		}
	}
	if !hasFix {
		return res
	}
	for i := range fs {
		if isLoadError(&fs[i]) {
			res.err = fmt.Errorf("the file has load errors (%s); fix them first", fs[i].Message)
			return res
		}
	}
	src := fileSource(fs)
	if src == nil {
		b, err := os.ReadFile(path)
		if err != nil {
			res.err = err
			return res
		}
		src = b
		t := text{src: src}
		for _, f := range fs {
			if f.Fix != nil && !t.made(f.Rule) {
				res.err = fmt.Errorf("the file changed since it was linted; lint it again")
				return res
			}
		}
	}
	res.before = src
	cur, curFs := src, fs
	fixed := map[string]int{}
	nfixes := 0
	var applied []linter.Finding
	for pass := 0; ; pass++ {
		var fixes []*linter.Fix
		var idx []int
		t := text{src: cur}
		for i := range curFs {
			f := &curFs[i]
			if opts.applicable(f.Fix) && t.made(f.Rule) {
				fixes = append(fixes, f.Fix)
				idx = append(idx, i)
			}
		}
		if len(fixes) == 0 {
			break
		}
		if pass == opts.MaxPasses {
			res.err = fmt.Errorf("fixes did not settle after %d passes; the fixes made so far are kept", opts.MaxPasses)
			break
		}
		picked, edits := selectFixes(fixes, len(cur))
		if len(picked) == 0 {
			break
		}
		out, err := yamledit.Apply(cur, edits, yamledit.Exclusive)
		if err != nil || bytes.Equal(out, cur) {
			break
		}
		done := map[int]bool{}
		for _, p := range picked {
			done[idx[p]] = true
		}
		// Counted once the pass is kept.
		keep := func() {
			for _, p := range picked {
				fixed[curFs[idx[p]].Check]++
				nfixes++
				applied = append(applied, curFs[idx[p]])
			}
		}
		if opts.Relint == nil {
			keep()
			var left []linter.Finding
			for i := range curFs {
				if !done[i] {
					left = append(left, curFs[i])
				}
			}
			cur, curFs = out, left
			break
		}
		nfs, err := opts.Relint(path, out)
		if err == nil {
			for i := range nfs {
				if isLoadError(&nfs[i]) {
					err = fmt.Errorf("the fixed text would not load (%s)", nfs[i].Message)
					break
				}
			}
		}
		if err != nil {
			var checks []string
			for _, p := range picked {
				checks = append(checks, curFs[idx[p]].Check)
			}
			res.err = fmt.Errorf("fixes by %s undone: %w", strings.Join(uniqueSorted(checks), ", "), err)
			break
		}
		keep()
		cur, curFs = out, nfs
	}
	if !bytes.Equal(cur, src) {
		res.after = cur
		res.fixed = fixed
		res.nfixes = nfixes
		res.applied = applied
	}
	res.findings = curFs
	return res
}

// fileSource returns the original text the findings of one file were made
// against.
func fileSource(fs []linter.Finding) []byte {
	for _, f := range fs {
		if f.Rule != nil && f.Rule.Source != nil {
			return f.Rule.Source
		}
	}
	return nil
}

// text is a file's text, with its linter.SourceSum computed once.
type text struct {
	src []byte
	sum uint64 // 0 until needed
}

// made reports whether the findings of r were made against the text: the
// same text (cheaply when they share their backing array) or its sum; true
// when r records neither.
func (t *text) made(r *linter.FindingRule) bool {
	switch {
	case r == nil || r.Source == nil && r.Sum == 0:
		return true
	case r.Source != nil:
		a, b := r.Source, t.src
		return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0] || bytes.Equal(a, b))
	}
	if t.sum == 0 {
		t.sum = linter.SourceSum(t.src)
	}
	return r.Sum == t.sum
}

func uniqueSorted(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// diffName is the name of path in a diff: relative to the current folder
// when it lies below it (patch refuses absolute names), else as given.
func diffName(path string) string {
	if !filepath.IsAbs(path) {
		return filepath.ToSlash(path)
	}
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return filepath.ToSlash(rel)
}

// writeFixed replaces the file at path with after, provided it still holds
// before (someone may have edited it since it was read); it returns the path
// written. The caller syncs its folder. A read-only file is refused unless
// force. After SIGINT or SIGTERM no file is begun; the ones in flight are
// finished, then the process stops (see atomicfile).
func writeFixed(path string, before, after []byte, force bool) (string, error) {
	if path == "" || path == "-" {
		return "", fmt.Errorf("cannot write fixes to standard input; use --diff")
	}
	now, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if !bytes.Equal(now, before) {
		return "", fmt.Errorf("the file changed while it was being fixed; run again")
	}
	return atomicfile.WriteWith(path, after, atomicfile.Options{Force: force})
}
