package layer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/huntlint/huntlint/mapper/attackid"
)

// LayerVersion is the ATT&CK Navigator layer format this package writes and
// validates.
const LayerVersion = "4.5"

// NavigatorVersion is the Navigator release written into versions.navigator;
// format 4.5 requires at least 4.9.0.
const NavigatorVersion = "5.2.0"

// Layer is one ATT&CK Navigator layer in format 4.5. Optional fields are
// pointers or omitted when empty so that a decoded layer encodes back to the
// same JSON (no defaults are filled in).
type Layer struct {
	Name                          string       `json:"name"`
	Versions                      *Versions    `json:"versions,omitempty"`
	Domain                        string       `json:"domain"`
	Description                   *string      `json:"description,omitempty"`
	CustomDataURL                 *string      `json:"customDataURL,omitempty"`
	Filters                       *Filters     `json:"filters,omitempty"`
	Sorting                       *int         `json:"sorting,omitempty"`
	Layout                        *Layout      `json:"layout,omitempty"`
	HideDisabled                  *bool        `json:"hideDisabled,omitempty"`
	Techniques                    []Technique  `json:"techniques,omitempty"`
	Gradient                      *Gradient    `json:"gradient,omitempty"`
	LegendItems                   []LegendItem `json:"legendItems,omitempty"`
	ShowTacticRowBackground       *bool        `json:"showTacticRowBackground,omitempty"`
	TacticRowBackground           *string      `json:"tacticRowBackground,omitempty"`
	SelectTechniquesAcrossTactics *bool        `json:"selectTechniquesAcrossTactics,omitempty"`
	SelectSubtechniquesWithParent *bool        `json:"selectSubtechniquesWithParent,omitempty"`
	SelectVisibleTechniques       *bool        `json:"selectVisibleTechniques,omitempty"`
	Metadata                      []Metadata   `json:"metadata,omitempty"`
	Links                         []Link       `json:"links,omitempty"`

	// Extra holds fields the format does not define, read by Read and
	// written back after the known ones.
	Extra map[string]json.RawMessage `json:"-"`
	// Source describes the file the layer was read from (Read); nil for
	// layers built here.
	Source *SourceInfo `json:"-"`
}

// Versions is the layer's version object.
type Versions struct {
	Attack    *string `json:"attack,omitempty"`
	Navigator string  `json:"navigator"`
	Layer     string  `json:"layer"`

	Extra map[string]json.RawMessage `json:"-"` // unknown fields, kept
}

// Filters is the layer's filter object.
type Filters struct {
	Platforms []string `json:"platforms,omitempty"`

	Extra map[string]json.RawMessage `json:"-"` // unknown fields, kept
}

// Layout is the layer's layout object.
type Layout struct {
	Layout                *string `json:"layout,omitempty"`
	ShowID                *bool   `json:"showID,omitempty"`
	ShowName              *bool   `json:"showName,omitempty"`
	ShowAggregateScores   *bool   `json:"showAggregateScores,omitempty"`
	CountUnscored         *bool   `json:"countUnscored,omitempty"`
	AggregateFunction     *string `json:"aggregateFunction,omitempty"`
	ExpandedSubtechniques *string `json:"expandedSubtechniques,omitempty"`

	Extra map[string]json.RawMessage `json:"-"` // unknown fields, kept
}

// Technique is one technique or sub-technique annotation, optionally bound
// to one tactic.
type Technique struct {
	TechniqueID       string     `json:"techniqueID"`
	Tactic            *string    `json:"tactic,omitempty"`
	Comment           *string    `json:"comment,omitempty"`
	Enabled           *bool      `json:"enabled,omitempty"`
	Score             *float64   `json:"score,omitempty"`
	Color             *string    `json:"color,omitempty"`
	Metadata          []Metadata `json:"metadata,omitempty"`
	Links             []Link     `json:"links,omitempty"`
	ShowSubtechniques *bool      `json:"showSubtechniques,omitempty"`

	Extra map[string]json.RawMessage `json:"-"` // unknown fields, kept
}

// Gradient is the colour scale for scores.
type Gradient struct {
	Colors   []string `json:"colors"`
	MinValue float64  `json:"minValue"`
	MaxValue float64  `json:"maxValue"`

	Extra map[string]json.RawMessage `json:"-"` // unknown fields, kept
}

// LegendItem is one legend entry.
type LegendItem struct {
	Label string `json:"label"`
	Color string `json:"color"`
}

// Metadata is a name/value pair, or a divider when Divider is set.
type Metadata struct {
	Name    string
	Value   string
	Divider bool
}

// Link is a labelled URL, or a divider when Divider is set.
type Link struct {
	Label   string
	URL     string
	Divider bool
}

// MarshalJSON writes {"divider":true} or {"name":…,"value":…}.
func (m Metadata) MarshalJSON() ([]byte, error) {
	if m.Divider {
		return []byte(`{"divider":true}`), nil
	}
	return json.Marshal(struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}{m.Name, m.Value})
}

// UnmarshalJSON reads a metadata or divider object strictly.
func (m *Metadata) UnmarshalJSON(b []byte) error {
	var v struct {
		Name    *string `json:"name"`
		Value   *string `json:"value"`
		Divider *bool   `json:"divider"`
	}
	if err := strictUnmarshal(b, &v); err != nil {
		return err
	}
	switch {
	case v.Divider != nil:
		if v.Name != nil || v.Value != nil {
			return errors.New("a divider object has only the field \"divider\"")
		}
		if !*v.Divider {
			return errors.New("\"divider\" must be true")
		}
		*m = Metadata{Divider: true}
	case v.Name == nil || v.Value == nil:
		return errors.New("a metadata object needs \"name\" and \"value\"")
	default:
		*m = Metadata{Name: *v.Name, Value: *v.Value}
	}
	return nil
}

// MarshalJSON writes {"divider":true} or {"label":…,"url":…}.
func (l Link) MarshalJSON() ([]byte, error) {
	if l.Divider {
		return []byte(`{"divider":true}`), nil
	}
	return json.Marshal(struct {
		Label string `json:"label"`
		URL   string `json:"url"`
	}{l.Label, l.URL})
}

// UnmarshalJSON reads a link or divider object strictly.
func (l *Link) UnmarshalJSON(b []byte) error {
	var v struct {
		Label   *string `json:"label"`
		URL     *string `json:"url"`
		Divider *bool   `json:"divider"`
	}
	if err := strictUnmarshal(b, &v); err != nil {
		return err
	}
	switch {
	case v.Divider != nil:
		if v.Label != nil || v.URL != nil {
			return errors.New("a divider object has only the field \"divider\"")
		}
		if !*v.Divider {
			return errors.New("\"divider\" must be true")
		}
		*l = Link{Divider: true}
	case v.Label == nil || v.URL == nil:
		return errors.New("a link object needs \"label\" and \"url\"")
	default:
		*l = Link{Label: *v.Label, URL: *v.URL}
	}
	return nil
}

func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// Decode reads a layer file: one layer object or a list of layers (format
// 4.5 allows both). Unknown fields are errors, and every layer is validated
// with Validate; platforms are checked when platforms is not nil.
func Decode(r io.Reader, platforms func(domain string) []string) ([]*Layer, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	var layers []*Layer
	if len(data) > 0 && data[0] == '[' {
		if err := strictUnmarshal(data, &layers); err != nil {
			return nil, fmt.Errorf("not a Navigator layer list: %w", err)
		}
	} else {
		var l Layer
		if err := strictUnmarshal(data, &l); err != nil {
			return nil, fmt.Errorf("not a Navigator layer: %w", err)
		}
		layers = []*Layer{&l}
	}
	if len(layers) == 0 {
		return nil, errors.New("the layer list is empty")
	}
	for i, l := range layers {
		var pl []string
		if platforms != nil {
			pl = platforms(l.Domain)
		}
		if err := l.Validate(pl); err != nil {
			if len(layers) > 1 {
				return nil, fmt.Errorf("layer %d: %w", i+1, err)
			}
			return nil, err
		}
	}
	return layers, nil
}

// Encode writes layers as indented JSON: one object for one layer, a list
// for several.
func Encode(w io.Writer, layers []*Layer) error {
	var v any = layers
	if len(layers) == 1 {
		v = layers[0]
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// techniqueID reports whether s is a technique ID as Navigator writes it:
// "T####" or "T####.###", upper case, nothing around it.
func techniqueID(s string) bool {
	id, ok := attackid.Exact(s)
	return ok && id.Kind == attackid.Technique && strings.ToUpper(s) == s
}

var (
	hexColor       = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
	tacticNameRe   = regexp.MustCompile(`^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$`)
	navigatorRe    = regexp.MustCompile(`^(\d+)\.(\d+)(?:\.(\d+))?$`)
	urlProtocolRe  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*://`)
	validDomains   = []string{"enterprise-attack", "mobile-attack", "ics-attack"}
	validLayouts   = []string{"side", "flat", "mini"}
	validAggregate = []string{"average", "min", "max", "sum"}
	validExpanded  = []string{"none", "all", "annotated"}
)

// ValidationError lists every problem found in one layer.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	return "invalid Navigator 4.5 layer: " + strings.Join(e.Problems, "; ")
}

// Validate checks l against the Navigator layer format 4.5: required fields,
// enumerations, colours, gradient bounds, link protocols, technique ID
// shapes and, when platforms is not nil, the filter platforms.
func (l *Layer) Validate(platforms []string) error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if l.Name == "" {
		bad("\"name\" is required")
	}
	if !oneOf(l.Domain, validDomains) {
		bad("\"domain\" is %q; expected one of %s", l.Domain, strings.Join(validDomains, ", "))
	}
	if v := l.Versions; v != nil {
		if v.Layer != LayerVersion {
			bad("versions.layer is %q; expected %q", v.Layer, LayerVersion)
		}
		if !navigatorAtLeast(v.Navigator, 4, 9, 0) {
			bad("versions.navigator is %q; expected a version of at least \"4.9.0\"", v.Navigator)
		}
		if v.Attack != nil && *v.Attack == "" {
			bad("versions.attack is empty; give the ATT&CK release or leave it out")
		}
	}
	if l.Sorting != nil && (*l.Sorting < 0 || *l.Sorting > 3) {
		bad("\"sorting\" is %d; expected 0, 1, 2 or 3", *l.Sorting)
	}
	if f := l.Filters; f != nil && platforms != nil {
		for _, pl := range f.Platforms {
			if !oneOf(pl, platforms) {
				bad("filters.platforms has %q, which is not a platform of %s", pl, l.Domain)
			}
		}
	}
	if lo := l.Layout; lo != nil {
		if lo.Layout != nil && !oneOf(*lo.Layout, validLayouts) {
			bad("layout.layout is %q; expected one of %s", *lo.Layout, strings.Join(validLayouts, ", "))
		}
		if lo.AggregateFunction != nil && !oneOf(*lo.AggregateFunction, validAggregate) {
			bad("layout.aggregateFunction is %q; expected one of %s", *lo.AggregateFunction, strings.Join(validAggregate, ", "))
		}
		if lo.ExpandedSubtechniques != nil && !oneOf(*lo.ExpandedSubtechniques, validExpanded) {
			bad("layout.expandedSubtechniques is %q; expected one of %s", *lo.ExpandedSubtechniques, strings.Join(validExpanded, ", "))
		}
	}
	if g := l.Gradient; g != nil {
		if len(g.Colors) < 2 {
			bad("gradient.colors has %d colours; expected at least 2", len(g.Colors))
		}
		for _, c := range g.Colors {
			if !hexColor.MatchString(c) {
				bad("gradient.colors has %q; expected a hexadecimal colour like \"#66b1ff\"", c)
			}
		}
		if !(g.MaxValue > g.MinValue) {
			bad("gradient.maxValue %v is not greater than minValue %v", g.MaxValue, g.MinValue)
		}
	}
	for i, it := range l.LegendItems {
		if it.Label == "" {
			bad("legendItems[%d].label is required", i)
		}
		if !hexColor.MatchString(it.Color) {
			bad("legendItems[%d].color is %q; expected a hexadecimal colour", i, it.Color)
		}
	}
	if l.TacticRowBackground != nil && !hexColor.MatchString(*l.TacticRowBackground) {
		bad("\"tacticRowBackground\" is %q; expected a hexadecimal colour", *l.TacticRowBackground)
	}
	checkMeta := func(where string, ms []Metadata) {
		for i, m := range ms {
			if !m.Divider && m.Name == "" {
				bad("%s.metadata[%d].name is required", where, i)
			}
		}
	}
	checkLinks := func(where string, ls []Link) {
		for i, k := range ls {
			if k.Divider {
				continue
			}
			if k.Label == "" {
				bad("%s.links[%d].label is required", where, i)
			}
			if !urlProtocolRe.MatchString(k.URL) {
				bad("%s.links[%d].url is %q; a URL must start with a protocol such as \"https://\"", where, i, k.URL)
			}
		}
	}
	checkMeta("layer", l.Metadata)
	checkLinks("layer", l.Links)
	for i, t := range l.Techniques {
		where := fmt.Sprintf("techniques[%d]", i)
		if !techniqueID(t.TechniqueID) {
			bad("%s.techniqueID is %q; expected \"T####\" or \"T####.###\"", where, t.TechniqueID)
		}
		if t.Tactic != nil && !tacticNameRe.MatchString(*t.Tactic) {
			bad("%s.tactic is %q; expected a tactic shortname like \"lateral-movement\"", where, *t.Tactic)
		}
		if t.Color != nil && *t.Color != "" && !hexColor.MatchString(*t.Color) {
			bad("%s.color is %q; expected a hexadecimal colour", where, *t.Color)
		}
		if t.ShowSubtechniques != nil && *t.ShowSubtechniques && strings.Contains(t.TechniqueID, ".") {
			bad("%s.showSubtechniques is set on sub-technique %q; it is valid only on a technique with sub-techniques", where, t.TechniqueID)
		}
		checkMeta(where, t.Metadata)
		checkLinks(where, t.Links)
	}
	if len(p) > 0 {
		return &ValidationError{Problems: p}
	}
	return nil
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

func navigatorAtLeast(v string, major, minor, patch int) bool {
	m := navigatorRe.FindStringSubmatch(v)
	if m == nil {
		return false
	}
	var got [3]int
	for i := 0; i < 3; i++ {
		if m[i+1] != "" {
			fmt.Sscan(m[i+1], &got[i])
		}
	}
	want := [3]int{major, minor, patch}
	for i := range got {
		if got[i] != want[i] {
			return got[i] > want[i]
		}
	}
	return true
}
