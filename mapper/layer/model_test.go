package layer

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// specExample is the single-layer example of the Navigator 4.5 layer format
// definition, reduced to its distinct features.
const specExample = `{
  "name": "example layer",
  "versions": {"attack": "18", "navigator": "5.2.0", "layer": "4.5"},
  "domain": "enterprise-attack",
  "description": "hello, world",
  "filters": {"platforms": ["Windows", "macOS"]},
  "sorting": 2,
  "layout": {"layout": "side", "showName": true, "showID": false, "showAggregateScores": true,
             "countUnscored": true, "aggregateFunction": "average", "expandedSubtechniques": "annotated"},
  "hideDisabled": false,
  "techniques": [
    {"techniqueID": "T1110", "score": 0, "color": "#fd8d3c", "comment": "c", "showSubtechniques": true},
    {"techniqueID": "T1110.001", "score": 100, "links": [{"label": "Navigator GitHub", "url": "https://github.com/mitre-attack/attack-navigator"}]},
    {"techniqueID": "T1078", "tactic": "discovery", "enabled": false},
    {"techniqueID": "T1053", "tactic": "privilege-escalation",
     "metadata": [{"name": "m1", "value": "v1"}, {"divider": true}, {"name": "m2", "value": ""}]}
  ],
  "gradient": {"colors": ["#ff6666", "#ffe766", "#8ec843"], "minValue": 0, "maxValue": 100},
  "legendItems": [{"label": "Legend Item Label", "color": "#FF00FF"}],
  "showTacticRowBackground": true,
  "tacticRowBackground": "#dddddd",
  "selectTechniquesAcrossTactics": false,
  "selectSubtechniquesWithParent": false,
  "selectVisibleTechniques": false,
  "metadata": [{"name": "layer metadata 1", "value": "v"}, {"divider": true}],
  "links": [{"label": "home", "url": "https://example.com"}, {"divider": true}]
}`

// jsonEqual compares two JSON documents as values.
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

// roundTrip decodes data with the strict model and encodes it again,
// failing when anything is lost or changed.
func roundTrip(t *testing.T, data []byte, platforms func(string) []string) []*Layer {
	t.Helper()
	layers, err := Decode(bytes.NewReader(data), platforms)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, layers); err != nil {
		t.Fatal(err)
	}
	if !jsonEqual(t, data, buf.Bytes()) {
		t.Fatalf("round trip changed the layer:\n%s\n---\n%s", data, buf.Bytes())
	}
	return layers
}

func TestDecodeSpecExampleRoundTrip(t *testing.T) {
	layers := roundTrip(t, []byte(specExample), nil)
	if len(layers) != 1 || layers[0].Techniques[2].Enabled == nil || *layers[0].Techniques[2].Enabled {
		t.Errorf("enabled=false was not kept")
	}
	list := "[" + specExample + "," + specExample + "]"
	if got := roundTrip(t, []byte(list), nil); len(got) != 2 {
		t.Errorf("a list of 2 layers decoded as %d", len(got))
	}
}

func TestGoldenLayersRoundTrip(t *testing.T) {
	for _, name := range []string{"coverage.json", "level-rollup.json"} {
		data, err := os.ReadFile("testdata/golden/" + name)
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, data, func(string) []string { return []string{"IaaS", "Linux", "SaaS", "Windows", "macOS"} })
	}
}

func TestValidateRejects(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"unknown field", `"name": "example layer"`, `"name": "example layer", "colour": "red"`, `unknown field "colour"`},
		{"missing name", `"name": "example layer"`, `"name": ""`, `"name" is required`},
		{"domain", `"domain": "enterprise-attack"`, `"domain": "mitre-enterprise"`, `"domain" is "mitre-enterprise"`},
		{"layer version", `"layer": "4.5"`, `"layer": "4.4"`, `versions.layer is "4.4"; expected "4.5"`},
		{"navigator version", `"navigator": "5.2.0"`, `"navigator": "4.8.2"`, `versions.navigator is "4.8.2"`},
		{"sorting", `"sorting": 2`, `"sorting": 4`, `"sorting" is 4`},
		{"layout", `"layout": "side"`, `"layout": "wide"`, `layout.layout is "wide"`},
		{"aggregate", `"aggregateFunction": "average"`, `"aggregateFunction": "median"`, `layout.aggregateFunction is "median"`},
		{"expanded", `"expandedSubtechniques": "annotated"`, `"expandedSubtechniques": "some"`, `layout.expandedSubtechniques is "some"`},
		{"gradient colour", `"#ff6666", "#ffe766"`, `"red", "#ffe766"`, `gradient.colors has "red"`},
		{"gradient colours", `"colors": ["#ff6666", "#ffe766", "#8ec843"]`, `"colors": ["#ff6666"]`, `gradient.colors has 1 colours; expected at least 2`},
		{"gradient bounds", `"maxValue": 100`, `"maxValue": 0`, `gradient.maxValue 0 is not greater than minValue 0`},
		{"legend colour", `"color": "#FF00FF"`, `"color": "magenta"`, `legendItems[0].color is "magenta"`},
		{"technique id", `"techniqueID": "T1110.001"`, `"techniqueID": "t1110.1"`, `techniques[1].techniqueID is "t1110.1"`},
		{"tactic", `"tactic": "discovery"`, `"tactic": "Discovery"`, `techniques[2].tactic is "Discovery"`},
		{"technique colour", `"color": "#fd8d3c"`, `"color": "orange"`, `techniques[0].color is "orange"`},
		{"link protocol", `"url": "https://example.com"`, `"url": "example.com"`, `layer.links[0].url is "example.com"`},
		{"metadata", `{"name": "m1", "value": "v1"}`, `{"name": "m1"}`, `a metadata object needs "name" and "value"`},
		{"divider", `{"divider": true}, {"name": "m2"`, `{"divider": false}, {"name": "m2"`, `"divider" must be true`},
		{"divider fields", `{"divider": true}, {"name": "m2"`, `{"divider": true, "name": "x"}, {"name": "m2"`, `a divider object has only the field "divider"`},
		{"score type", `"score": 100`, `"score": "100"`, `cannot unmarshal string`},
		{"sub show", `"techniqueID": "T1110.001", "score": 100`, `"techniqueID": "T1110.001", "showSubtechniques": true, "score": 100`, `showSubtechniques is set on sub-technique "T1110.001"`},
		{"empty list", specExample, `[]`, `the layer list is empty`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(specExample, tc.from) {
				t.Fatalf("example has no %q", tc.from)
			}
			data := strings.Replace(specExample, tc.from, tc.to, 1)
			_, err := Decode(strings.NewReader(data), nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestValidatePlatforms(t *testing.T) {
	_, err := Decode(strings.NewReader(specExample), func(d string) []string { return []string{"Windows", "Linux"} })
	if err == nil || !strings.Contains(err.Error(), `filters.platforms has "macOS", which is not a platform of enterprise-attack`) {
		t.Errorf("err = %v", err)
	}
}
