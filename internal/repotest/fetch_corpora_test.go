package repotest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

// TestFetchCorpora runs scripts/fetch-corpora.sh against local git mirrors of
// the pinned sources (default ../.mirror beside the repository, or
// FETCH_CORPORA_FROM), once reading the mirrors directly (FETCH_CORPORA_FROM)
// and once downloading GitHub-style archives made from them by a server on
// 127.0.0.1 (FETCH_CORPORA_URL), and checks that every corpus and bundle it
// lays out has the same content as ../shared's: the same file names and bytes
// inside each corpus, the same uncompressed JSON for each bundle. It skips when
// the mirrors are absent (in CI the script downloads from GitHub).
func TestFetchCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the fetch script assembles 30 MB of ATT&CK bundles")
	}
	root := repoRoot(t)
	mirrors := os.Getenv("FETCH_CORPORA_FROM")
	if mirrors == "" {
		mirrors = filepath.Join(filepath.Dir(root), ".mirror")
	}
	for _, m := range []string{"SigmaHQ+sigma", "reprise99+Sentinel-Queries", "microsoft+Microsoft-365-Defender-Hunting-Queries",
		"Bert-JanP+Hunting-Queries-Detection-Rules", "mitre+cti", "mitre-attack+attack-stix-data", "oasis-tcs+sarif-spec"} {
		if _, err := os.Stat(filepath.Join(mirrors, m, "repo")); err != nil {
			t.Skipf("no git mirror %s under %s: skipping the offline run of scripts/fetch-corpora.sh", m, mirrors)
		}
	}
	for _, tool := range []string{"bash", "git", "tar", "python3", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not on PATH: scripts/fetch-corpora.sh needs it", tool)
		}
	}
	shared := testshared.Dir(t)
	t.Run("mirrors", func(t *testing.T) {
		fetchAndCompare(t, root, shared, "FETCH_CORPORA_FROM="+mirrors)
	})
	t.Run("archives", func(t *testing.T) {
		srv := httptest.NewServer(archiveServer(t, mirrors))
		defer srv.Close()
		fetchAndCompare(t, root, shared, "FETCH_CORPORA_FROM=", "FETCH_CORPORA_URL="+srv.URL)
	})
}

// archiveServer answers /<owner>/<name>/tar.gz/<commit> as codeload.github.com
// does, with a gzip tar of the commit's tree under "<name>-<commit>/", made
// from the mirror; files whose blobs the mirror lacks (its largest) are left
// out.
func archiveServer(t *testing.T, mirrors string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		if len(parts) != 4 || parts[2] != "tar.gz" {
			http.NotFound(w, r)
			return
		}
		gd := filepath.Join(mirrors, parts[0]+"+"+parts[1], "repo")
		commit := parts[3]
		ls, err := exec.Command("git", "--git-dir", gd, "ls-tree", "-r", "-z", commit).Output()
		if err != nil {
			http.NotFound(w, r)
			return
		}
		var hashes, paths []string
		for _, e := range strings.Split(string(ls), "\x00") {
			meta, path, ok := strings.Cut(e, "\t")
			if f := strings.Fields(meta); ok && len(f) == 3 && f[1] == "blob" {
				hashes, paths = append(hashes, f[2]), append(paths, path)
			}
		}
		check := exec.Command("git", "--git-dir", gd, "cat-file", "--batch-check")
		check.Stdin = strings.NewReader(strings.Join(hashes, "\n") + "\n")
		out, err := check.Output()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		args := []string{"--git-dir", gd, "archive", "--format=tar.gz", "--prefix=" + parts[1] + "-" + commit + "/", commit, "--", "."}
		for i, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if strings.HasSuffix(line, " missing") {
				args = append(args, ":(exclude,literal)"+paths[i])
			}
		}
		cmd := exec.Command("git", args...)
		cmd.Stdout = w
		if err := cmd.Run(); err != nil {
			t.Errorf("git archive %s %s: %v", gd, commit, err)
		}
	})
}

// fetchAndCompare runs the script with env into a temporary folder and compares
// what it lays out with shared.
func fetchAndCompare(t *testing.T, root, shared string, env ...string) {
	dest := t.TempDir()
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "fetch-corpora.sh"), dest)
	cmd.Env = append(append(os.Environ(), "TMPDIR="+t.TempDir()), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("scripts/fetch-corpora.sh: %v\n%s", err, out.String())
	}
	var n int
	for _, dir := range []string{"corpus", "attack", "schemas"} {
		names, err := filepath.Glob(filepath.Join(shared, dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range names {
			rel, _ := filepath.Rel(shared, want)
			got := filepath.Join(dest, rel)
			if _, err := os.Stat(got); err != nil {
				t.Errorf("%s: not laid out by scripts/fetch-corpora.sh", rel)
				continue
			}
			n++
			switch {
			case strings.HasSuffix(rel, ".tar.gz"):
				a, b := tarContent(t, want), tarContent(t, got)
				for name, sum := range a {
					if b[name] != sum {
						t.Errorf("%s: %s differs from ../shared's or is missing", rel, name)
					}
				}
				for name := range b {
					if _, ok := a[name]; !ok {
						t.Errorf("%s: %s is not in ../shared's copy", rel, name)
					}
				}
			case strings.HasSuffix(rel, ".gz"):
				if gunzipSum(t, want) != gunzipSum(t, got) {
					t.Errorf("%s: the uncompressed bundle differs from ../shared's", rel)
				}
			default:
				a, _ := os.ReadFile(want)
				b, _ := os.ReadFile(got)
				if !bytes.Equal(a, b) {
					t.Errorf("%s differs from ../shared's", rel)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("compared %d files of ../shared, want the 5 corpora, 4 bundles and the SARIF schema", n)
	}
}

// tarContent maps each regular file of a .tar.gz (a leading "./" removed) to
// the sha256 of its bytes.
func tarContent(t *testing.T, path string) map[string][sha256.Size]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	m := map[string][sha256.Size]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return m
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		m[strings.TrimPrefix(h.Name, "./")] = sha256.Sum256(data)
	}
}

func gunzipSum(t *testing.T, path string) [sha256.Size]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, gz); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var s [sha256.Size]byte
	copy(s[:], h.Sum(nil))
	return s
}
