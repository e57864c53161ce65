package rules

import (
	"os"
	"path/filepath"
	"reflect"
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
