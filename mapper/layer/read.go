package layer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
)

// ReadFormats are the Navigator layer formats Read knows, oldest first.
var ReadFormats = []string{"3.0", "4.0", "4.1", "4.2", "4.3", "4.4", "4.5"}

// SourceInfo describes what Read found in a layer file: the format it was
// written in, the ATT&CK release it names, the fields no format of its
// version defines (kept in Extra and written back), and what Read changed or
// left out to make a valid 4.5 layer.
type SourceInfo struct {
	// Format is the layer format: versions.layer, the 3.0 "version" field,
	// or, when neither is given, a guess from the fields ("3.0" for a
	// "mitre-enterprise" domain, else "4.5").
	Format string
	// FormatGiven is false when Format is a guess.
	FormatGiven bool
	// Navigator is the versions.navigator value, "" when absent.
	Navigator string
	// Attack is the ATT&CK release of versions.attack ("8", "17.1"), ""
	// when the layer does not say.
	Attack string
	// Unknown lists the paths of fields no format defines
	// ("techniques[3].category"), kept and written back.
	Unknown []string
	// Notes say what Read changed to make a valid 4.5 layer (old domain
	// names, 3.0 stages, invalid values left out), one line each.
	Notes []string
}

// ReadOptions tune Read.
type ReadOptions struct {
	// Strict adds a warning for every unknown field.
	Strict bool
}

// ReadResult is the outcome of Read.
type ReadResult struct {
	Layers []*Layer
	// Warnings are one line each: what was changed or left out, and with
	// Strict, the unknown fields.
	Warnings []string
}

// ReadFile reads a layer file of any format Navigator reads (3.0, 4.0 to
// 4.5; see ReadFormats): one layer object or a list of them; a UTF-8 or
// UTF-16 (with byte order mark) file. Every layer is turned into a valid 4.5
// layer: versions.layer "4.5", versions.attack kept, old domain names
// ("mitre-enterprise") and fields ("version", filters.stages) replaced,
// invalid values left out with a note. Fields no format defines are kept in
// Extra and written back by Encode. Each layer's Source says what was read.
func Read(r io.Reader, o ReadOptions) (*ReadResult, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data, err = toUTF8(data)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("the file is empty; expected a Navigator layer (a JSON object) or a list of layers")
	}
	var raws []json.RawMessage
	switch data[0] {
	case '[':
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, fmt.Errorf("not a Navigator layer list: %w", err)
		}
		if len(raws) == 0 {
			return nil, errors.New("the layer list is empty")
		}
	case '{':
		raws = []json.RawMessage{data}
	default:
		return nil, errors.New("not a Navigator layer: expected a JSON object or a list of layer objects")
	}
	res := &ReadResult{}
	for i, raw := range raws {
		where := ""
		if len(raws) > 1 {
			where = fmt.Sprintf("layer %d: ", i+1)
		}
		l, err := readLayer(raw)
		if err != nil {
			return nil, fmt.Errorf("%s%w", where, err)
		}
		if err := l.Validate(nil); err != nil {
			return nil, fmt.Errorf("%s%w", where, err)
		}
		for _, n := range l.Source.Notes {
			res.Warnings = append(res.Warnings, where+n)
		}
		if o.Strict {
			for _, u := range unknownGroups(l.Source.Unknown) {
				res.Warnings = append(res.Warnings, fmt.Sprintf("%sunknown field %s: no layer format defines it; it is kept and written back, but Navigator ignores it and mitreattack-python refuses it", where, u))
			}
		}
		res.Layers = append(res.Layers, l)
	}
	return res, nil
}

var indexRe = regexp.MustCompile(`\[\d+\]`)

// unknownGroups names each unknown field once: "techniques[3].category",
// or "techniques[].category (in 120 entries, first techniques[0])" when
// several entries have it.
func unknownGroups(paths []string) []string {
	var order []string
	first := map[string]string{}
	count := map[string]int{}
	for _, p := range paths {
		k := indexRe.ReplaceAllString(p, "[]")
		if count[k] == 0 {
			order = append(order, k)
			first[k] = p
		}
		count[k]++
	}
	out := make([]string, len(order))
	for i, k := range order {
		if count[k] == 1 {
			out[i] = first[k]
		} else {
			out[i] = fmt.Sprintf("%s (in %d entries, first %s)", k, count[k], first[k])
		}
	}
	return out
}

// toUTF8 drops a UTF-8 byte order mark and decodes UTF-16 with one
// (mitreattack-python writes layers in UTF-16).
func toUTF8(b []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:], nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		le := b[0] == 0xFF
		b = b[2:]
		if len(b)%2 != 0 {
			return nil, errors.New("the file starts with a UTF-16 byte order mark but has an odd number of bytes")
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			if le {
				u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
			} else {
				u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
			}
		}
		return []byte(string(utf16.Decode(u))), nil
	}
	return b, nil
}

// reader collects the notes and unknown fields of one layer.
type reader struct {
	src *SourceInfo
}

func (r *reader) note(format string, args ...any) {
	r.src.Notes = append(r.src.Notes, fmt.Sprintf(format, args...))
}

// object splits a JSON object into its fields.
func object(raw json.RawMessage, where string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fmt.Errorf("%s is not a JSON object", where)
	}
	return m, nil
}

// take removes key from m and decodes it into v; false when absent or null.
// A value of the wrong type is a note and counts as absent.
func (r *reader) take(m map[string]json.RawMessage, key, where string, v any) bool {
	raw, ok := m[key]
	if !ok {
		return false
	}
	delete(m, key)
	if string(raw) == "null" {
		return false
	}
	if err := json.Unmarshal(raw, v); err != nil {
		r.note("%s%s is %s, not %s; left out", where, key, abbrev(raw), typeName(v))
		return false
	}
	return true
}

func typeName(v any) string {
	switch v.(type) {
	case *string:
		return "a string"
	case *bool:
		return "true or false"
	case *float64, *int:
		return "a number"
	case *[]string:
		return "a list of strings"
	}
	return "the expected type"
}

func abbrev(raw json.RawMessage) string {
	s := string(raw)
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

// rest keeps the fields left in m as unknown ones.
func (r *reader) rest(m map[string]json.RawMessage, where string) map[string]json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r.src.Unknown = append(r.src.Unknown, where+k)
	}
	return m
}

// oldDomains are the domain names of format 3.0 and earlier.
var oldDomains = map[string]string{
	"mitre-enterprise": "enterprise-attack",
	"mitre-mobile":     "mobile-attack",
	"mitre-ics":        "ics-attack",
}

func readLayer(raw json.RawMessage) (*Layer, error) {
	m, err := object(raw, "the layer")
	if err != nil {
		return nil, err
	}
	src := &SourceInfo{}
	r := &reader{src: src}
	l := &Layer{Source: src}

	// Versions: 4.x has a versions object, 3.0 and earlier a version string.
	var old string
	if r.take(m, "version", "", &old) {
		src.Format, src.FormatGiven = old, true
	}
	if raw, ok := m["versions"]; ok {
		delete(m, "versions")
		vm, err := object(raw, "versions")
		if err != nil {
			r.note("versions is not an object; left out")
		} else {
			var lv, nv string
			if r.take(vm, "layer", "versions.", &lv) {
				src.Format, src.FormatGiven = lv, true
			}
			if r.take(vm, "navigator", "versions.", &nv) {
				src.Navigator = nv
			}
			if a, ok := vm["attack"]; ok {
				delete(vm, "attack")
				src.Attack = releaseString(a)
			}
			l.Versions = &Versions{Extra: r.rest(vm, "versions.")}
		}
	}
	if !r.take(m, "name", "", &l.Name) || l.Name == "" {
		l.Name = "untitled layer"
		r.note("the layer has no name; named %q", l.Name)
	}
	var domain string
	if !r.take(m, "domain", "", &domain) || domain == "" {
		domain = "enterprise-attack"
		r.note("the layer has no domain; read as %s", domain)
	}
	if d, ok := oldDomains[strings.ToLower(domain)]; ok {
		if !src.FormatGiven {
			src.Format = "3.0"
		}
		domain = d
	}
	l.Domain = domain
	if src.Format == "" {
		src.Format = LayerVersion
	}
	if !oneOf(src.Format, ReadFormats) {
		r.note("layer format %q is not one huntlint knows (%s); read as %s", src.Format, strings.Join(ReadFormats, ", "), LayerVersion)
	}
	if l.Versions == nil {
		l.Versions = &Versions{}
	}
	l.Versions.Layer, l.Versions.Navigator = LayerVersion, NavigatorVersion
	if src.Attack != "" {
		l.Versions.Attack = ptr(src.Attack)
	}

	var s string
	if r.take(m, "description", "", &s) {
		l.Description = ptr(s)
	}
	if r.take(m, "customDataURL", "", &s) {
		l.CustomDataURL = ptr(s)
	}
	var n float64
	if r.take(m, "sorting", "", &n) {
		if n == float64(int(n)) && n >= 0 && n <= 3 {
			l.Sorting = ptr(int(n))
		} else {
			r.note("sorting %v is not 0, 1, 2 or 3; left out", n)
		}
	}
	var b bool
	for _, f := range []struct {
		key string
		dst **bool
	}{
		{"hideDisabled", &l.HideDisabled},
		{"showTacticRowBackground", &l.ShowTacticRowBackground},
		{"selectTechniquesAcrossTactics", &l.SelectTechniquesAcrossTactics},
		{"selectSubtechniquesWithParent", &l.SelectSubtechniquesWithParent},
		{"selectVisibleTechniques", &l.SelectVisibleTechniques},
	} {
		if r.take(m, f.key, "", &b) {
			*f.dst = ptr(b)
		}
	}
	if r.take(m, "tacticRowBackground", "", &s) {
		if hexColor.MatchString(s) {
			l.TacticRowBackground = ptr(s)
		} else {
			r.note("tacticRowBackground %q is not a hexadecimal colour; left out", s)
		}
	}
	if raw, ok := m["filters"]; ok {
		delete(m, "filters")
		l.Filters = r.filters(raw)
	}
	if raw, ok := m["layout"]; ok {
		delete(m, "layout")
		l.Layout = r.layout(raw)
	}
	if raw, ok := m["gradient"]; ok {
		delete(m, "gradient")
		l.Gradient = r.gradient(raw)
	}
	if raw, ok := m["legendItems"]; ok {
		delete(m, "legendItems")
		l.LegendItems = r.legend(raw)
	}
	if raw, ok := m["metadata"]; ok {
		delete(m, "metadata")
		l.Metadata = r.metadata(raw, "metadata")
	}
	if raw, ok := m["links"]; ok {
		delete(m, "links")
		l.Links = r.links(raw, "links")
	}
	if raw, ok := m["techniques"]; ok {
		delete(m, "techniques")
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, errors.New("techniques is not a list of technique objects")
		}
		l.Techniques = make([]Technique, 0, len(list))
		for i, tr := range list {
			if t, ok := r.technique(tr, fmt.Sprintf("techniques[%d]", i)); ok {
				l.Techniques = append(l.Techniques, t)
			}
		}
	}
	l.Extra = r.rest(m, "")
	return l, nil
}

// releaseString reads versions.attack, a string or (in some files) a number.
func releaseString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimPrefix(strings.TrimSpace(s), "v")
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return ""
}

func (r *reader) filters(raw json.RawMessage) *Filters {
	m, err := object(raw, "filters")
	if err != nil {
		r.note("filters is not an object; left out")
		return nil
	}
	f := &Filters{}
	var stages []string
	if r.take(m, "stages", "filters.", &stages) {
		r.note("filters.stages (format 3.0) is gone from format 4.0; left out")
	}
	var pl []string
	if r.take(m, "platforms", "filters.", &pl) {
		for _, p := range pl {
			if p = strings.TrimSpace(p); p != "" && !contains(f.Platforms, p) {
				f.Platforms = append(f.Platforms, p)
			}
		}
	}
	f.Extra = r.rest(m, "filters.")
	if len(f.Platforms) == 0 && len(f.Extra) == 0 {
		return nil
	}
	return f
}

func (r *reader) layout(raw json.RawMessage) *Layout {
	m, err := object(raw, "layout")
	if err != nil {
		r.note("layout is not an object; left out")
		return nil
	}
	lo := &Layout{}
	enum := func(key string, valid []string, dst **string) {
		var s string
		if r.take(m, key, "layout.", &s) {
			if oneOf(s, valid) {
				*dst = ptr(s)
			} else if oneOf(strings.ToLower(s), valid) {
				*dst = ptr(strings.ToLower(s))
			} else {
				r.note("layout.%s %q is not one of %s; left out", key, s, strings.Join(valid, ", "))
			}
		}
	}
	enum("layout", validLayouts, &lo.Layout)
	enum("aggregateFunction", validAggregate, &lo.AggregateFunction)
	enum("expandedSubtechniques", validExpanded, &lo.ExpandedSubtechniques)
	var b bool
	for _, f := range []struct {
		key string
		dst **bool
	}{
		{"showID", &lo.ShowID}, {"showName", &lo.ShowName},
		{"showAggregateScores", &lo.ShowAggregateScores}, {"countUnscored", &lo.CountUnscored},
	} {
		if r.take(m, f.key, "layout.", &b) {
			*f.dst = ptr(b)
		}
	}
	lo.Extra = r.rest(m, "layout.")
	return lo
}

func (r *reader) gradient(raw json.RawMessage) *Gradient {
	m, err := object(raw, "gradient")
	if err != nil {
		r.note("gradient is not an object; left out")
		return nil
	}
	g := &Gradient{}
	var colors []string
	var lo, hi float64
	okC := r.take(m, "colors", "gradient.", &colors)
	okLo := r.take(m, "minValue", "gradient.", &lo)
	okHi := r.take(m, "maxValue", "gradient.", &hi)
	for _, c := range colors {
		if hexColor.MatchString(c) {
			g.Colors = append(g.Colors, c)
		} else if len(c) == 9 && hexColor.MatchString(c[:7]) { // #rrggbbaa
			g.Colors = append(g.Colors, c[:7])
		}
	}
	g.MinValue, g.MaxValue = lo, hi
	g.Extra = r.rest(m, "gradient.")
	switch {
	case !okC || len(g.Colors) < 2:
		r.note("gradient has fewer than 2 hexadecimal colours; left out (Navigator's default gradient applies)")
		return nil
	case !okLo || !okHi || !(hi > lo):
		r.note("gradient needs minValue below maxValue (has %v and %v); left out (Navigator's default gradient applies)", lo, hi)
		return nil
	}
	if len(g.Colors) < len(colors) {
		r.note("gradient.colors: %d of %d colours are not hexadecimal colours; left out", len(colors)-len(g.Colors), len(colors))
	}
	return g
}

func (r *reader) legend(raw json.RawMessage) []LegendItem {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		r.note("legendItems is not a list; left out")
		return nil
	}
	var out []LegendItem
	for i, x := range list {
		where := fmt.Sprintf("legendItems[%d].", i)
		m, err := object(x, where)
		if err != nil {
			r.note("%s is not an object; left out", strings.TrimSuffix(where, "."))
			continue
		}
		var it LegendItem
		r.take(m, "label", where, &it.Label)
		r.take(m, "color", where, &it.Color)
		if it.Label == "" || !hexColor.MatchString(it.Color) {
			r.note("%s needs a label and a hexadecimal colour; left out", strings.TrimSuffix(where, "."))
			continue
		}
		r.dropped(m, where)
		out = append(out, it)
	}
	return out
}

// dropped notes fields of objects whose unknown fields are not kept
// (legend items, metadata, links).
func (r *reader) dropped(m map[string]json.RawMessage, where string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r.note("%s%s is not a field of its object; left out", where, k)
	}
}

func (r *reader) metadata(raw json.RawMessage, where string) []Metadata {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		r.note("%s is not a list; left out", where)
		return nil
	}
	var out []Metadata
	for i, x := range list {
		w := fmt.Sprintf("%s[%d]", where, i)
		m, err := object(x, w)
		if err != nil {
			r.note("%s is not an object; left out", w)
			continue
		}
		if d, ok := m["divider"]; ok {
			delete(m, "divider")
			if string(d) == "true" {
				delete(m, "name")
				delete(m, "value")
				r.dropped(m, w+".")
				out = append(out, Metadata{Divider: true})
			}
			continue
		}
		var md Metadata
		r.take(m, "name", w+".", &md.Name)
		if v, ok := m["value"]; ok {
			delete(m, "value")
			md.Value = scalarString(v)
		}
		if md.Name == "DIVIDER" { // mitreattack-python's divider
			out = append(out, Metadata{Divider: true})
			continue
		}
		if md.Name == "" {
			r.note("%s has no name; left out", w)
			continue
		}
		r.dropped(m, w+".")
		out = append(out, md)
	}
	return out
}

// scalarString reads a metadata value: a string, or a number or boolean
// written as text.
func scalarString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}

func (r *reader) links(raw json.RawMessage, where string) []Link {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		r.note("%s is not a list; left out", where)
		return nil
	}
	var out []Link
	for i, x := range list {
		w := fmt.Sprintf("%s[%d]", where, i)
		m, err := object(x, w)
		if err != nil {
			r.note("%s is not an object; left out", w)
			continue
		}
		if d, ok := m["divider"]; ok {
			delete(m, "divider")
			if string(d) == "true" {
				r.dropped(m, w+".")
				out = append(out, Link{Divider: true})
			}
			continue
		}
		var k Link
		r.take(m, "label", w+".", &k.Label)
		r.take(m, "url", w+".", &k.URL)
		if !urlProtocolRe.MatchString(k.URL) {
			r.note("%s url %q does not start with a protocol such as \"https://\"; left out", w, k.URL)
			continue
		}
		if k.Label == "" {
			k.Label = k.URL
		}
		r.dropped(m, w+".")
		out = append(out, k)
	}
	return out
}

// tacticShortname turns "Defense Evasion" or "defense_evasion" into
// "defense-evasion"; tactic IDs and other values come back as given.
func tacticShortname(s string) string {
	s = strings.TrimSpace(s)
	if tacticNameRe.MatchString(s) {
		return s
	}
	t := strings.ToLower(strings.NewReplacer(" ", "-", "_", "-").Replace(s))
	if tacticNameRe.MatchString(t) {
		return t
	}
	return s
}

func (r *reader) technique(raw json.RawMessage, where string) (Technique, bool) {
	var t Technique
	m, err := object(raw, where)
	if err != nil {
		r.note("%s is not an object; left out", where)
		return t, false
	}
	w := where + "."
	var id string
	if !r.take(m, "techniqueID", w, &id) || id == "" {
		r.note("%s has no techniqueID; left out", where)
		return t, false
	}
	id = strings.ToUpper(strings.TrimSpace(id))
	if !techniqueID(id) {
		r.note("%s.techniqueID %q is not a technique ID (\"T####\" or \"T####.###\"); left out", where, id)
		return t, false
	}
	t.TechniqueID = id
	var s string
	if r.take(m, "tactic", w, &s) && s != "" {
		s = tacticShortname(s)
		if tacticNameRe.MatchString(s) {
			t.Tactic = ptr(s)
		} else {
			r.note("%s.tactic %q is not a tactic shortname; the annotation applies to every tactic of %s", where, s, id)
		}
	}
	if r.take(m, "comment", w, &s) {
		t.Comment = ptr(s)
	}
	var b bool
	if r.take(m, "enabled", w, &b) {
		t.Enabled = ptr(b)
	}
	if raw, ok := m["score"]; ok {
		delete(m, "score")
		if f, ok := scoreValue(raw); ok {
			t.Score = ptr(f)
		} else if string(raw) != "null" && string(raw) != `""` {
			r.note("%s.score %s is not a number; left out", where, abbrev(raw))
		}
	}
	if r.take(m, "color", w, &s) {
		if s == "" || hexColor.MatchString(s) {
			t.Color = ptr(s)
		} else {
			r.note("%s.color %q is not a hexadecimal colour; left out", where, s)
		}
	}
	if raw, ok := m["metadata"]; ok {
		delete(m, "metadata")
		t.Metadata = r.metadata(raw, where+".metadata")
	}
	if raw, ok := m["links"]; ok {
		delete(m, "links")
		t.Links = r.links(raw, where+".links")
	}
	if r.take(m, "showSubtechniques", w, &b) {
		if b && strings.Contains(id, ".") {
			r.note("%s.showSubtechniques is set on sub-technique %s; left out", where, id)
		} else {
			t.ShowSubtechniques = ptr(b)
		}
	}
	t.Extra = r.rest(m, w)
	return t, true
}

// scoreValue reads a score: a number, or a number written as a string.
func scoreValue(raw json.RawMessage) (float64, bool) {
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return f, true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return f, true
		}
	}
	return 0, false
}
