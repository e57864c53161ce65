package suggest

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed bridge.yaml
var bridgeYAML []byte

// contextField is the bridge's mark of a column that holds context, not
// what a query looks for.
const contextField = "-"

// bridgeEntry maps one KQL table (or ASIM function) onto a Sigma logsource
// and its columns onto Sigma fields.
type bridgeEntry struct {
	Table     string            `yaml:"table"`
	Logsource map[string]string `yaml:"logsource"` // category, product, service
	Columns   map[string]string `yaml:"columns"`   // KQL column -> Sigma field or "-"
	Line      int               `yaml:"-"`

	columns map[string]string // lower-case column -> lower-case field
}

// bridge is the parsed Sigma <-> KQL mapping.
type bridge struct {
	tables map[string]*bridgeEntry // lower-case table
	any    *bridgeEntry            // the "*" entry, or nil
}

var (
	bridgeOnce   sync.Once
	bridgeLoaded *bridge
	bridgeErr    error
)

// theBridge returns the embedded bridge, parsed once.
func theBridge() (*bridge, error) {
	bridgeOnce.Do(func() { bridgeLoaded, bridgeErr = parseBridge(bridgeYAML) })
	return bridgeLoaded, bridgeErr
}

// parseBridge reads a bridge file; errors name the line.
func parseBridge(data []byte) (*bridge, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("sigma-kql bridge: %w", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("sigma-kql bridge: expected a list of tables")
	}
	b := &bridge{tables: map[string]*bridgeEntry{}}
	for _, n := range doc.Content[0].Content {
		var e bridgeEntry
		if err := n.Decode(&e); err != nil {
			return nil, fmt.Errorf("sigma-kql bridge line %d: %w", n.Line, err)
		}
		e.Line = n.Line
		if e.Table == "" {
			return nil, fmt.Errorf("sigma-kql bridge line %d: entry without table", n.Line)
		}
		for k := range e.Logsource {
			switch k {
			case "category", "product", "service":
			default:
				return nil, fmt.Errorf("sigma-kql bridge line %d: unknown logsource key %q (use category, product or service)", n.Line, k)
			}
		}
		e.columns = map[string]string{}
		for c, f := range e.Columns {
			if f == "" {
				return nil, fmt.Errorf("sigma-kql bridge line %d: column %s maps to nothing (use a Sigma field or \"-\")", n.Line, c)
			}
			e.columns[strings.ToLower(c)] = strings.ToLower(f)
		}
		key := strings.ToLower(e.Table)
		if key == "*" {
			b.any = &e
			continue
		}
		if _, dup := b.tables[key]; dup {
			return nil, fmt.Errorf("sigma-kql bridge line %d: table %s mapped twice", n.Line, e.Table)
		}
		b.tables[key] = &e
	}
	return b, nil
}

// table returns the entry of a KQL table or function, or nil.
func (b *bridge) table(name string) *bridgeEntry {
	if b == nil {
		return nil
	}
	return b.tables[strings.ToLower(name)]
}

// field returns the Sigma field (lower case) that column holds in the first
// of sources that maps it, else in any table, or "".
func (b *bridge) field(sources []*bridgeEntry, column string) string {
	lc := strings.ToLower(column)
	for _, e := range sources {
		if f, ok := e.columns[lc]; ok {
			return f
		}
	}
	if b != nil && b.any != nil {
		return b.any.columns[lc]
	}
	return ""
}
