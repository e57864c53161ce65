package suggest

import (
	_ "embed"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed kb.yaml
var kbYAML []byte

// defaultWeight is the weight of a knowledge-base entry that names none.
const defaultWeight = 0.6

// kbEntry is one fact of the knowledge base: observing any of its indicators
// points to Technique with confidence Weight.
type kbEntry struct {
	Technique  string   `yaml:"technique"`
	Weight     float64  `yaml:"weight"`
	Process    []string `yaml:"process"`    // binary names, lower case: "rundll32.exe"
	Cmdline    []string `yaml:"cmdline"`    // command-line fragments, lower case
	Registry   []string `yaml:"registry"`   // registry path fragments, lower case, single backslashes
	EventID    []string `yaml:"eventid"`    // Windows event IDs (Security, System, PowerShell …)
	Sysmon     []string `yaml:"sysmon"`     // Sysmon event IDs, matched on Sysmon rules only
	Table      []string `yaml:"table"`      // KQL tables, as spelled in Sentinel / Defender
	ActionType []string `yaml:"actiontype"` // Defender ActionType values and other event names
	Logsource  []string `yaml:"logsource"`  // Sigma logsource "category:x", "service:x", "product:x"
	Line       int      `yaml:"-"`

	actionShown []string // ActionType values as written, for evidence
}

// kb is the parsed knowledge base.
type kb struct {
	entries []*kbEntry
}

// parseKB reads a knowledge base; errors name the line.
func parseKB(data []byte) (*kb, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("knowledge base: expected a list of entries")
	}
	k := &kb{}
	for _, n := range doc.Content[0].Content {
		var e kbEntry
		if err := n.Decode(&e); err != nil {
			return nil, fmt.Errorf("knowledge base line %d: %w", n.Line, err)
		}
		if n.Kind == yaml.MappingNode {
			for i := 0; i < len(n.Content); i += 2 {
				switch n.Content[i].Value {
				case "technique", "weight", "process", "cmdline", "registry", "eventid", "sysmon", "table", "actiontype", "logsource":
				default:
					return nil, fmt.Errorf("knowledge base line %d: unknown key %q", n.Content[i].Line, n.Content[i].Value)
				}
			}
		}
		e.Line = n.Line
		if e.Technique == "" {
			return nil, fmt.Errorf("knowledge base line %d: entry without technique", n.Line)
		}
		if e.Weight == 0 {
			e.Weight = defaultWeight
		}
		if e.Weight < 0 || e.Weight > 1 {
			return nil, fmt.Errorf("knowledge base line %d: weight %v is outside [0,1]", n.Line, e.Weight)
		}
		e.Technique = strings.ToUpper(e.Technique)
		e.actionShown = append([]string(nil), e.ActionType...)
		for _, l := range [][]string{e.Process, e.Cmdline, e.Registry, e.ActionType, e.Logsource} {
			for i := range l {
				l[i] = strings.ToLower(l[i])
			}
		}
		for i := range e.Registry {
			e.Registry[i] = normRegistry(e.Registry[i])
		}
		k.entries = append(k.entries, &e)
	}
	return k, nil
}

// normRegistry lower-cases a registry path and collapses doubled backslashes.
func normRegistry(s string) string {
	s = strings.ToLower(s)
	for strings.Contains(s, `\\`) {
		s = strings.ReplaceAll(s, `\\`, `\`)
	}
	return s
}

// kbHit is the knowledge-base evidence for one technique.
type kbHit struct {
	score    float64
	evidence []string
	weights  []float64 // the entry weight behind each evidence string
}

// rescore recomputes h.score from its weights, each replaced by cal when
// cal knows the evidence better.
func (h *kbHit) rescore(tech string, cal *calibration) {
	rest := 1.0
	for i, ev := range h.evidence {
		rest *= 1 - cal.weight(tech, ev, h.weights[i])
	}
	h.score = 1 - rest
}

// match returns the techniques the rule's observables point to.
func (k *kb) match(f *features) map[string]*kbHit {
	out := map[string]*kbHit{}
	// One string of all values separated by NUL, so that each fragment is
	// one search; a fragment never spans two values.
	all := strings.Join(f.values, "\x00")
	var reg string
	hit := func(e *kbEntry, ev string) {
		h := out[e.Technique]
		if h == nil {
			h = &kbHit{}
			out[e.Technique] = h
		}
		for _, x := range h.evidence {
			if x == ev {
				return
			}
		}
		h.evidence = append(h.evidence, ev)
		h.weights = append(h.weights, e.Weight)
		h.score = 1 - (1-h.score)*(1-e.Weight)
	}
	for _, e := range k.entries {
		for _, p := range e.Process {
			if _, ok := f.files[p]; ok {
				hit(e, "process "+quote(p))
			}
		}
		for _, c := range e.Cmdline {
			if strings.Contains(all, c) {
				hit(e, "command line "+quote(c))
			}
		}
		if len(e.Registry) > 0 && reg == "" {
			reg = normRegistry(all)
		}
		for _, r := range e.Registry {
			if strings.Contains(reg, r) {
				hit(e, "registry "+quote(r))
			}
		}
		for _, id := range e.EventID {
			if f.eventIDs[id] {
				hit(e, "event ID "+id)
			}
		}
		if f.sysmon {
			for _, id := range e.Sysmon {
				if f.eventIDs[id] {
					hit(e, "Sysmon event "+id)
				}
			}
		}
		for _, t := range e.Table {
			if f.tables[strings.ToLower(t)] {
				hit(e, "table "+t)
			}
		}
		for i, a := range e.ActionType {
			for _, v := range f.values {
				if v == a {
					hit(e, "action "+quote(e.actionShown[i]))
					break
				}
			}
		}
		for _, l := range e.Logsource {
			kind, val, _ := strings.Cut(l, ":")
			var have string
			switch kind {
			case "category":
				have = f.category
			case "product":
				have = f.product
			case "service":
				have = f.service
			}
			if have != "" && have == val {
				hit(e, "logsource "+kind+" "+quote(val))
			}
		}
	}
	return out
}

// quote wraps s in double quotes for evidence, leaving backslashes as they
// are so that registry paths read as written.
func quote(s string) string { return `"` + s + `"` }
