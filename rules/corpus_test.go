package rules

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

// walkExt lists files under root with one of the extensions.
func walkExt(t testing.TB, root string, exts ...string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, e := range exts {
			if !d.IsDir() && strings.HasSuffix(p, e) {
				files = append(files, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestSigmaHQCorpus(t *testing.T) {
	root := testshared.Corpus(t, "sigmahq-2026-04-28")
	var files []string
	entries, _ := filepath.Glob(filepath.Join(root, "rules*"))
	for _, e := range entries {
		files = append(files, walkExt(t, e, ".yml", ".yaml")...)
	}
	if len(files) != 3748 {
		t.Errorf("found %d rule files under rules*, want 3748", len(files))
	}
	rules, problems := LoadAll(files, 0)
	for _, p := range problems {
		t.Errorf("%s:%d:%d: %s", p.Path, p.Line, p.Column, p.Message)
	}
	if len(rules) != 3748 {
		t.Errorf("loaded %d rules, want 3748", len(rules))
	}
	kinds := map[Kind]int{}
	nosigma := 0
	for _, r := range rules {
		kinds[r.Kind]++
		if _, err := decodeSigma(r); err != nil {
			nosigma++
		}
		checkPositions(t, r)
	}
	// sigma-go v0.6.6 cannot lex patterns with a digit before "*"
	// ("all of selection_1_*") in 12 rules; those load from the node walk.
	if nosigma != 12 {
		t.Errorf("sigma-go rejected %d rules, want 12", nosigma)
	}
	t.Logf("kinds %v", kinds)

	// deprecated/ and unsupported/ load without problems too. Their 254
	// files hold 256 rules: unsupported/ has three legacy "action: global"
	// collections, two with two rule documents (win_remote_service.yml,
	// sysmon_process_reimaging.yml) and one with one (win_apt_apt29_tor.yml),
	// merged as Sigma 1 did. sigma-go rejects some of them (rules with
	// "timeframe", which sigma-go v0.6.6 decodes from the wrong node, and the
	// "near" aggregation); that is no load problem.
	for _, c := range []struct {
		dir   string
		files int
		rules int
	}{{"deprecated", 167, 167}, {"unsupported", 87, 89}} {
		files := walkExt(t, filepath.Join(root, c.dir), ".yml", ".yaml")
		rules, problems := LoadAll(files, 0)
		for _, p := range problems {
			t.Errorf("%s:%d:%d: %s", p.Path, p.Line, p.Column, p.Message)
		}
		if len(files) != c.files || len(rules) != c.rules {
			t.Errorf("%s: %d files, %d rules; want %d and %d", c.dir, len(files), len(rules), c.files, c.rules)
		}
		for _, r := range rules {
			checkPositions(t, r)
		}
	}
}

// loadCorpus loads every file with the extensions and fails on any problem.
func loadCorpus(t *testing.T, name string, exts ...string) []*Rule {
	root := testshared.Corpus(t, name)
	files := walkExt(t, root, exts...)
	rules, problems := LoadAll(files, 0)
	for _, p := range problems {
		t.Errorf("%s:%d:%d: %s", p.Path, p.Line, p.Column, p.Message)
	}
	for _, r := range rules {
		checkPositions(t, r)
	}
	t.Logf("%s: %d files, %d rules", name, len(files), len(rules))
	return rules
}

// checkPositions verifies that every reference span holds the reference's
// text and that every query's map sends each line start to a file line that
// holds the same text.
func checkPositions(t *testing.T, r *Rule) {
	t.Helper()
	li := newLineIndex(r.Source)
	for _, ref := range r.Attack {
		if got := string(r.Source[ref.Span.StartOffset:ref.Span.EndOffset]); got != ref.Text {
			t.Errorf("%s: ref %q: span holds %q", r.Path, ref.Text, got)
		}
		if p := li.pos(ref.Span.StartOffset); p != ref.Span.Start {
			t.Errorf("%s: ref %q: start %v, offset says %v", r.Path, ref.Text, ref.Span.Start, p)
		}
	}
	for i, q := range r.Queries {
		m, ok := q.Map.(*LineMap)
		if !ok {
			t.Fatalf("%s: query %d: map is %T", r.Path, i+1, q.Map)
		}
		if m.text != q.Text {
			t.Errorf("%s: query %d: map text differs from query text", r.Path, i+1)
		}
		if len(m.segs) == 0 && strings.TrimSpace(q.Text) != "" {
			t.Errorf("%s: query %d: no mapped segment", r.Path, i+1)
		}
		if len(m.segs) > 0 && q.Start != m.segs[0].pos {
			t.Errorf("%s: query %d: start %v, first segment at %v", r.Path, i+1, q.Start, m.segs[0].pos)
		}
		for _, s := range m.segs {
			text := q.Text[s.textStart:s.textEnd]
			if s.escape {
				if c := r.Source[s.fileOff]; c != '\\' && c != '\'' || q.Map.Position(s.textStart) != li.pos(s.fileOff) {
					t.Errorf("%s: query %d: escape segment %q not at a backslash", r.Path, i+1, text)
				}
				continue
			}
			if got := string(r.Source[s.fileOff : s.fileOff+len(text)]); got != text {
				t.Errorf("%s: query %d: segment %q maps to file text %q", r.Path, i+1, text, got)
			}
			if p := li.pos(s.fileOff); p != s.pos || q.Map.Position(s.textStart) != p {
				t.Errorf("%s: query %d: segment %q at %v, offset says %v", r.Path, i+1, text, s.pos, p)
			}
		}
	}
}

func countQueries(rules []*Rule) (n int) {
	for _, r := range rules {
		n += len(r.Queries)
	}
	return n
}

// findRule returns the rule loaded from the file whose path ends with suffix.
func findRule(t *testing.T, rules []*Rule, suffix string) *Rule {
	t.Helper()
	for _, r := range rules {
		if strings.HasSuffix(filepath.ToSlash(r.Path), suffix) {
			return r
		}
	}
	t.Fatalf("no rule from %s", suffix)
	return nil
}

func TestReprise99Corpus(t *testing.T) {
	rules := loadCorpus(t, "reprise99-sentinel-queries", ".kql")
	if len(rules) != 462 {
		t.Errorf("loaded %d rules, want one per .kql file (462)", len(rules))
	}
	if n := countQueries(rules); n != 595 {
		t.Errorf("%d queries, want 595", n)
	}
	// Spot checks against the text.
	r := findRule(t, rules, "Azure Active Directory/Identity-PotentialAiTM.kql")
	if len(r.Queries) != 3 {
		t.Fatalf("Identity-PotentialAiTM.kql: %d queries, want 3", len(r.Queries))
	}
	for i, want := range []struct {
		line  int
		first string
	}{{8, "SigninLogs"}, {26, "AADSignInEventsBeta"}, {45, "let ids="}} {
		q := r.Queries[i]
		if q.Start != (Pos{Line: want.line, Column: 1}) || !strings.HasPrefix(q.Text, want.first) {
			t.Errorf("query %d at %v starts %q; want line %d, %q", i+1, q.Start, q.Text[:min(20, len(q.Text))], want.line, want.first)
		}
	}
	r = findRule(t, rules, "Defender for Endpoint/Device-msdtPotentialExploit.kql")
	if len(r.Queries) == 0 || r.Queries[0].Start != (Pos{Line: 4, Column: 1}) {
		t.Errorf("Device-msdtPotentialExploit.kql: first query not at 4:1")
	}
}

func TestM365Corpus(t *testing.T) {
	rules := loadCorpus(t, "m365-defender-hunting-queries", ".md")
	// 276 Markdown files; 7 are documentation without queries or ATT&CK
	// references (README.md x4, CODE_OF_CONDUCT.md, SECURITY.md and the
	// submission template, whose only block is "< Insert query string here >").
	if len(rules) != 269 {
		t.Errorf("loaded %d rules, want 269", len(rules))
	}
	// Eight blocks hold several queries separated by blank lines (one holds
	// 23); identify-potential-missed-phishing-email-campaigns.md has its
	// query outside any code fence, read as an unfenced KQL block.
	if n := countQueries(rules); n != 307 {
		t.Errorf("%d queries, want 307", n)
	}
	if r := findRule(t, rules, "Initial access/identify-potential-missed-phishing-email-campaigns.md"); len(r.Queries) != 1 || r.Queries[0].Start != (Pos{Line: 10, Column: 1}) {
		t.Errorf("unfenced query not found at 10:1: %+v", r.Queries)
	}
	refs := map[RefKind]int{}
	for _, r := range rules {
		for _, ref := range r.Attack {
			refs[ref.Kind]++
		}
	}
	t.Logf("refs %v", refs)
	r := findRule(t, rules, "Execution/detect-suspicious-mshta-usage.md")
	var got []string
	for _, a := range r.Attack {
		got = append(got, fmt.Sprintf("%s %s %s %d:%d", a.Kind, a.Value, a.Source, a.Span.Start.Line, a.Span.Start.Column))
	}
	want := "technique T1170 url 7:334"
	if len(got) == 0 || got[0] != want {
		t.Errorf("mshta refs: got %q, want first %q", got, want)
	}
	r = findRule(t, rules, "Ransomware/Sticky Keys.md")
	if len(r.Queries) != 1 || r.Queries[0].Start != (Pos{Line: 8, Column: 1}) {
		t.Errorf("Sticky Keys.md: unlabelled one-line query not found at 8:1: %+v", r.Queries)
	}
}
