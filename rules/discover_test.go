package rules

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func rel(t *testing.T, root string, files []string) []string {
	var out []string
	for _, f := range files {
		r, err := filepath.Rel(root, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, filepath.ToSlash(r))
	}
	return out
}

func TestDiscover(t *testing.T) {
	root := writeTree(t,
		"rules/a.yml", "rules/b.yaml", "rules/sub/c.kql", "q.csl", "q.kusto", "README.md",
		"notes.txt", ".git/config.yml", ".github/workflows/ci.yml", "node_modules/x/y.yml",
		"vendor/z.yml", "deprecated/old.yml", "rules/sub/skip_me.yml")
	cases := []struct {
		name string
		opts DiscoverOptions
		want []string
	}{
		{"defaults", DiscoverOptions{}, []string{"README.md", "deprecated/old.yml", "q.csl", "q.kusto", "rules/a.yml", "rules/b.yaml", "rules/sub/c.kql", "rules/sub/skip_me.yml"}},
		{"exclude folder and file", DiscoverOptions{Exclude: []string{"deprecated", "**/skip_*", "*.md"}}, []string{"q.csl", "q.kusto", "rules/a.yml", "rules/b.yaml", "rules/sub/c.kql"}},
		{"include replaces", DiscoverOptions{Include: []string{"**/*.txt"}}, []string{"notes.txt"}},
		{"extend include", DiscoverOptions{ExtendInclude: []string{"*.txt"}, Exclude: []string{"rules/**", "deprecated/**"}}, []string{"README.md", "notes.txt", "q.csl", "q.kusto"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files, problems := Discover([]string{root}, c.opts)
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			if got := rel(t, root, files); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestDiscoverExplicitAndErrors(t *testing.T) {
	root := writeTree(t, "notes.txt", ".github/x.yml")
	files, problems := Discover([]string{
		filepath.Join(root, "notes.txt"), filepath.Join(root, ".github"), filepath.Join(root, "missing.yml"),
	}, DiscoverOptions{})
	if got := rel(t, root, files); !reflect.DeepEqual(got, []string{".github/x.yml", "notes.txt"}) {
		t.Errorf("explicit file and folder: got %q", got)
	}
	if len(problems) != 1 || problems[0].Path != filepath.Join(root, "missing.yml") {
		t.Errorf("want one problem for the missing path, got %v", problems)
	}
	// Patterns also match the path as walked from the PATH given.
	files, _ = Discover([]string{root}, DiscoverOptions{Include: []string{filepath.ToSlash(root) + "/*.txt"}})
	if got := rel(t, root, files); !reflect.DeepEqual(got, []string{"notes.txt"}) {
		t.Errorf("include by walked path: got %q", got)
	}
	if _, problems := Discover([]string{root}, DiscoverOptions{Exclude: []string{"[x"}}); len(problems) != 1 {
		t.Errorf("invalid pattern: want one problem, got %v", problems)
	}
}

func TestDiscoverSymlinks(t *testing.T) {
	root := writeTree(t, "real/a.yml")
	if err := os.Symlink(filepath.Join(root, "real"), filepath.Join(root, "link")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	if err := os.Symlink(root, filepath.Join(root, "real", "loop")); err != nil {
		t.Fatal(err)
	}
	files, _ := Discover([]string{root}, DiscoverOptions{})
	if got := rel(t, root, files); !reflect.DeepEqual(got, []string{"real/a.yml"}) {
		t.Errorf("symlinks not followed: got %q", got)
	}
	files, problems := Discover([]string{root}, DiscoverOptions{FollowSymlinks: true})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	// link and real are one folder, walked once; the loop back to root ends.
	if got := rel(t, root, files); !reflect.DeepEqual(got, []string{"link/a.yml"}) {
		t.Errorf("symlinks followed: got %q", got)
	}
}

// TestDiscoverAllReports: missing paths and links not followed are listed
// apart from the files and the other problems, never dropped.
func TestDiscoverAllReports(t *testing.T) {
	root := writeTree(t, "rules/a.yml", "rules/notes.txt", "other/b.yml", "other/c.txt", "rules/excluded/x.yml")
	links := map[string]string{
		"rules/b.yml":     "other/b.yml", // a rule file: skipped, reported
		"rules/c.txt":     "other/c.txt", // not a rule file: skipped silently
		"rules/other":     "other",       // a folder: skipped, reported
		"rules/gone.yml":  "other/gone.yml",
		"rules/.hidden":   "other", // a hidden folder is never entered
		"rules/excl.yml":  "other/b.yml",
		"rules/excluded2": "other",
	}
	for link, target := range links {
		if err := os.Symlink(filepath.Join(root, target), filepath.Join(root, link)); err != nil {
			t.Skip("symlinks unsupported:", err)
		}
	}
	missing := filepath.Join(root, "rules", "deleted.yml")
	d := DiscoverAll([]string{filepath.Join(root, "rules"), missing}, DiscoverOptions{Exclude: []string{"excl*", "excluded/**"}})
	if got := rel(t, root, d.Files); !reflect.DeepEqual(got, []string{"rules/a.yml"}) {
		t.Errorf("files: %q", got)
	}
	if len(d.Problems) != 0 {
		t.Errorf("problems: %v", d.Problems)
	}
	if len(d.Missing) != 1 || d.Missing[0].Path != missing || !strings.HasPrefix(d.Missing[0].Message, `path "`+missing+`" does not exist (deleted or renamed?): nothing read there`) {
		t.Errorf("missing: %v", d.Missing)
	}
	// A near name in the folder is suggested.
	if d := DiscoverAll([]string{filepath.Join(root, "rules", "b.ym")}, DiscoverOptions{}); len(d.Missing) != 1 || !strings.HasSuffix(d.Missing[0].Message, `; did you mean "`+filepath.Join(root, "rules", "b.yml")+`"?`) {
		t.Errorf("near name: %v", d.Missing)
	}
	var skipped []string
	for _, p := range d.Skipped {
		r, _ := filepath.Rel(root, p.Path)
		skipped = append(skipped, filepath.ToSlash(r)+": "+p.Message)
	}
	want := []string{
		"rules/b.yml: symbolic link not followed: pass --follow-symlinks to read what it points to",
		"rules/gone.yml: broken symbolic link not followed: pass --follow-symlinks to read what it points to",
		"rules/other: symbolic link to a folder not followed: pass --follow-symlinks to read what it points to",
	}
	if !reflect.DeepEqual(sortedCopy(skipped), want) {
		t.Errorf("skipped:\n%q\nwant\n%q", skipped, want)
	}
	// Followed, the links are files; the broken one is a problem.
	d = DiscoverAll([]string{filepath.Join(root, "rules")}, DiscoverOptions{FollowSymlinks: true, Exclude: []string{"excl*", "excluded/**"}})
	if got := rel(t, root, d.Files); !reflect.DeepEqual(got, []string{"rules/a.yml", "rules/b.yml", "rules/other/b.yml"}) {
		t.Errorf("followed: %q", got)
	}
	if len(d.Skipped) != 0 || len(d.Problems) != 1 || d.Problems[0].Path != filepath.Join(root, "rules", "gone.yml") {
		t.Errorf("followed: skipped %v, problems %v", d.Skipped, d.Problems)
	}
	// Discover keeps its contract: missing paths among the problems.
	if _, problems := Discover([]string{missing}, DiscoverOptions{}); len(problems) != 1 || problems[0].Path != missing {
		t.Errorf("Discover: %v", problems)
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
