package gaps

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/internal/testshared"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/layer"
	"github.com/huntlint/huntlint/rules"
)

// rawBundle is what the independent computation reads of the STIX bundle,
// straight from its JSON.
type rawBundle struct {
	byStix    map[string]rawObject
	byID      map[string][]rawObject // technique external ID -> attack-patterns
	revokedBy map[string]string      // STIX id -> STIX id
	uses      map[string][]string    // group STIX id -> attack-pattern STIX ids
	groupID   map[string]string      // G-ID -> STIX id
}

type rawObject struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Revoked    bool   `json:"revoked"`
	Deprecated bool   `json:"x_mitre_deprecated"`
	ExtRefs    []struct {
		SourceName string `json:"source_name"`
		ExternalID string `json:"external_id"`
	} `json:"external_references"`
	RelType   string `json:"relationship_type"`
	SourceRef string `json:"source_ref"`
	TargetRef string `json:"target_ref"`
}

func (o rawObject) extID() string {
	for _, r := range o.ExtRefs {
		if r.SourceName == "mitre-attack" {
			return r.ExternalID
		}
	}
	return ""
}

func readRawBundle(t *testing.T, path string) *rawBundle {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Objects []rawObject `json:"objects"`
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	b := &rawBundle{byStix: map[string]rawObject{}, byID: map[string][]rawObject{}, revokedBy: map[string]string{}, uses: map[string][]string{}, groupID: map[string]string{}}
	for _, o := range doc.Objects {
		b.byStix[o.ID] = o
		switch o.Type {
		case "attack-pattern":
			b.byID[strings.ToUpper(o.extID())] = append(b.byID[strings.ToUpper(o.extID())], o)
		case "intrusion-set":
			b.groupID[o.extID()] = o.ID
		case "relationship":
			if o.Revoked || o.Deprecated {
				continue
			}
			switch o.RelType {
			case "revoked-by":
				b.revokedBy[o.SourceRef] = o.TargetRef
			case "uses":
				if strings.HasPrefix(o.SourceRef, "intrusion-set--") && strings.HasPrefix(o.TargetRef, "attack-pattern--") {
					b.uses[o.SourceRef] = append(b.uses[o.SourceRef], o.TargetRef)
				}
			}
		}
	}
	return b
}

// live follows revoked-by from an attack-pattern to a live one: its
// external ID, "" when deprecated or the chain ends revoked.
func (b *rawBundle) live(stix string) string {
	for i := 0; i < 10; i++ {
		o, ok := b.byStix[stix]
		if !ok {
			return ""
		}
		if o.Revoked {
			stix = b.revokedBy[stix]
			continue
		}
		if o.Deprecated {
			return ""
		}
		return o.extID()
	}
	return ""
}

// tagged is the live technique a rule tag ("attack.t1086") counts for.
func (b *rawBundle) tagged(tag string) string {
	objs := b.byID[strings.ToUpper(tag)]
	// When an ID is on several objects, a live one wins.
	sort.SliceStable(objs, func(i, j int) bool { return !objs[i].Revoked && objs[j].Revoked })
	for _, o := range objs {
		if id := b.live(o.ID); id != "" {
			return id
		}
	}
	return ""
}

var techniqueTag = regexp.MustCompile(`(?i)^attack\.(t\d{4}(?:\.\d{3})?)$`)

// corpusTags reads every YAML document of the Sigma files under dir with a
// plain YAML decoder and returns the technique tags of each file.
func corpusTags(t *testing.T, dir string) []string {
	t.Helper()
	var tags []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc struct {
				Tags []any `yaml:"tags"`
			}
			if err := dec.Decode(&doc); err != nil {
				if !errors.Is(err, io.EOF) {
					t.Logf("%s: %v", p, err)
				}
				break
			}
			for _, x := range doc.Tags {
				if s, ok := x.(string); ok {
					if m := techniqueTag.FindStringSubmatch(strings.TrimSpace(s)); m != nil {
						tags = append(tags, m[1])
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tags
}

// TestGapsAgreeWithBundle computes, for several groups, the used techniques
// and their covered flags from the STIX bundle's JSON and the Sigma files'
// tags alone, and compares them technique by technique with gaps on the
// embedded catalog.
func TestGapsAgreeWithBundle(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the SigmaHQ corpus")
	}
	b := readRawBundle(t, testshared.File(t, "attack/enterprise-attack-18.1.json.gz"))
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")

	covered := map[string]bool{} // live technique IDs a rule names
	for _, tag := range corpusTags(t, dir) {
		if id := b.tagged(tag); id != "" {
			covered[id] = true
		}
	}
	isCovered := func(id string) bool {
		if covered[id] {
			return true
		}
		for c := range covered {
			if strings.HasPrefix(c, id+".") {
				return true
			}
		}
		return false
	}

	cat, err := mapper.Open(mapper.Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := rules.Discover([]string{dir}, rules.DiscoverOptions{})
	rs, _ := rules.LoadAll(files, 0)
	cov, err := layer.Aggregate(cat, rs, layer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []string{"G0016", "G0007", "G0032", "G0046", "G0010", "G0034"} {
		t.Run(g, func(t *testing.T) {
			want := map[string]bool{}
			for _, ap := range b.uses[b.groupID[g]] {
				if id := b.live(ap); id != "" {
					want[id] = isCovered(id)
				}
			}
			if len(want) < 20 {
				t.Fatalf("only %d techniques for %s in the bundle", len(want), g)
			}
			r, err := Build(cat, cov, Selection{Groups: []string{g}})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, tech := range r.Techniques {
				got[tech.Technique.ID] = tech.Covered
			}
			for id, c := range want {
				if g, ok := got[id]; !ok {
					t.Errorf("%s: the bundle says it is used; gaps does not list it", id)
				} else if g != c {
					t.Errorf("%s: covered %v, the independent computation says %v", id, g, c)
				}
			}
			for id := range got {
				if _, ok := want[id]; !ok {
					t.Errorf("%s: gaps lists it; the bundle does not say the group uses it", id)
				}
			}
			n := 0
			for _, c := range want {
				if c {
					n++
				}
			}
			if r.Summary.Used != len(want) || r.Summary.Covered != n {
				t.Errorf("summary %+v; independent: %d used, %d covered", r.Summary, len(want), n)
			}
			t.Logf("%s %s: %d used, %d covered (%.1f%%)", g, r.Threats[0].Name, r.Summary.Used, r.Summary.Covered, r.Summary.Percent)
		})
	}
}
