package layer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

func readFixture(t *testing.T, name string, o ReadOptions) *ReadResult {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "formats", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Read(f, o)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// TestReadFormats reads one fixture per format version, written from the
// format specifications, and checks what each version brings.
func TestReadFormats(t *testing.T) {
	cases := []struct {
		file, format, attack, domain string
		layers, techniques           int
		noTactic                     int // entries without a tactic
		unknown                      []string
	}{
		{"v3.0.json", "3.0", "", "enterprise-attack", 1, 5, 2, nil},
		{"v4.0.json", "4.0", "8", "enterprise-attack", 1, 4, 2, nil},
		{"v4.1.json", "4.1", "8", "enterprise-attack", 1, 2, 1, nil},
		{"v4.2.json", "4.2", "9", "enterprise-attack", 1, 3, 1, []string{
			"techniques[0].category", "techniques[0].references", "techniques[0].value",
			"techniques[1].category", "techniques[1].references", "techniques[1].value",
			"techniques[2].category", "techniques[2].value", "mappingSchema"}},
		{"v4.3.json", "4.3", "10", "mobile-attack", 1, 1, 1, nil},
		{"v4.4.json", "4.4", "13", "enterprise-attack", 1, 2, 2, nil},
		{"v4.5-list.json", "4.5", "14", "enterprise-attack", 2, 1, 0, nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			res := readFixture(t, c.file, ReadOptions{})
			if len(res.Layers) != c.layers {
				t.Fatalf("layers = %d, want %d", len(res.Layers), c.layers)
			}
			l := res.Layers[0]
			if l.Source.Format != c.format || !l.Source.FormatGiven {
				t.Errorf("format = %q (given %v), want %q", l.Source.Format, l.Source.FormatGiven, c.format)
			}
			if l.Source.Attack != c.attack {
				t.Errorf("attack = %q, want %q", l.Source.Attack, c.attack)
			}
			if c.attack != "" && (l.Versions.Attack == nil || *l.Versions.Attack != c.attack) {
				t.Errorf("versions.attack not kept: %+v", l.Versions)
			}
			if l.Domain != c.domain {
				t.Errorf("domain = %q, want %q", l.Domain, c.domain)
			}
			if len(l.Techniques) != c.techniques {
				t.Errorf("techniques = %d, want %d", len(l.Techniques), c.techniques)
			}
			n := 0
			for _, e := range l.Techniques {
				if e.Tactic == nil {
					n++
				}
			}
			if n != c.noTactic {
				t.Errorf("entries without tactic = %d, want %d", n, c.noTactic)
			}
			if !reflect.DeepEqual(l.Source.Unknown, c.unknown) {
				t.Errorf("unknown = %q, want %q", l.Source.Unknown, c.unknown)
			}
			// Every layer read is a valid 4.5 layer, and reads back the same.
			for _, l := range res.Layers {
				if l.Versions.Layer != LayerVersion {
					t.Errorf("versions.layer = %q", l.Versions.Layer)
				}
				if err := l.Validate(nil); err != nil {
					t.Error(err)
				}
			}
			var buf bytes.Buffer
			if err := Encode(&buf, res.Layers); err != nil {
				t.Fatal(err)
			}
			again, err := Read(bytes.NewReader(buf.Bytes()), ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var buf2 bytes.Buffer
			if err := Encode(&buf2, again.Layers); err != nil {
				t.Fatal(err)
			}
			if buf.String() != buf2.String() {
				t.Errorf("written layer does not read back the same:\n%s\n---\n%s", buf.String(), buf2.String())
			}
			if _, err := Decode(bytes.NewReader(buf.Bytes()), nil); err != nil && len(l.Source.Unknown) == 0 {
				t.Errorf("the written layer fails the strict 4.5 model: %v", err)
			}
		})
	}
}

func TestRead30(t *testing.T) {
	res := readFixture(t, "v3.0.json", ReadOptions{})
	l := res.Layers[0]
	if l.Filters == nil || !reflect.DeepEqual(l.Filters.Platforms, []string{"Windows", "Linux"}) {
		t.Errorf("filters = %+v", l.Filters)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "filters.stages") {
		t.Errorf("no note about stages: %q", res.Warnings)
	}
	if l.Layout == nil || *l.Layout.Layout != "flat" || !*l.Layout.ShowID {
		t.Errorf("layout = %+v", l.Layout)
	}
	if len(l.Gradient.Colors) != 3 || l.Gradient.MaxValue != 100 {
		t.Errorf("gradient = %+v", l.Gradient)
	}
	md := l.Techniques[4].Metadata
	if len(md) != 2 || md[1].Name != "ticket" || md[1].Value != "SOC-12" {
		t.Errorf("metadata = %+v", md)
	}
	if l.Techniques[4].Enabled == nil || *l.Techniques[4].Enabled {
		t.Errorf("enabled lost: %+v", l.Techniques[4])
	}
}

// TestReadUnknownFieldsRoundTrip: fields no format defines come back out,
// equal in meaning, at every level where they are kept.
func TestReadUnknownFieldsRoundTrip(t *testing.T) {
	in := `{"name":"x","domain":"enterprise-attack","versions":{"layer":"4.2","navigator":"4.4","attack":"9","stix":"2.0"},
	"filters":{"platforms":["Windows"],"custom":[1,2]},
	"layout":{"layout":"side","zoom":1.5},
	"gradient":{"colors":["#ffffff","#000000"],"minValue":0,"maxValue":1,"steps":4},
	"techniques":[{"techniqueID":"T1003","score":1,"category":"Protect","nested":{"a":[true,null,"<&>"]}}],
	"owner":{"team":"blue","since":2021}}`
	res, err := Read(strings.NewReader(in), ReadOptions{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	wantUnknown := []string{"versions.stix", "filters.custom", "layout.zoom", "gradient.steps", "techniques[0].category", "techniques[0].nested", "owner"}
	if !reflect.DeepEqual(res.Layers[0].Source.Unknown, wantUnknown) {
		t.Errorf("unknown = %q", res.Layers[0].Source.Unknown)
	}
	if len(res.Warnings) != len(wantUnknown) || !strings.Contains(res.Warnings[0], "unknown field versions.stix") {
		t.Errorf("strict warnings = %q", res.Warnings)
	}
	res42 := readFixture(t, "v4.2.json", ReadOptions{Strict: true})
	w := strings.Join(res42.Warnings, "\n")
	if !strings.Contains(w, "unknown field techniques[].category (in 3 entries, first techniques[0].category)") ||
		!strings.Contains(w, "unknown field techniques[].references (in 2 entries") || !strings.Contains(w, "unknown field mappingSchema:") {
		t.Errorf("grouped warnings:\n%s", w)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, res.Layers); err != nil {
		t.Fatal(err)
	}
	var orig, out map[string]any
	json.Unmarshal([]byte(in), &orig)
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	get := func(m map[string]any, path ...string) any {
		var v any = m
		for _, p := range path {
			switch x := v.(type) {
			case map[string]any:
				v = x[p]
			case []any:
				v = x[0]
				v = v.(map[string]any)[p]
			}
		}
		return v
	}
	for _, p := range [][]string{{"owner"}, {"versions", "stix"}, {"filters", "custom"}, {"layout", "zoom"}, {"gradient", "steps"},
		{"techniques", "category"}, {"techniques", "nested"}} {
		if !reflect.DeepEqual(get(orig, p...), get(out, p...)) {
			t.Errorf("%v: %v written as %v", p, get(orig, p...), get(out, p...))
		}
	}
	if !strings.Contains(buf.String(), `"<&>"`) {
		t.Errorf("unknown value re-escaped: %s", buf.String())
	}
	if v := get(out, "versions", "layer"); v != "4.5" {
		t.Errorf("versions.layer = %v", v)
	}
}

func TestReadMissingFields(t *testing.T) {
	res := readFixture(t, "missing.json", ReadOptions{})
	l := res.Layers[0]
	if l.Name != "untitled layer" || l.Domain != "enterprise-attack" || l.Source.FormatGiven || l.Source.Format != "4.5" {
		t.Errorf("layer = %q %q %+v", l.Name, l.Domain, l.Source)
	}
	if len(l.Techniques) != 2 {
		t.Fatalf("techniques = %+v", l.Techniques)
	}
	if l.Techniques[0].TechniqueID != "T1003.001" || *l.Techniques[0].Score != 3 {
		t.Errorf("first = %+v", l.Techniques[0])
	}
	if *l.Techniques[1].Tactic != "defense-evasion" {
		t.Errorf("tactic = %q", *l.Techniques[1].Tactic)
	}
	w := strings.Join(res.Warnings, "\n")
	for _, want := range []string{"no name", "no domain", "techniques[2] has no techniqueID", `"TXXXX" is not a technique ID`} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}

func TestReadEncodings(t *testing.T) {
	in := `{"name":"é","domain":"enterprise-attack","techniques":[{"techniqueID":"T1003"}]}`
	u := utf16.Encode([]rune(in))
	le := []byte{0xFF, 0xFE}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	for name, data := range map[string][]byte{
		"utf-8 bom": append([]byte{0xEF, 0xBB, 0xBF}, in...),
		"utf-16le":  le,
	} {
		res, err := Read(bytes.NewReader(data), ReadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Layers[0].Name != "é" {
			t.Errorf("%s: name %q", name, res.Layers[0].Name)
		}
	}
}

func TestReadErrors(t *testing.T) {
	for in, want := range map[string]string{
		``:                          "empty",
		`[]`:                        "list is empty",
		`"x"`:                       "expected a JSON object",
		`{"name":"a","domain":"x"}`: `"domain" is "x"`,
		`[{"name":"a"},{"name":"b","domain":"y"}]`: "layer 2:",
		`{"name":"a","techniques":{}}`:             "techniques is not a list",
	} {
		_, err := Read(strings.NewReader(in), ReadOptions{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", in, err, want)
		}
	}
}
