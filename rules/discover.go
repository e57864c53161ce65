package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
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

// Discover expands paths into the files to load. A file named explicitly is
// always taken; a folder is walked, taking files that match the include
// patterns and no exclude pattern, skipping hidden and vendored folders.
// The result is sorted and without duplicates. Missing or unreadable paths
// and invalid patterns are problems.
func Discover(paths []string, opts DiscoverOptions) (files []string, problems []Problem) {
	include := opts.Include
	if len(include) == 0 {
		include = DefaultPatterns
	}
	include = append(append([]string(nil), include...), opts.ExtendInclude...)
	for _, p := range append(append([]string(nil), include...), opts.Exclude...) {
		if !doublestar.ValidatePattern(p) {
			problems = append(problems, Problem{Path: p, Message: "invalid glob pattern " + quote(p)})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	d := &discoverer{opts: opts, include: include, seen: map[string]bool{}, visited: map[string]bool{}}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			d.problems = append(d.problems, Problem{Path: p, Message: "cannot read: " + describeErr(err)})
			continue
		}
		if !fi.IsDir() {
			d.add(p)
			continue
		}
		d.walk(p, "")
	}
	sort.Strings(d.files)
	return d.files, d.problems
}

func quote(s string) string { return "\"" + s + "\"" }

type discoverer struct {
	opts     DiscoverOptions
	include  []string
	files    []string
	problems []Problem
	seen     map[string]bool
	visited  map[string]bool // real paths of walked folders (symlink cycles)
}

func (d *discoverer) add(p string) {
	if !d.seen[p] {
		d.seen[p] = true
		d.files = append(d.files, p)
	}
}

func matchAny(patterns []string, rel string) bool {
	for _, p := range patterns {
		if ok, _ := doublestar.Match(p, rel); ok {
			return true
		}
	}
	return false
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
		d.problems = append(d.problems, Problem{Path: dir, Message: "cannot read folder: " + describeErr(err)})
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
		if typ&fs.ModeSymlink != 0 {
			if !d.opts.FollowSymlinks {
				continue
			}
			fi, err := os.Stat(full)
			if err != nil {
				d.problems = append(d.problems, Problem{Path: full, Message: "broken symbolic link: " + describeErr(err)})
				continue
			}
			typ = fi.Mode().Type()
		}
		whole := filepath.ToSlash(filepath.Clean(full))
		if matchAny(d.opts.Exclude, r) || matchAny(d.opts.Exclude, whole) {
			continue
		}
		switch {
		case typ.IsDir():
			if !skippedDir(name) {
				d.walk(root, r)
			}
		case typ.IsRegular():
			if matchAny(d.include, r) || matchAny(d.include, whole) {
				d.add(full)
			}
		}
	}
}
