package sigmatest

import (
	_ "embed"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/bradleyjkemp/sigma-go"
	"gopkg.in/yaml.v3"
)

// LogsourceMap turns a rule's logsource into event conditions and field
// mappings. It reads the format of SigmaHQ's tests/thor.yml:
//
//	logsources:
//	  process_creation_2:          # any name
//	    category: process_creation # matched against the rule's logsource;
//	    product: windows           # a key left out matches anything
//	    conditions:                # fields the event must have (a list: any value)
//	      EventID: 4688
//	    rewrite:                   # the logsource this entry turns the rule into,
//	      product: windows         # whose entry's sources apply too
//	      service: security
//	    fieldmappings:             # rule field → event field (or a list of them)
//	      Image: NewProcessName
//	  windows-security:
//	    product: windows
//	    service: security
//	    sources:
//	      - 'WinEventLog:Security' # the event's Channel must be one of these
//	fieldmappings:                 # optional: mappings for every logsource
//	  ...
//
// Every entry whose category, product and service (those it names) equal
// the rule's is one alternative way an event can come from that logsource:
// an event belongs to the rule's logsource when it meets the conditions of
// any one of them. An entry's sources of the form WinEventLog:CHANNEL, its
// own or those of the entry its rewrite names, require the event's Channel
// field to be one of those channels when the event has a Channel field.
// Other sources (File:…) name no event condition.
type LogsourceMap struct {
	Name    string // file name or "built-in"
	Entries []LogsourceEntry
	// FieldMappings apply to every logsource.
	FieldMappings map[string][]string
}

// LogsourceEntry is one entry of a mapping file.
type LogsourceEntry struct {
	Name          string
	Category      string
	Product       string
	Service       string
	Conditions    []Condition
	Rewrite       sigma.Logsource
	FieldMappings map[string][]string
	Sources       []string
	Line          int
}

// Condition is one field an event must have, with any of Values.
type Condition struct {
	Field  string
	Values []string
}

// Variant is one way an event can come from a rule's logsource.
type Variant struct {
	Entry         string      // the mapping entry's name, "" when none matched
	Conditions    []Condition // all must hold
	Channels      []string    // the event's Channel, when present, must be one of these
	FieldMappings map[string][]string
}

//go:embed logsources.yml
var defaultMapYAML []byte

// DefaultMap is the built-in mapping of the common Windows, Linux and cloud
// logsources (sigmatest/logsources.yml, documented in docs/test.md).
func DefaultMap() *LogsourceMap {
	m, err := ParseLogsourceMap("built-in", defaultMapYAML)
	if err != nil {
		panic("sigmatest: the built-in logsource map does not parse: " + err.Error())
	}
	return m
}

// NoMap is the empty map: no event conditions, no field mappings
// (--logsource-map none).
func NoMap() *LogsourceMap { return &LogsourceMap{Name: "none"} }

// LoadLogsourceMap reads a mapping file.
func LoadLogsourceMap(path string) (*LogsourceMap, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("logsource map: %w", err)
	}
	return ParseLogsourceMap(path, data)
}

type rawMap struct {
	Logsources    yaml.Node            `yaml:"logsources"`
	FieldMappings map[string]yaml.Node `yaml:"fieldmappings"`
}

type rawEntry struct {
	Category      string               `yaml:"category"`
	Product       string               `yaml:"product"`
	Service       string               `yaml:"service"`
	Conditions    yaml.Node            `yaml:"conditions"`
	Rewrite       sigma.Logsource      `yaml:"rewrite"`
	FieldMappings map[string]yaml.Node `yaml:"fieldmappings"`
	Sources       []string             `yaml:"sources"`
}

// ParseLogsourceMap parses a mapping file's bytes; name is used in errors.
func ParseLogsourceMap(name string, data []byte) (*LogsourceMap, error) {
	var raw rawMap
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("logsource map %s: %v", name, err)
	}
	m := &LogsourceMap{Name: name}
	var err error
	if m.FieldMappings, err = fieldMappings(name, raw.FieldMappings); err != nil {
		return nil, err
	}
	ls := &raw.Logsources
	if ls.Kind == 0 {
		return nil, fmt.Errorf("logsource map %s: no logsources block: the file must have the form of SigmaHQ's tests/thor.yml (see docs/test.md)", name)
	}
	if ls.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("logsource map %s: line %d: logsources must be a mapping of entry names to entries", name, ls.Line)
	}
	for i := 0; i+1 < len(ls.Content); i += 2 {
		k, v := ls.Content[i], ls.Content[i+1]
		var re rawEntry
		if err := v.Decode(&re); err != nil {
			return nil, fmt.Errorf("logsource map %s: line %d: entry %s: %v", name, k.Line, k.Value, err)
		}
		e := LogsourceEntry{Name: k.Value, Category: re.Category, Product: re.Product, Service: re.Service,
			Rewrite: re.Rewrite, Sources: re.Sources, Line: k.Line}
		if e.FieldMappings, err = fieldMappings(name, re.FieldMappings); err != nil {
			return nil, err
		}
		if e.Conditions, err = conditions(name, k.Value, &re.Conditions); err != nil {
			return nil, err
		}
		m.Entries = append(m.Entries, e)
	}
	return m, nil
}

func fieldMappings(name string, raw map[string]yaml.Node) (map[string][]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	out := map[string][]string{}
	for k, n := range raw {
		switch n.Kind {
		case yaml.ScalarNode:
			out[k] = []string{n.Value}
		case yaml.SequenceNode:
			var l []string
			if err := n.Decode(&l); err != nil {
				return nil, fmt.Errorf("logsource map %s: line %d: fieldmappings %s: %v", name, n.Line, k, err)
			}
			out[k] = l
		default:
			return nil, fmt.Errorf("logsource map %s: line %d: fieldmappings %s must name a field or a list of fields", name, n.Line, k)
		}
	}
	return out, nil
}

func conditions(name, entry string, n *yaml.Node) ([]Condition, error) {
	if n.Kind == 0 {
		return nil, nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("logsource map %s: line %d: entry %s: conditions must map field names to values", name, n.Line, entry)
	}
	var out []Condition
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		c := Condition{Field: k.Value}
		switch v.Kind {
		case yaml.ScalarNode:
			if v.Tag == "!!null" {
				// "EventID:" with nothing after it names no value: the
				// field is left free.
				continue
			}
			c.Values = []string{v.Value}
		case yaml.SequenceNode:
			for _, item := range v.Content {
				if item.Kind != yaml.ScalarNode {
					return nil, fmt.Errorf("logsource map %s: line %d: entry %s: condition %s: a value must be a scalar", name, item.Line, entry, k.Value)
				}
				c.Values = append(c.Values, item.Value)
			}
		default:
			return nil, fmt.Errorf("logsource map %s: line %d: entry %s: condition %s must be a value or a list of values", name, v.Line, entry, k.Value)
		}
		out = append(out, c)
	}
	return out, nil
}

func (e *LogsourceEntry) matches(category, product, service string) bool {
	return (e.Category == "" || e.Category == category) &&
		(e.Product == "" || e.Product == product) &&
		(e.Service == "" || e.Service == service) &&
		(e.Category != "" || e.Product != "" || e.Service != "")
}

// Resolve gives the variants of a logsource: one per matching entry that
// names conditions or field mappings; else one whose channels come from the
// matching entries' sources; else one variant with no condition.
func (m *LogsourceMap) Resolve(category, product, service string) []Variant {
	var out []Variant
	var channels, sourceEntries []string
	for i := range m.Entries {
		e := &m.Entries[i]
		if !e.matches(category, product, service) {
			continue
		}
		if len(e.Conditions) == 0 && len(e.FieldMappings) == 0 {
			channels = append(channels, winChannels(e.Sources)...)
			sourceEntries = append(sourceEntries, e.Name)
			continue
		}
		v := Variant{Entry: e.Name, Conditions: e.Conditions, FieldMappings: mergeMappings(m.FieldMappings, e.FieldMappings)}
		v.Channels = winChannels(e.Sources)
		if e.Rewrite.Category != "" || e.Rewrite.Product != "" || e.Rewrite.Service != "" {
			rc, rp, rs := category, product, service
			if e.Rewrite.Category != "" {
				rc = e.Rewrite.Category
			}
			if e.Rewrite.Product != "" {
				rp = e.Rewrite.Product
			}
			if e.Rewrite.Service != "" {
				rs = e.Rewrite.Service
			}
			for j := range m.Entries {
				t := &m.Entries[j]
				if j != i && len(t.Conditions) == 0 && t.matches(rc, rp, rs) {
					v.Channels = append(v.Channels, winChannels(t.Sources)...)
				}
			}
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		out = append(out, Variant{Entry: strings.Join(sourceEntries, ", "), Channels: channels, FieldMappings: mergeMappings(m.FieldMappings, nil)})
	}
	for i := range out {
		out[i].Channels = dedupe(out[i].Channels)
	}
	return out
}

func mergeMappings(global, own map[string][]string) map[string][]string {
	if len(global) == 0 && len(own) == 0 {
		return nil
	}
	out := map[string][]string{}
	for k, v := range global {
		out[k] = v
	}
	for k, v := range own {
		out[k] = v
	}
	return out
}

func winChannels(sources []string) []string {
	var out []string
	for _, s := range sources {
		if c, ok := strings.CutPrefix(s, "WinEventLog:"); ok && c != "" {
			out = append(out, c)
		}
	}
	return out
}

func dedupe(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range l {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// String gives a variant as one line, for goldens and verbose output.
func (v Variant) String() string {
	var parts []string
	if v.Entry != "" {
		parts = append(parts, "entry "+v.Entry)
	} else {
		parts = append(parts, "no entry")
	}
	for _, c := range v.Conditions {
		parts = append(parts, c.Field+" in ["+strings.Join(c.Values, ", ")+"]")
	}
	if len(v.Channels) > 0 {
		parts = append(parts, "Channel in ["+strings.Join(v.Channels, ", ")+"]")
	}
	if len(v.FieldMappings) > 0 {
		ks := make([]string, 0, len(v.FieldMappings))
		for k := range v.FieldMappings {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		var fm []string
		for _, k := range ks {
			fm = append(fm, k+"->"+strings.Join(v.FieldMappings[k], "|"))
		}
		parts = append(parts, "fields "+strings.Join(fm, ", "))
	}
	return strings.Join(parts, "; ")
}

// holds reports whether ev meets the variant's conditions and channels.
// Values compare as Sigma compares plain values: whole, case-insensitive.
func (v Variant) holds(ev Event) bool {
	for _, c := range v.Conditions {
		if !anyEqual(ev[c.Field], c.Values) {
			return false
		}
	}
	if len(v.Channels) > 0 {
		if ch, ok := ev["Channel"]; ok && ch != nil && !anyEqual(ch, v.Channels) {
			return false
		}
	}
	return true
}

func anyEqual(actual any, values []string) bool {
	switch a := actual.(type) {
	case string:
		for _, v := range values {
			if strings.EqualFold(a, v) {
				return true
			}
		}
	case []any:
		for _, x := range a {
			if anyEqual(x, values) {
				return true
			}
		}
	}
	return false
}
