package layer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// navlayersProblems checks a layer file the way mitreattack-python's
// navlayers (Layer.from_file, strict) loads it, and returns what it would
// print or fail on: it reads one layer object, not a list; it refuses
// layer and technique fields it does not know; it takes metadata only as
// name and value (a {"divider": true} entry prints two lines and is
// skipped); gradient bounds must be integers; versions.navigator must be a
// 5.x release; filters must list platforms.
func navlayersProblems(data []byte) []string {
	var p []string
	bad := func(f string, a ...any) { p = append(p, fmt.Sprintf(f, a...)) }
	var top any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	l, ok := top.(map[string]any)
	if !ok {
		return []string{"not one layer object (a list makes Layer.from_file fail)"}
	}
	isInt := func(v any) bool {
		n, ok := v.(json.Number)
		return ok && !strings.ContainsAny(n.String(), ".eE")
	}
	isNum := func(v any) bool { _, ok := v.(json.Number); return ok }
	isStr := func(v any) bool { _, ok := v.(string); return ok }
	isBool := func(v any) bool { _, ok := v.(bool); return ok }
	oneOfS := func(v any, set ...string) bool {
		s, ok := v.(string)
		return ok && oneOf(s, set)
	}
	meta := func(where string, v any) {
		list, ok := v.([]any)
		if !ok {
			bad("%s.metadata is not a list", where)
			return
		}
		for i, x := range list {
			m, _ := x.(map[string]any)
			if _, ok := m["name"]; !ok {
				bad("%s.metadata[%d] has no name (a divider?)", where, i)
				continue
			}
			if _, ok := m["value"]; !ok {
				bad("%s.metadata[%d] has no value", where, i)
			}
			if !isStr(m["name"]) || !(isStr(m["value"]) || isBool(m["value"])) {
				bad("%s.metadata[%d] is not text", where, i)
			}
		}
	}
	links := func(where string, v any) {
		list, ok := v.([]any)
		if !ok {
			bad("%s.links is not a list", where)
			return
		}
		for i, x := range list {
			m, _ := x.(map[string]any)
			if d, ok := m["divider"]; ok && d == true {
				continue
			}
			if !isStr(m["label"]) || !isStr(m["url"]) {
				bad("%s.links[%d] needs label and url", where, i)
			}
		}
	}
	if !isStr(l["name"]) || !isStr(l["domain"]) {
		bad("name and domain must be strings")
	}
	if !oneOfS(l["domain"], "enterprise-attack", "mobile-attack", "ics-attack") {
		bad("domain %v", l["domain"])
	}
	for k, v := range l {
		switch k {
		case "name", "domain":
		case "description", "tacticRowBackground":
			if !isStr(v) {
				bad("%s is not a string", k)
			}
		case "hideDisabled", "showTacticRowBackground", "selectTechniquesAcrossTactics", "selectSubtechniquesWithParent", "selectVisibleTechniques":
			if !isBool(v) {
				bad("%s is not a boolean", k)
			}
		case "versions":
			m, _ := v.(map[string]any)
			if !isStr(m["layer"]) || !isStr(m["navigator"]) {
				bad("versions needs layer and navigator")
			}
			if !oneOfS(m["layer"], ReadFormats...) {
				bad("versions.layer %v", m["layer"])
			}
			if m["layer"] != "4.5" {
				bad("versions.layer %v is upgraded with a notice", m["layer"])
			}
			if s, _ := m["navigator"].(string); !strings.HasPrefix(s, "5.") {
				bad("versions.navigator %q is not 5.x", s)
			}
			if a, ok := m["attack"]; ok && !isStr(a) {
				bad("versions.attack is not a string")
			}
		case "filters":
			m, _ := v.(map[string]any)
			pl, ok := m["platforms"].([]any)
			if !ok || len(pl) == 0 {
				bad("filters without platforms")
			}
			for _, x := range pl {
				if !isStr(x) {
					bad("filters.platforms has a non-string")
				}
			}
		case "sorting":
			if !isInt(v) {
				bad("sorting is not an integer")
			}
		case "layout":
			m, _ := v.(map[string]any)
			for lk, lv := range m {
				switch lk {
				case "layout":
					if !oneOfS(lv, validLayouts...) {
						bad("layout.layout %v", lv)
					}
				case "aggregateFunction":
					if !oneOfS(lv, validAggregate...) {
						bad("layout.aggregateFunction %v", lv)
					}
				case "expandedSubtechniques":
					if !oneOfS(lv, validExpanded...) {
						bad("layout.expandedSubtechniques %v", lv)
					}
				case "showID", "showName", "showAggregateScores", "countUnscored":
					if !isBool(lv) {
						bad("layout.%s is not a boolean", lk)
					}
				}
			}
		case "gradient":
			m, _ := v.(map[string]any)
			cs, _ := m["colors"].([]any)
			if len(cs) == 0 || !isStr(cs[0]) {
				bad("gradient.colors")
			}
			if !isInt(m["minValue"]) || !isInt(m["maxValue"]) {
				bad("gradient bounds %v, %v are not integers", m["minValue"], m["maxValue"])
			}
		case "legendItems":
			list, _ := v.([]any)
			for i, x := range list {
				m, _ := x.(map[string]any)
				if !isStr(m["label"]) || !isStr(m["color"]) {
					bad("legendItems[%d]", i)
				}
			}
		case "metadata":
			meta("layer", v)
		case "links":
			links("layer", v)
		case "techniques":
			list, ok := v.([]any)
			if !ok {
				bad("techniques is not a list")
			}
			for i, x := range list {
				t, _ := x.(map[string]any)
				where := fmt.Sprintf("techniques[%d]", i)
				if s, ok := t["techniqueID"].(string); !ok || !strings.HasPrefix(s, "T") {
					bad("%s.techniqueID", where)
				}
				for tk, tv := range t {
					switch tk {
					case "techniqueID":
					case "tactic", "comment", "color":
						if !isStr(tv) {
							bad("%s.%s is not a string", where, tk)
						}
					case "enabled", "showSubtechniques":
						if !isBool(tv) {
							bad("%s.%s is not a boolean", where, tk)
						}
					case "score":
						if !isNum(tv) {
							bad("%s.score is not a number", where)
						}
					case "aggregateScore":
						if !isInt(tv) {
							bad("%s.aggregateScore is not an integer", where)
						}
					case "metadata":
						meta(where, tv)
					case "links":
						links(where, tv)
					default:
						bad("%s.%s: unknown technique property", where, tk)
					}
				}
			}
		default:
			bad("%s: unknown layer property", k)
		}
	}
	return p
}

func TestNavlayersCheckerCatches(t *testing.T) {
	for in, want := range map[string]string{
		`[{"name":"a","domain":"enterprise-attack"}]`:                                                                 "list",
		`{"name":"a","domain":"enterprise-attack","techniques":[{"techniqueID":"T1","metadata":[{"divider":true}]}]}`: "divider",
		`{"name":"a","domain":"enterprise-attack","gradient":{"colors":["#fff"],"minValue":0.5,"maxValue":1}}`:        "not integers",
		`{"name":"a","domain":"enterprise-attack","customDataURL":"https://x"}`:                                       "unknown layer property",
		`{"name":"a","domain":"enterprise-attack","techniques":[{"techniqueID":"T1","category":"x"}]}`:                "unknown technique property",
		`{"name":"a","domain":"enterprise-attack","versions":{"layer":"4.5","navigator":"4.9.1"}}`:                    "not 5.x",
	} {
		if p := strings.Join(navlayersProblems([]byte(in)), "; "); !strings.Contains(p, want) {
			t.Errorf("%s: problems %q, want %q", in, p, want)
		}
	}
}

// TestLayersLoadInNavlayers: the layers huntlint writes (coverage with
// every score function, merged, upgraded, one file per domain) load in
// mitreattack-python's navlayers without a warning.
func TestLayersLoadInNavlayers(t *testing.T) {
	cat := testCatalog(t)
	rs := loadFixtures(t)
	check := func(name string, ls []*Layer) {
		t.Helper()
		for i, l := range ls {
			var buf bytes.Buffer
			if err := Encode(&buf, []*Layer{l}); err != nil {
				t.Fatal(err)
			}
			for _, p := range navlayersProblems(buf.Bytes()) {
				t.Errorf("%s layer %d: %s", name, i+1, p)
			}
		}
	}
	var all []*Layer
	for _, o := range []Options{
		{Score: ScoreCount},
		{Score: ScoreLevel, Rollup: true, StatusWeights: map[string]float64{"experimental": 0.5, "test": 0.75}},
		{Score: ScoreMax},
	} {
		cov, err := Aggregate(cat, rs, o)
		if err != nil {
			t.Fatal(err)
		}
		ls := Navigator(cov, goldenOptions())
		check(string(o.Score), ls)
		all = append(all, ls...)
	}
	merged, err := Merge([]MergeInput{{Name: "a.json", Layers: all[:1]}, {Name: "b.json", Layers: all[1:2]}}, MergeMax, goldenOptions())
	if err != nil {
		t.Fatal(err)
	}
	check("merged", merged)
	for _, f := range []string{"v3.0.json", "v4.0.json", "v4.1.json", "v4.4.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "formats", f))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Read(bytes.NewReader(data), ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		up, _, err := Upgrade(f, res.Layers, UpgradeOptions{Target: cat})
		if err != nil {
			t.Fatal(err)
		}
		// Dividers and customDataURL of the user's layer are the user's;
		// navlayers' only objections left may be those.
		for i, l := range up {
			var buf bytes.Buffer
			Encode(&buf, []*Layer{l})
			for _, p := range navlayersProblems(buf.Bytes()) {
				if !strings.Contains(p, "divider") && !strings.Contains(p, "customDataURL") {
					t.Errorf("upgraded %s layer %d: %s", f, i+1, p)
				}
			}
		}
	}
}

// TestForNavlayers: a control mapping with fields of its own and a 4.4
// layer with customDataURL load in navlayers once made for it.
func TestForNavlayers(t *testing.T) {
	for _, f := range []string{"v4.2.json", "v4.4.json", "v4.1.json", "v4.3.json"} {
		res := readFixture(t, f, ReadOptions{})
		for _, l := range res.Layers {
			notes := l.ForNavlayers()
			var buf bytes.Buffer
			Encode(&buf, []*Layer{l})
			for _, p := range navlayersProblems(buf.Bytes()) {
				if !strings.Contains(p, "versions.") { // read layers keep their versions until upgraded
					t.Errorf("%s: %s", f, p)
				}
			}
			if f == "v4.2.json" && strings.Join(notes, "; ") != "layer field mappingSchema (1) left out for mitreattack-python; technique field category (3) left out for mitreattack-python; technique field references (2) left out for mitreattack-python; technique field value (3) left out for mitreattack-python" {
				t.Errorf("notes = %q", notes)
			}
		}
	}
}
