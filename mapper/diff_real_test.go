package mapper

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

// rawObject is what the independent count reads of a STIX object.
type rawObject struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	Revoked    bool   `json:"revoked"`
	Deprecated bool   `json:"x_mitre_deprecated"`
	ExtRefs    []struct {
		SourceName string `json:"source_name"`
		ExternalID string `json:"external_id"`
	} `json:"external_references"`
}

func (o rawObject) state() Status {
	switch {
	case o.Revoked:
		return StatusRevoked
	case o.Deprecated:
		return StatusDeprecated
	}
	return StatusActive
}

func (o rawObject) attackID() string {
	for _, r := range o.ExtRefs {
		if r.SourceName == "mitre-attack" {
			return r.ExternalID
		}
	}
	return ""
}

// rawKinds is the STIX type of each object kind, for the independent count.
var rawKinds = map[string]ObjectType{
	"x-mitre-tactic": TypeTactic, "attack-pattern": TypeTechnique, "intrusion-set": TypeGroup,
	"malware": TypeSoftware, "tool": TypeSoftware, "campaign": TypeCampaign, "course-of-action": TypeMitigation,
	"x-mitre-data-source": TypeDataSource, "x-mitre-data-component": TypeDataComponent,
	"x-mitre-detection-strategy": TypeDetectionStrategy, "x-mitre-analytic": TypeAnalytic, "x-mitre-asset": TypeAsset,
}

func readRaw(t *testing.T, path string) map[string]rawObject {
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
	var b struct {
		Objects []rawObject `json:"objects"`
	}
	if err := json.NewDecoder(zr).Decode(&b); err != nil {
		t.Fatal(err)
	}
	out := map[string]rawObject{}
	for _, o := range b.Objects {
		if _, ok := rawKinds[o.Type]; ok {
			out[o.ID] = o
		}
	}
	return out
}

// rawCount is the independent tally of one kind's changes: each a sorted
// list of "ID" (or "name" for objects without an ID).
type rawCount struct {
	added, removed, renamed, numbered, revoked, deprecated, reactivated []string
}

// TestRealDiffEveryKind171To181 checks catalog diff of the real 17.1 (slim)
// and 18.1 bundles kind by kind against a count made here, on the bundles'
// raw JSON, by STIX id: ATT&CK 18 deprecated all 37 live data sources, gave
// the 109 data components the ATT&CK IDs they lacked (they are not new),
// and added detection strategies and analytics.
func TestRealDiffEveryKind171To181(t *testing.T) {
	oldPath := testshared.File(t, "attack/enterprise-attack-17.1-slim.json.gz")
	newPath := testshared.File(t, "attack/enterprise-attack-18.1.json.gz")
	oldRaw, newRaw := readRaw(t, oldPath), readRaw(t, newPath)
	label := func(o rawObject) string {
		if id := o.attackID(); id != "" {
			return id
		}
		return o.Name
	}
	counts := map[ObjectType]*rawCount{}
	for _, k := range KindOrder {
		counts[k] = &rawCount{}
	}
	for sid, n := range newRaw {
		c := counts[rawKinds[n.Type]]
		o, ok := oldRaw[sid]
		if !ok {
			c.added = append(c.added, label(n))
			continue
		}
		if o.Name != n.Name {
			c.renamed = append(c.renamed, label(n))
		}
		if o.attackID() == "" && n.attackID() != "" {
			c.numbered = append(c.numbered, label(n))
		}
		switch ost, nst := o.state(), n.state(); {
		case ost == nst:
		case nst == StatusRevoked:
			c.revoked = append(c.revoked, label(n))
		case nst == StatusDeprecated:
			c.deprecated = append(c.deprecated, label(n))
		default:
			c.reactivated = append(c.reactivated, label(n))
		}
	}
	for sid, o := range oldRaw {
		if _, ok := newRaw[sid]; !ok {
			counts[rawKinds[o.Type]].removed = append(counts[rawKinds[o.Type]].removed, label(o))
		}
	}

	// The facts of the release, as ATT&CK 18's notes give them, hold on the
	// raw bundles.
	ds, dc := counts[TypeDataSource], counts[TypeDataComponent]
	if len(ds.deprecated) != 37 || len(dc.added) != 0 || len(dc.numbered) != 109 {
		t.Fatalf("raw count: %d data sources deprecated, %d data components added, %d numbered", len(ds.deprecated), len(dc.added), len(dc.numbered))
	}

	oc, err := LoadFile(oldPath, "")
	if err != nil {
		t.Fatal(err)
	}
	nc, err := LoadFile(newPath, "")
	if err != nil {
		t.Fatal(err)
	}
	d := Diff(oc, nc)[0]
	list := func(ids []string) string {
		s := append([]string(nil), ids...)
		sort.Strings(s)
		return strings.Join(s, " ")
	}
	refs := func(rs []ObjectRef) string {
		var s []string
		for _, r := range rs {
			if r.ID == "" {
				s = append(s, r.Name)
			} else {
				s = append(s, r.ID)
			}
		}
		return list(s)
	}
	for _, k := range d.Objects {
		c := counts[k.Type]
		var renamed, revoked, deprecated, reactivated []string
		for _, r := range k.Renamed {
			renamed = append(renamed, r.ID)
		}
		for _, r := range k.Revoked {
			revoked = append(revoked, r.ID)
		}
		for _, s := range k.Deprecated {
			deprecated = append(deprecated, s.ID)
		}
		for _, s := range k.Reactivated {
			reactivated = append(reactivated, s.ID)
		}
		for _, cmp := range []struct {
			what      string
			got, want string
		}{
			{"added", refs(k.Added), list(c.added)},
			{"removed", refs(k.Removed), list(c.removed)},
			{"renamed", list(renamed), list(c.renamed)},
			{"numbered", refs(k.Numbered), list(c.numbered)},
			{"revoked", list(revoked), list(c.revoked)},
			{"deprecated", list(deprecated), list(c.deprecated)},
			{"reactivated", list(reactivated), list(c.reactivated)},
		} {
			if cmp.got != cmp.want {
				t.Errorf("%s %s:\n got %s\nwant %s", k.Type, cmp.what, cmp.got, cmp.want)
			}
		}
		if len(k.Renumbered)+len(k.Reparented) != 0 {
			t.Errorf("%s: renumbered %v, reparented %v", k.Type, k.Renumbered, k.Reparented)
		}
	}
	// Old and new counts per state, for the kinds the report names.
	tally := func(raw map[string]rawObject, kind ObjectType) KindCounts {
		var c KindCounts
		for _, o := range raw {
			if rawKinds[o.Type] != kind {
				continue
			}
			c.Total++
			switch o.state() {
			case StatusActive:
				c.Active++
			case StatusDeprecated:
				c.Deprecated++
			case StatusRevoked:
				c.Revoked++
			}
			if o.attackID() == "" {
				c.Unnumbered++
			}
		}
		return c
	}
	for _, kind := range []ObjectType{TypeDataSource, TypeDataComponent} {
		k := d.Kind(kind)
		if k.Old != tally(oldRaw, kind) || k.New != tally(newRaw, kind) {
			t.Errorf("%s counts %+v -> %+v, want %+v -> %+v", kind, k.Old, k.New, tally(oldRaw, kind), tally(newRaw, kind))
		}
	}
	// The old view of other kinds agrees: no data component is "added".
	for _, o := range d.Other {
		if o.Type == TypeDataComponent {
			t.Errorf("data components in other: %+v", o)
		}
	}
}
