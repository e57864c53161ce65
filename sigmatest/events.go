package sigmatest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Event is one flattened event: field name → value. A value is a string (a
// JSON number keeps its literal text, a boolean is "true" or "false"), nil
// for a JSON null, or a []any of those for a JSON list of scalars.
type Event map[string]any

// MaxEventDepth bounds the nesting of an event (objects and lists); deeper
// input is an error rather than a deep recursion.
const MaxEventDepth = 64

// ReadEvents reads the events of r: one JSON object, a JSON array of
// objects, JSON lines (one object a line), or several pretty-printed objects
// one after another, as SigmaHQ's EVTX-to-JSON exports write them. Each
// object is flattened (see Flatten). An error names the event (1-based)
// and, for JSON syntax errors, the line.
func ReadEvents(r io.Reader) ([]Event, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return ParseEvents(data)
}

// ParseEvents is ReadEvents on bytes.
func ParseEvents(data []byte) ([]Event, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []Event
	n := 0
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, jsonErr(data, dec.InputOffset(), n+1, err)
		}
		switch x := v.(type) {
		case map[string]any:
			n++
			ev, err := Flatten(x)
			if err != nil {
				return nil, fmt.Errorf("event %d: %w", n, err)
			}
			out = append(out, ev)
		case []any:
			for _, item := range x {
				n++
				m, ok := item.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("event %d: a list item is %s, not a JSON object: each event must be an object", n, jsonKind(item))
				}
				ev, err := Flatten(m)
				if err != nil {
					return nil, fmt.Errorf("event %d: %w", n, err)
				}
				out = append(out, ev)
			}
		default:
			return nil, fmt.Errorf("event %d: found %s, not a JSON object: each event must be an object", n+1, jsonKind(v))
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no events: the file holds no JSON object")
	}
	return out, nil
}

func jsonErr(data []byte, off int64, n int, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("event %d: line %d: the JSON ends inside an object or list", n, line)
	}
	return fmt.Errorf("event %d: line %d: invalid JSON: %v", n, line, err)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	}
	return "an object"
}

// Flatten turns one decoded JSON object into an Event.
//
// Every leaf gets its dotted path from the root: Event.System.EventID,
// Event.EventData.Image, userIdentity.arn. A list of scalars stays one
// field holding the list (a rule matches when any element does); a list of
// objects gives each element's fields under path.0, path.1, ….
//
// An object whose root is a Windows event (an "Event" object holding
// "System") also gets the names Sigma rules use for Windows events:
//   - each child of Event.System by its own name (EventID, Channel,
//     Computer), and the attributes of a child as Child_Attribute
//     (Provider_Name, Provider_Guid, TimeCreated_SystemTime,
//     Execution_ProcessID, Security_UserID);
//   - each child of Event.EventData by its own name (Image, CommandLine);
//     EventData.Data given as a list of {"#attributes": {"Name": N},
//     "#text": V} (or {"@Name": N, "#text": V}) gives the field N = V;
//   - each field of the one element inside Event.UserData by its own name;
//   - an EventData name with spaces also without them ("Threat Name" is
//     ThreatName too), as Sigma rules spell Windows Defender's fields.
//
// A short name never replaces a dotted path, and EventData wins over
// System when both hold a name. "#text" stands for its parent's value and
// "#attributes" members are fields of their parent (so the dotted path
// Event.System.Provider.Name exists too).
func Flatten(obj map[string]any) (Event, error) {
	ev := Event{}
	if err := flattenInto(ev, "", obj, 0); err != nil {
		return nil, err
	}
	if root, ok := obj["Event"].(map[string]any); ok {
		if sys, ok := root["System"].(map[string]any); ok {
			shortNames(ev, sys, true)
			if ud, ok := root["UserData"].(map[string]any); ok {
				for _, k := range sortedKeys(ud) {
					if inner, ok := ud[k].(map[string]any); ok {
						shortNames(ev, inner, false)
					}
				}
			}
			switch ed := root["EventData"].(type) {
			case map[string]any:
				if list, ok := ed["Data"].([]any); ok {
					dataList(ev, list)
				}
				shortNames(ev, ed, false)
				spacelessNames(ev, ed)
			case []any:
				dataList(ev, ed)
			}
		}
	}
	return ev, nil
}

// shortNames sets each child of m by its own name; with attrs, the
// attributes of an object child also become Child_Attribute.
func shortNames(ev Event, m map[string]any, attrs bool) {
	for _, k := range sortedKeys(m) {
		if k == "#attributes" || k == "Data" && isList(m[k]) {
			continue
		}
		v := m[k]
		if sub, ok := v.(map[string]any); ok {
			if t, ok := sub["#text"]; ok {
				ev[k] = scalar(t)
			}
			if a, ok := sub["#attributes"].(map[string]any); ok && attrs {
				for _, ak := range sortedKeys(a) {
					ev[k+"_"+ak] = scalar(a[ak])
				}
			}
			continue
		}
		if l, ok := v.([]any); ok {
			if scalars(l) {
				ev[k] = scalarList(l)
			}
			continue
		}
		ev[k] = scalar(v)
	}
}

// spacelessNames gives each EventData name with spaces its name without
// them too ("Threat Name" → ThreatName), the spelling Sigma rules use for
// such fields (Windows Defender), unless that name is already set.
func spacelessNames(ev Event, ed map[string]any) {
	for _, k := range sortedKeys(ed) {
		if !strings.Contains(k, " ") {
			continue
		}
		short := strings.ReplaceAll(k, " ", "")
		if _, ok := ev[short]; !ok {
			if v, ok := ev[k]; ok {
				ev[short] = v
			}
		}
	}
}

// dataList reads EventData.Data entries of the named form.
func dataList(ev Event, list []any) {
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		name := ""
		if a, ok := m["#attributes"].(map[string]any); ok {
			name, _ = a["Name"].(string)
		}
		if name == "" {
			name, _ = m["@Name"].(string)
		}
		if name == "" {
			continue
		}
		ev[name] = scalar(m["#text"])
	}
}

func isList(v any) bool { _, ok := v.([]any); return ok }

func flattenInto(ev Event, prefix string, v any, depth int) error {
	if depth > MaxEventDepth {
		return fmt.Errorf("%s: nested more than %d levels deep", prefixName(prefix), MaxEventDepth)
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(x) {
			switch k {
			case "#attributes":
				if a, ok := x[k].(map[string]any); ok {
					if err := flattenInto(ev, prefix, a, depth+1); err != nil {
						return err
					}
					continue
				}
			case "#text":
				if prefix != "" {
					if err := flattenInto(ev, prefix, x[k], depth+1); err != nil {
						return err
					}
					continue
				}
			}
			if err := flattenInto(ev, join(prefix, k), x[k], depth+1); err != nil {
				return err
			}
		}
		if len(x) == 0 && prefix != "" {
			ev[prefix] = nil
		}
	case []any:
		if scalars(x) {
			if prefix != "" {
				ev[prefix] = scalarList(x)
			}
			return nil
		}
		for i, item := range x {
			if err := flattenInto(ev, join(prefix, strconv.Itoa(i)), item, depth+1); err != nil {
				return err
			}
		}
	default:
		if prefix != "" {
			ev[prefix] = scalar(x)
		}
	}
	return nil
}

func prefixName(p string) string {
	if p == "" {
		return "the event"
	}
	return p
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

func scalars(l []any) bool {
	for _, v := range l {
		switch v.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func scalarList(l []any) []any {
	out := make([]any, len(l))
	for i, v := range l {
		out[i] = scalar(v)
	}
	return out
}

// scalar gives a JSON scalar's field value; objects and lists (not expected
// here) become their JSON text.
func scalar(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Dump writes ev one "name = value" line a field, sorted by name: the form
// of the goldens and of `huntlint test --show-events`.
func (ev Event) Dump(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, k := range sortedKeys(ev) {
		fmt.Fprintf(bw, "%s = %s\n", k, dumpValue(ev[k]))
	}
	return bw.Flush()
}

func dumpValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = dumpValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}
