// Package attackid is the one grammar of ATT&CK IDs: which prefix names which
// kind of object, what a well-formed ID looks like, and how a mistyped
// technique ID was most likely meant. The rule loaders, the catalog and the
// checks all read IDs through it.
package attackid

import (
	"strconv"
	"strings"
)

// Kind is the kind of ATT&CK object an ID names. The values are the
// catalog's object types (mapper.ObjectType).
type Kind string

// The kinds of ATT&CK object, each with its own ID prefix.
const (
	Technique         Kind = "technique"
	Tactic            Kind = "tactic"
	Group             Kind = "group"
	Software          Kind = "software"
	Campaign          Kind = "campaign"
	Mitigation        Kind = "mitigation"
	DataSource        Kind = "data-source"
	DataComponent     Kind = "data-component"
	DetectionStrategy Kind = "detection-strategy"
	Analytic          Kind = "analytic"
	Asset             Kind = "asset"
)

// prefixes maps each ATT&CK ID prefix to its kind. Every ID is the prefix
// and four digits; technique IDs may add a three-digit sub-technique
// number. Old mitigations reuse technique IDs (T1086 is also a deprecated
// mitigation): Valid accepts T#### for mitigations.
var prefixes = map[string]Kind{
	"T":   Technique,
	"TA":  Tactic,
	"G":   Group,
	"S":   Software,
	"C":   Campaign,
	"M":   Mitigation,
	"DS":  DataSource,
	"DC":  DataComponent,
	"DET": DetectionStrategy,
	"AN":  Analytic,
	"A":   Asset,
}

// TagPrefix is the namespace of Sigma's ATT&CK tags (attack.t1059.001,
// attack.execution), written in lower case; readers accept it in any case.
const TagPrefix = "attack."

// SplitTag splits s into a leading "attack." as written (in any case) and
// what follows it; ok says whether the prefix was there. Without it, prefix
// is "" and value is s. A bare "attack." gives "attack.", "" and true.
func SplitTag(s string) (prefix, value string, ok bool) {
	n := len(TagPrefix)
	if len(s) < n || !strings.EqualFold(s[:n], TagPrefix) {
		return "", s, false
	}
	return s[:n], s[n:], true
}

// CutTagPrefix returns s without a leading "attack." (in any case) and
// whether it was there; a bare "attack." gives "" and true.
func CutTagPrefix(s string) (string, bool) {
	_, v, ok := SplitTag(s)
	return v, ok
}

// CutTagSuffix returns s without a trailing "attack." (in any case) and
// whether it was there: what stands before an ID written Sigma style in
// prose ("see attack.t1059").
func CutTagSuffix(s string) (string, bool) {
	n := len(TagPrefix)
	if len(s) < n || !strings.EqualFold(s[len(s)-n:], TagPrefix) {
		return s, false
	}
	return s[:len(s)-n], true
}

// Norm strips spaces and an "attack." prefix (any case) and upper-cases:
// "attack.t1059.001" -> "T1059.001".
func Norm(s string) string {
	s, _ = CutTagPrefix(strings.TrimSpace(s))
	return strings.ToUpper(s)
}

// ID is a well-formed ATT&CK ID taken apart.
type ID struct {
	Kind   Kind
	Prefix string // "T", "TA", "DET", …
	Number int    // 1059
	Sub    int    // 1 for T1059.001; 0 when none
}

// String spells the ID canonically: "T1059.001", "TA0002".
func (id ID) String() string {
	s := id.Prefix + pad(id.Number, 4)
	if id.Sub > 0 {
		s += "." + pad(id.Sub, 3)
	}
	return s
}

// Parent is the parent technique of a sub-technique ID, else the ID itself.
func (id ID) Parent() ID {
	id.Sub = 0
	return id
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// split returns the leading capital letters of a normalised ID and the rest.
func split(s string) (prefix, rest string) {
	i := 0
	for i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++
	}
	return s[:i], s[i:]
}

// PrefixKind returns the kind an ID's prefix stands for whatever the shape
// of its digits ("T105" is still spelled as a technique); ok is false when s
// is not a known prefix followed by a digit.
func PrefixKind(s string) (Kind, bool) {
	prefix, rest := split(Norm(s))
	if rest == "" || rest[0] < '0' || rest[0] > '9' {
		return "", false
	}
	k, ok := prefixes[prefix]
	return k, ok
}

// Parse takes a well-formed ATT&CK ID apart (any case, "attack." prefix
// allowed); ok is false for anything else ("T1059.1", "T105", "TA05").
func Parse(s string) (ID, bool) {
	prefix, rest := split(Norm(s))
	k, ok := prefixes[prefix]
	if !ok {
		return ID{}, false
	}
	num, sub, hasSub := strings.Cut(rest, ".")
	n, ok := digits(num, 4)
	if !ok {
		return ID{}, false
	}
	id := ID{Kind: k, Prefix: prefix, Number: n}
	if hasSub {
		m, ok := digits(sub, 3)
		if !ok || k != Technique {
			return ID{}, false
		}
		id.Sub = m
	}
	return id, true
}

func digits(s string, width int) (int, bool) {
	if len(s) != width {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

// Exact is Parse for a value that must be an ID as written, in any case
// but with nothing around it: no spaces and no "attack." prefix (a Sigma
// tag's value after its namespace, a Sentinel field's item).
func Exact(s string) (ID, bool) {
	if _, tagged := CutTagPrefix(s); s == "" || strings.TrimSpace(s) != s || tagged {
		return ID{}, false
	}
	return Parse(s)
}

// Valid reports whether s is a well-formed ID of kind k. Mitigations may
// also carry the technique IDs of ATT&CK's old mitigations (T####).
func Valid(k Kind, s string) bool {
	id, ok := Parse(s)
	if !ok {
		return false
	}
	if k == Mitigation && id.Kind == Technique && id.Sub == 0 {
		return true
	}
	return id.Kind == k
}

// Classify returns the kind of a well-formed ID s; ok is false when s is no
// well-formed ATT&CK ID.
func Classify(s string) (Kind, bool) {
	id, ok := Parse(s)
	return id.Kind, ok
}

// NearTechnique returns the technique ID a mistyped spelling most likely
// meant: a wrong separator or a short sub-technique number ("t1059.1",
// "T1059-001", "T1059,001", "t1059_001", "T1059 001" -> "T1059.001"); "" when
// s is not such a spelling.
func NearTechnique(s string) string {
	s = strings.TrimSpace(s)
	if len(s) < 6 || (s[0] != 'T' && s[0] != 't') {
		return ""
	}
	if _, ok := digits(s[1:5], 4); !ok {
		return ""
	}
	i, spaces := 5, 0
	for i < len(s) && s[i] == ' ' {
		i, spaces = i+1, spaces+1
	}
	if i < len(s) && strings.IndexByte(".,_/-", s[i]) >= 0 {
		i++
	} else if spaces == 0 {
		return ""
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	sub := s[i:]
	if len(sub) < 1 || len(sub) > 3 {
		return ""
	}
	for _, r := range sub {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return "T" + s[1:5] + "." + strings.Repeat("0", 3-len(sub)) + sub
}
