// Package rules loads Sigma rules, Sentinel hunting and analytic YAML, plain
// KQL files and Markdown hunting queries into one positioned model.
package rules

import "gopkg.in/yaml.v3"

// Format is the file format a rule was read from.
type Format string

// Formats.
const (
	FormatSigma    Format = "sigma"
	FormatSentinel Format = "sentinel"
	FormatKQL      Format = "kql"
	FormatMarkdown Format = "markdown"
)

// Formats lists the formats, in documentation order.
var Formats = []Format{FormatSigma, FormatSentinel, FormatKQL, FormatMarkdown}

// Kind is the kind of rule within its format.
type Kind string

// Kinds.
const (
	KindDetection   Kind = "detection"   // Sigma
	KindCorrelation Kind = "correlation" // Sigma
	KindFilter      Kind = "filter"      // Sigma
	KindHunting     Kind = "hunting"     // Sentinel
	KindAnalytic    Kind = "analytic"    // Sentinel
	KindQuery       Kind = "query"       // .kql and Markdown
)

// Pos is a 1-based line and column in a file. Columns count Unicode code
// points (characters), as editors and SARIF viewers expect.
type Pos struct {
	Line   int
	Column int
}

// Span is a source range: Start inclusive, End exclusive, both 1-based, plus
// the byte offsets of the same range in the file.
type Span struct {
	Start       Pos
	End         Pos
	StartOffset int
	EndOffset   int
}

// RefKind is what an ATT&CK reference names, judged from its spelling and the
// field it stands in (the catalog is not consulted).
type RefKind string

// Reference kinds.
const (
	RefTechnique  RefKind = "technique"
	RefTactic     RefKind = "tactic"
	RefGroup      RefKind = "group"
	RefSoftware   RefKind = "software"
	RefCampaign   RefKind = "campaign"
	RefMitigation RefKind = "mitigation"
	RefDataSource RefKind = "data-source"
	// The kinds ATT&CK added later; like the ones above, they are spelled as
	// the ID grammar's kinds (package attackid).
	RefDataComponent     RefKind = "data-component"
	RefDetectionStrategy RefKind = "detection-strategy"
	RefAnalytic          RefKind = "analytic"
	RefAsset             RefKind = "asset"
	RefUnknown           RefKind = "unknown"
)

// RefSource says where a reference was written, which decides its canonical
// style.
type RefSource string

// Structured reports whether references from s stand in a structured field
// (Sigma tags, Sentinel tactics and relevantTechniques) rather than free
// text.
func (s RefSource) Structured() bool {
	switch s {
	case SourceSigmaTag, SourceSentinelTactic, SourceSentinelTechnique:
		return true
	}
	return false
}

// Reference sources.
const (
	SourceSigmaTag          RefSource = "sigma-tag"          // Sigma tags list
	SourceSentinelTactic    RefSource = "sentinel-tactic"    // Sentinel tactics list
	SourceSentinelTechnique RefSource = "sentinel-technique" // Sentinel relevantTechniques list
	SourceComment           RefSource = "comment"            // KQL // comment
	SourceMarkdown          RefSource = "markdown"           // Markdown text or table
	SourceURL               RefSource = "url"                // attack.mitre.org link
)

// Ref is one ATT&CK reference exactly as written.
type Ref struct {
	Text   string // the original spelling as it appears in the file: "attack.T1059.001"
	Value  string // the reference without namespace: "T1059.001", "defense_evasion"
	Kind   RefKind
	Source RefSource
	Span   Span       // covers Text
	Node   *yaml.Node // the scalar node, for YAML sources; nil otherwise
	// Loose marks free text that may not name an ATT&CK object at all: a
	// covered row of a Markdown coverage table, whose rows also list states
	// such as "Vulnerability". Checks should ignore a loose reference that
	// does not resolve.
	Loose bool
}

// Query is one KQL query text inside a file.
type Query struct {
	Text  string
	Start Pos // file position of the first character of Text
	// Map translates byte offsets in Text to file positions.
	Map OffsetMap
}

// OffsetMap maps byte offsets of a query text to file positions; it handles
// YAML block scalar indentation, Markdown fences and .kql blocks.
type OffsetMap interface {
	Position(offset int) Pos
}

// Rule is one logical rule or query file.
type Rule struct {
	Path   string
	Format Format
	Kind   Kind
	Start  Pos // the rule's first line (document start)

	ID          string
	Title       string
	Description string
	Status      string
	Level       string // Sigma level or Sentinel severity as written
	Author      string
	Date        string
	Modified    string
	References  []string

	// Sigma logsource.
	Product  string
	Category string
	Service  string

	// Sentinel required data connectors.
	Connectors []Connector

	Tags    []Tag // every tag as written (Sigma tags, Sentinel tags)
	Attack  []Ref // every ATT&CK reference, in file order
	Queries []Query

	// Source is the whole file as read (after nothing: no BOM or CRLF
	// stripping), shared by all rules of one file; fixes edit it by offset.
	Source []byte
	// Doc is the YAML document node of this rule (YAML formats only).
	Doc *yaml.Node
	// DocIndex is the 0-based index of the YAML document in a multi-document file.
	DocIndex int
}

// Tag is one entry of a tags list with its position.
type Tag struct {
	Text string
	Span Span
	Node *yaml.Node
}

// Connector is one Sentinel requiredDataConnectors entry.
type Connector struct {
	ConnectorID string
	DataTypes   []string
	Span        Span
}

// Problem is a file that could not be loaded, or part of one.
type Problem struct {
	Path    string
	Line    int // 0 when the problem concerns the whole file
	Column  int
	Message string
}

func (p Problem) Error() string { return p.Message }
