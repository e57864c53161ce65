package rules

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/huntlint/huntlint/internal/textdist"
)

// DefaultPatterns are the files Discover takes from folders when no Include
// patterns are given: Sigma and Sentinel YAML, plain KQL and Markdown.
var DefaultPatterns = []string{
	"**/*.yml", "**/*.yaml",
	"**/*.kql", "**/*.csl", "**/*.kusto",
	"**/*.md",
}

// DiscoverOptions say which files Discover takes from folders.
type DiscoverOptions struct {
	// Include replaces DefaultPatterns when not empty.
	Include []string
	// ExtendInclude adds patterns to Include (or to the defaults).
	ExtendInclude []string
	// Exclude drops files and whole folders; it wins over Include.
	Exclude []string
	// FollowSymlinks walks symbolic links to files and folders; by default
	// they are skipped.
	FollowSymlinks bool
}

// Patterns are doublestar globs matched against slash-separated paths
// relative to the folder being walked ("windows/process_creation/x.yml") and
// against the path as walked from the PATH given ("rules/windows/…/x.yml"),
// so both "deprecated/**" and "rules/deprecated/**" work for PATH "rules".

// skippedDir reports folders Discover never enters unless named
// explicitly: hidden ones (.git, .github, .venv) and vendored code.
func skippedDir(name string) bool {
	return strings.HasPrefix(name, ".") && name != "." && name != ".." || name == "node_modules" || name == "vendor"
}

// Discovery is what DiscoverAll found.
type Discovery struct {
	// Files are the files to load, sorted and without duplicates.
	Files []string
	// Problems are paths and folders that exist but cannot be read, broken
	// links that were to be followed, and invalid patterns.
	Problems []Problem
	// Missing are the paths given that do not exist (a rule deleted or
	// renamed since the list of paths was made), in the order given.
	Missing []Problem
	// Skipped are the symbolic links not followed (without
	// FollowSymlinks) that would have been taken: links to folders, and
	// links whose name matches the include patterns, in walk order.
	Skipped []Problem
	// Passed are the files and folders of walked folders left out on
	// purpose, with the reason: an exclude pattern, or a hidden or
	// vendored folder never entered. Files the include patterns do not
	// take are not listed.
	Passed []Problem
}

// Discover expands paths into the files to load: DiscoverAll, with the
// missing paths among the problems and the skipped links left out.
func Discover(paths []string, opts DiscoverOptions) (files []string, problems []Problem) {
	d := DiscoverAll(paths, opts)
	return d.Files, append(d.Problems, d.Missing...)
}

// DiscoverAll expands paths into the files to load. A file named explicitly
// is always taken; a folder is walked, taking files that match the include
// patterns and no exclude pattern, skipping hidden and vendored folders and,
// unless FollowSymlinks, symbolic links (listed in Skipped). Missing paths,
// unreadable paths and invalid patterns are reported, never the end of the
// walk.
func DiscoverAll(paths []string, opts DiscoverOptions) Discovery {
	include := opts.Include
	if len(include) == 0 {
		include = DefaultPatterns
	}
	include = append(append([]string(nil), include...), opts.ExtendInclude...)
	var invalid []Problem
	for _, p := range append(append([]string(nil), include...), opts.Exclude...) {
		if !doublestar.ValidatePattern(p) {
			invalid = append(invalid, Problem{Path: p, Message: "invalid glob pattern " + quote(p)})
		}
	}
	if len(invalid) > 0 {
		return Discovery{Problems: invalid}
	}
	d := &discoverer{opts: opts, include: include, seen: map[string]bool{}, visited: map[string]bool{}}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			if _, lerr := os.Lstat(p); errors.Is(lerr, fs.ErrNotExist) {
				msg := "path " + quote(p) + " does not exist (deleted or renamed?): nothing read there"
				if near := ClosestSibling(p); near != "" {
					msg += "; did you mean " + quote(near) + "?"
				}
				d.out.Missing = append(d.out.Missing, Problem{Path: p, Message: msg})
				continue
			}
			d.out.Problems = append(d.out.Problems, Problem{Path: p, Message: "cannot read: " + describeErr(err)})
			continue
		}
		if !fi.IsDir() {
			d.add(p)
			continue
		}
		d.walk(p, "")
	}
	sort.Strings(d.out.Files)
	return d.out
}

func quote(s string) string { return "\"" + s + "\"" }

type discoverer struct {
	opts    DiscoverOptions
	include []string
	out     Discovery
	seen    map[string]bool
	visited map[string]bool // real paths of walked folders (symlink cycles)
}

func (d *discoverer) add(p string) {
	if !d.seen[p] {
		d.seen[p] = true
		d.out.Files = append(d.out.Files, p)
	}
}

func matchAny(patterns []string, rel string) bool {
	return firstMatch(patterns, rel) != ""
}

// firstMatch is the first of patterns that matches one of paths, or "".
func firstMatch(patterns []string, paths ...string) string {
	for _, p := range patterns {
		for _, rel := range paths {
			if ok, _ := doublestar.Match(p, rel); ok {
				return p
			}
		}
	}
	return ""
}

// walk visits folder root/rel.
func (d *discoverer) walk(root, rel string) {
	dir := filepath.Join(root, filepath.FromSlash(rel))
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		if d.visited[real] {
			return
		}
		d.visited[real] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		d.out.Problems = append(d.out.Problems, Problem{Path: dir, Message: "cannot read folder: " + describeErr(err)})
		return
	}
	for _, e := range entries {
		name := e.Name()
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		full := filepath.Join(dir, name)
		typ := e.Type()
		whole := filepath.ToSlash(filepath.Clean(full))
		if p := firstMatch(d.opts.Exclude, r, whole); p != "" {
			d.out.Passed = append(d.out.Passed, Problem{Path: full, Message: fmt.Sprintf("excluded by the pattern %q", p)})
			continue
		}
		if typ&fs.ModeSymlink != 0 {
			fi, err := os.Stat(full)
			if !d.opts.FollowSymlinks {
				d.skipLink(full, r, whole, fi, err)
				continue
			}
			if err != nil {
				d.out.Problems = append(d.out.Problems, Problem{Path: full, Message: "broken symbolic link: " + describeErr(err)})
				continue
			}
			typ = fi.Mode().Type()
		}
		switch {
		case typ.IsDir():
			if !skippedDir(name) {
				d.walk(root, r)
			} else {
				d.out.Passed = append(d.out.Passed, Problem{Path: full, Message: "a hidden or vendored folder, not entered (name it as a PATH to read it)"})
			}
		case typ.IsRegular():
			if matchAny(d.include, r) || matchAny(d.include, whole) {
				d.add(full)
			}
		}
	}
}

// skipLink records a symbolic link not followed, when following it would
// have taken something: a folder (not one Discover never enters), or a file
// (or a broken link) whose name matches the include patterns.
func (d *discoverer) skipLink(full, rel, whole string, target fs.FileInfo, err error) {
	what := "symbolic link"
	switch {
	case err != nil:
		if !matchAny(d.include, rel) && !matchAny(d.include, whole) {
			return
		}
		what = "broken symbolic link"
	case target.IsDir():
		if skippedDir(filepath.Base(full)) {
			return
		}
		what = "symbolic link to a folder"
	case target.Mode().IsRegular():
		if !matchAny(d.include, rel) && !matchAny(d.include, whole) {
			return
		}
	default:
		return
	}
	d.out.Skipped = append(d.out.Skipped, Problem{Path: full, Message: what + " not followed: pass --follow-symlinks to read what it points to"})
}

// ClosestSibling is the name in p's folder closest to p's base name (at most
// one edit apart per four characters, at least one), joined to the folder,
// or "".
func ClosestSibling(p string) string {
	dir, base := filepath.Split(filepath.Clean(p))
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	best, ok := textdist.Nearest(base, names, max(1, len(base)/4), true)
	if !ok {
		return ""
	}
	if dir == "." && !strings.HasPrefix(p, "."+string(filepath.Separator)) {
		return best
	}
	return filepath.Join(dir, best)
}

// Notes says, one line per path, what discovery left out and why: the
// paths of Passed and the links of Skipped, in walk order, for
// --log-level debug.
func (d Discovery) Notes() []string {
	var out []string
	for _, ps := range [][]Problem{d.Passed, d.Skipped} {
		for _, p := range ps {
			out = append(out, "skipped "+p.Path+": "+p.Message)
		}
	}
	return out
}
