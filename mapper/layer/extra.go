package layer

import (
	"bytes"
	"encoding/json"
	"sort"
)

// Unknown fields (Extra) are written back after the known fields of their
// object, in name order. The alias types drop the methods, so that the
// known fields encode as the struct tags say.
type (
	layerJSON     Layer
	techniqueJSON Technique
	versionsJSON  Versions
	filtersJSON   Filters
	layoutJSON    Layout
	gradientJSON  Gradient
)

// MarshalJSON writes the layer's fields, then its unknown fields.
func (l Layer) MarshalJSON() ([]byte, error) { return withExtra((*layerJSON)(&l), l.Extra) }

// MarshalJSON writes the technique's fields, then its unknown fields.
func (t Technique) MarshalJSON() ([]byte, error) {
	return withExtra((*techniqueJSON)(&t), t.Extra)
}

// MarshalJSON writes the version fields, then unknown ones.
func (v Versions) MarshalJSON() ([]byte, error) { return withExtra((*versionsJSON)(&v), v.Extra) }

// MarshalJSON writes the filter fields, then unknown ones.
func (f Filters) MarshalJSON() ([]byte, error) { return withExtra((*filtersJSON)(&f), f.Extra) }

// MarshalJSON writes the layout fields, then unknown ones.
func (l Layout) MarshalJSON() ([]byte, error) { return withExtra((*layoutJSON)(&l), l.Extra) }

// MarshalJSON writes the gradient fields, then unknown ones.
func (g Gradient) MarshalJSON() ([]byte, error) { return withExtra((*gradientJSON)(&g), g.Extra) }

// withExtra encodes v (an object, without HTML escaping, as Encode does)
// and appends the fields of extra before its closing brace.
func withExtra(v any, extra map[string]json.RawMessage) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b := bytes.TrimRight(buf.Bytes(), "\n")
	if len(extra) == 0 {
		return b, nil
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := append([]byte(nil), b[:len(b)-1]...)
	for _, k := range keys {
		if out[len(out)-1] != '{' {
			out = append(out, ',')
		}
		kb, _ := json.Marshal(k)
		out = append(out, kb...)
		out = append(out, ':')
		var c bytes.Buffer
		if err := json.Compact(&c, extra[k]); err != nil {
			return nil, err
		}
		out = append(out, c.Bytes()...)
	}
	return append(out, '}'), nil
}

// cloneExtra copies an Extra map (the raw values are not modified anywhere,
// so they are shared).
func cloneExtra(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
