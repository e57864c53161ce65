package layer

import (
	"fmt"
	"sort"
)

// ForNavlayers makes l loadable by mitreattack-python's navlayers without
// a warning or a refusal: it leaves out the fields navlayers does not know
// (unknown fields of the layer and its techniques, customDataURL) and
// metadata dividers, and returns one line per kind of field left out.
// Fields of versions, filters, layout and gradient that navlayers does not
// know are ignored by it, and kept.
func (l *Layer) ForNavlayers() []string {
	var out []string
	note := func(what string, n int) {
		if n > 0 {
			out = append(out, fmt.Sprintf("%s (%d) left out for mitreattack-python", what, n))
		}
	}
	var keys []string
	for k := range l.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		note("layer field "+k, 1)
	}
	l.Extra = nil
	if l.CustomDataURL != nil {
		note("customDataURL", 1)
		l.CustomDataURL = nil
	}
	dividers := 0
	dropDividers := func(ms []Metadata) []Metadata {
		var keep []Metadata
		for _, m := range ms {
			if m.Divider {
				dividers++
				continue
			}
			keep = append(keep, m)
		}
		return keep
	}
	l.Metadata = dropDividers(l.Metadata)
	fields := map[string]int{}
	for i := range l.Techniques {
		t := &l.Techniques[i]
		t.Metadata = dropDividers(t.Metadata)
		for k := range t.Extra {
			if k == "aggregateScore" { // navlayers knows it
				continue
			}
			fields[k]++
			delete(t.Extra, k)
		}
	}
	keys = keys[:0]
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		note("technique field "+k, fields[k])
	}
	note("metadata dividers", dividers)
	return out
}
