package layer

import (
	"bytes"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// sharedCatalog opens the ATT&CK 18.1 bundles of ../shared, enterprise
// active, mobile and ICS loaded.
func sharedCatalog(tb testing.TB) *mapper.Catalog {
	tb.Helper()
	cat, err := mapper.Open(mapper.Options{Offline: true, Paths: []string{
		testshared.File(tb, "attack/enterprise-attack-18.1.json.gz"),
		testshared.File(tb, "attack/mobile-attack-18.1.json.gz"),
		testshared.File(tb, "attack/ics-attack-18.1.json.gz"),
	}})
	if err != nil {
		tb.Fatal(err)
	}
	return cat
}

func loadCorpus(tb testing.TB, name string) []*rules.Rule {
	tb.Helper()
	dir := testshared.Corpus(tb, name)
	files, probs := rules.Discover([]string{dir}, rules.DiscoverOptions{})
	if len(probs) > 0 {
		tb.Fatalf("discover: %v", probs)
	}
	rs, _ := rules.LoadAll(files, 0) // load problems are the loader's tests' business
	if len(rs) == 0 {
		tb.Fatalf("no rules in %s", name)
	}
	return rs
}

// TestSigmaHQTechniqueSet checks the layer against a set computed straight
// from the resolved references, without the aggregation code: every
// reference the catalog resolves to a live technique, revoked ones through
// their replacement.
func TestSigmaHQTechniqueSet(t *testing.T) {
	cat := sharedCatalog(t)
	rs := loadCorpus(t, "sigmahq-2026-04-28")

	want := map[string]map[string]bool{} // domain -> technique IDs
	for _, r := range rs {
		for _, ref := range r.Attack {
			res := cat.ResolveRef(ref)
			if res.Type != mapper.TypeTechnique || res.Final == nil || res.Final.Status != mapper.StatusActive {
				continue
			}
			d := string(res.Final.Domain)
			if want[d] == nil {
				want[d] = map[string]bool{}
			}
			want[d][res.Final.ID] = true
		}
	}

	cov, err := Aggregate(cat, rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]bool{}
	for _, l := range Navigator(cov, goldenOptions()) {
		for _, e := range l.Techniques {
			if e.Score == nil {
				continue
			}
			if got[l.Domain] == nil {
				got[l.Domain] = map[string]bool{}
			}
			got[l.Domain][e.TechniqueID] = true
		}
	}
	if len(want["enterprise-attack"]) < 300 {
		t.Fatalf("only %d enterprise techniques resolved from SigmaHQ: is the corpus complete?", len(want["enterprise-attack"]))
	}
	for d := range union(want, got) {
		missing, extra := setDiff(want[d], got[d]), setDiff(got[d], want[d])
		if len(missing)+len(extra) > 0 {
			t.Errorf("%s: layer misses %v and has extra %v", d, missing, extra)
		}
	}
	t.Logf("SigmaHQ: %d rules, %d enterprise techniques, %d revoked references counted under replacements, %d unknown, %d deprecated",
		len(cov.Rules), len(want["enterprise-attack"]), len(cov.Revoked), len(cov.Unknown), len(cov.Deprecated))
}

func union(a, b map[string]map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func setDiff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TestCorpusLayersRoundTrip writes the layers of the real corpora, every
// score function, and checks that the strict 4.5 model reads them back
// without loss.
func TestCorpusLayersRoundTrip(t *testing.T) {
	cat := sharedCatalog(t)
	platforms := func(d string) []string {
		seen := map[string]bool{}
		var out []string
		for _, o := range cat.Objects(mapper.Domain(d), mapper.TypeTechnique) {
			for _, p := range o.Platforms {
				if !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
		return out
	}
	for _, name := range []string{"sigmahq-2026-04-28", "reprise99-sentinel-queries", "m365-defender-hunting-queries"} {
		t.Run(name, func(t *testing.T) {
			rs := loadCorpus(t, name)
			for _, f := range ScoreFuncs {
				cov, err := Aggregate(cat, rs, Options{Score: f, Rollup: f == ScoreLevel})
				if err != nil {
					t.Fatal(err)
				}
				o := goldenOptions()
				o.LinkBase = "https://github.com/example/rules/blob/main"
				var buf bytes.Buffer
				if err := Write(&buf, FormatNavigator, cov, o); err != nil {
					t.Fatal(err)
				}
				layers := roundTrip(t, buf.Bytes(), platforms)
				n := 0
				for _, l := range layers {
					n += len(l.Techniques)
				}
				if n == 0 && liveRefs(cat, rs) > 0 {
					t.Errorf("%s: no technique entries from %d live technique references", f, liveRefs(cat, rs))
				}
				if f == ScoreCount {
					t.Logf("%s: %d rules, %d layers, %d entries, %d bytes", name, len(cov.Rules), len(layers), n, buf.Len())
				}
			}
		})
	}
}

// BenchmarkLayerSigmaHQ measures a SigmaHQ layer from files on disk:
// discovery, loading, aggregation and the Navigator JSON.
func BenchmarkLayerSigmaHQ(b *testing.B) {
	cat := sharedCatalog(b)
	dir := testshared.Corpus(b, "sigmahq-2026-04-28")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		files, _ := rules.Discover([]string{dir}, rules.DiscoverOptions{})
		rs, _ := rules.LoadAll(files, 0)
		cov, err := Aggregate(cat, rs, Options{})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, FormatNavigator, cov, goldenOptions()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAggregateSigmaHQ measures aggregation and every writer on loaded
// SigmaHQ rules, without file loading.
func BenchmarkAggregateSigmaHQ(b *testing.B) {
	cat := sharedCatalog(b)
	rs := loadCorpus(b, "sigmahq-2026-04-28")
	for _, f := range OutputFormats {
		b.Run(string(f), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				cov, err := Aggregate(cat, rs, Options{})
				if err != nil {
					b.Fatal(err)
				}
				var buf bytes.Buffer
				if err := Write(&buf, f, cov, goldenOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// liveRefs counts references that resolve to a live technique.
func liveRefs(cat *mapper.Catalog, rs []*rules.Rule) int {
	n := 0
	for _, r := range rs {
		for _, ref := range r.Attack {
			if res := cat.ResolveRef(ref); res.Type == mapper.TypeTechnique && res.Final != nil && res.Final.Status == mapper.StatusActive {
				n++
			}
		}
	}
	return n
}

// TestDomainsGetTheirOwnLayer checks that references found only in an
// inactive domain make a layer of that domain, after the active one.
func TestDomainsGetTheirOwnLayer(t *testing.T) {
	cat := sharedCatalog(t)
	rs := []*rules.Rule{
		rule("a.yml", "Enterprise", "", "", "T1059.001"),
		rule("b.yml", "ICS", "", "", "T0807"),
	}
	cov, err := Aggregate(cat, rs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	layers := Navigator(cov, goldenOptions())
	var got []string
	for _, l := range layers {
		if err := l.Validate(nil); err != nil {
			t.Error(err)
		}
		ids := []string{}
		for _, e := range l.Techniques {
			ids = append(ids, e.TechniqueID)
		}
		got = append(got, l.Domain+":"+strings.Join(ids, ","))
	}
	want := "enterprise-attack:T1059,T1059.001 ics-attack:T0807" // T1059: unscored, showSubtechniques
	if strings.Join(got, " ") != want {
		t.Errorf("layers = %v, want %s", got, want)
	}
	if layers[1].Name != "huntlint coverage (ics-attack)" || layers[1].Versions.Attack == nil || *layers[1].Versions.Attack != "18.1" {
		t.Errorf("ICS layer name %q versions %+v", layers[1].Name, layers[1].Versions)
	}
}
