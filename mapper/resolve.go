package mapper

import (
	"regexp"
	"strings"

	"github.com/huntlint/huntlint/mapper/attackid"
	"github.com/huntlint/huntlint/rules"
)

// Resolution is what a rules.Ref names in the catalog.
type Resolution struct {
	Ref rules.Ref
	// Type is what the spelling asks for: from Ref.Kind when it is known,
	// else from the ID prefix ("T" technique, "TA" tactic, "G" group, "S"
	// software, "C" campaign, "M" mitigation, "DS" data source, "DC" data
	// component, "DET" detection strategy, "AN" analytic, "A" asset), else
	// tactic when the value is a name. Empty when nothing can be told.
	Type ObjectType
	// Object is the object named, nil when not found in any loaded domain.
	// Its Domain says where it was found (active domains are searched
	// first; see Catalog.IsActive).
	Object *Object
	// Final is the live replacement when Object is revoked (end of the
	// revoked-by chain), Object itself when not revoked, nil when the chain
	// is broken (a cycle or a missing replacement) or Object is nil.
	Final *Object
	// Chain is the revocation chain, Object first, Final last (when known).
	Chain []*Object
	// Malformed is set when the value is not an ATT&CK ID or name at all:
	// empty, an ID of the wrong shape ("T1059.1", "T105", "TA05"), an ID
	// prefix that does not fit the reference kind, or a name with
	// characters no tactic name has.
	Malformed bool
	// Canonical is the canonical spelling of what is named, without any
	// namespace: the upper-case ID ("T1059.001") or, for tactics, the
	// shortname ("defense-evasion"). For a tactic that is not found it is
	// the value lower-cased with hyphens; empty when Malformed.
	Canonical string
	// Former is set when a tactic is named by the name it had before the
	// loaded release renamed it (see Catalog.CurrentTactic): Object is the
	// tactic today, Former the tactic as an earlier release called it.
	Former *Object
	// ID is the canonical ATT&CK ID the spelling names ("T1059.001",
	// "TA0002"); empty for tactics written by name and when Malformed.
	ID string
	// Newer is set when the catalog lacks the reference and it looks like
	// it comes from a newer ATT&CK release than the catalog's (see
	// Catalog.NewerRef).
	Newer *Newer
}

// Found reports whether the reference names an object in some loaded domain.
func (r Resolution) Found() bool { return r.Object != nil }

// Revoked reports whether the object named is revoked.
func (r Resolution) Revoked() bool { return r.Object != nil && r.Object.Status == StatusRevoked }

// Deprecated reports whether the object named is deprecated.
func (r Resolution) Deprecated() bool { return r.Object != nil && r.Object.Status == StatusDeprecated }

// idLike matches values spelled like an ID: letters then a digit.
var idLike = regexp.MustCompile(`^[A-Z]{1,3}\d`)

// IDType returns the object type an ATT&CK ID's prefix stands for ("T1059"
// technique, "TA0002" tactic, "M1038" mitigation, …) whatever the shape of
// the digits; ok is false when the prefix is not an ATT&CK one.
func IDType(id string) (ObjectType, bool) { return attackid.PrefixKind(id) }

// ValidID reports whether id (any case, "attack." prefix allowed) is a
// well-formed ATT&CK ID of type t.
func ValidID(t ObjectType, id string) bool { return attackid.Valid(t, id) }

// reTacticName is the shape of a tactic written by name: words of letters
// joined by spaces, hyphens or underscores, or PascalCase.
var reTacticName = regexp.MustCompile(`^[A-Za-z][A-Za-z _-]*[A-Za-z]$`)

// classify judges what a reference asks for from its field, kind and
// spelling alone (package attackid holds the ID grammar): the object type,
// the canonical ID ("" for a tactic named by name) and whether it is
// malformed. A Sentinel tactics item is a tactic, a relevantTechniques item
// a technique; otherwise the reference's kind decides, else the ID's prefix,
// else a name is a tactic.
func classify(ref rules.Ref, v string) (t ObjectType, id string, malformed bool) {
	prefixType, idShaped := attackid.PrefixKind(v)
	switch {
	case ref.Source == rules.SourceSentinelTactic:
		t = TypeTactic
	case ref.Source == rules.SourceSentinelTechnique:
		t = TypeTechnique
	case ref.Kind != "" && ref.Kind != rules.RefUnknown:
		t = ObjectType(ref.Kind)
	case normID(v) == "":
		return "", "", true
	case idShaped:
		t = prefixType
	default:
		t = TypeTactic
	}
	if normID(v) == "" {
		return t, "", true
	}
	if t == TypeTactic && !idShaped && !idLike.MatchString(normID(v)) {
		// A bare "attack." never gets here: normID made it "" above.
		name, _ := attackid.CutTagPrefix(strings.TrimSpace(v))
		return t, "", !reTacticName.MatchString(name)
	}
	if !attackid.Valid(t, v) {
		return t, "", true
	}
	return t, normID(v), false
}

// ResolveRef looks up what ref names. It never fails: a reference that is
// not found has a nil Object (and Newer says whether it looks like it comes
// from a newer release), one that cannot be an ATT&CK ID or name is
// Malformed. On a nil catalog only the spelling is judged.
func (c *Catalog) ResolveRef(ref rules.Ref) Resolution {
	v := ref.Value
	if v == "" {
		v = ref.Text
	}
	v = strings.TrimSpace(v)
	res := Resolution{Ref: ref}
	res.Type, res.ID, res.Malformed = classify(ref, v)
	if res.Malformed {
		return res
	}
	res.Canonical = res.ID
	if c == nil {
		return res
	}
	if res.Type == TypeTactic {
		name := v
		if res.ID != "" {
			name = res.ID
		}
		if o, former, ok := c.CurrentTactic(name); ok {
			res.Object, res.Former = o, former
			if res.ID == "" {
				res.Canonical = o.Shortname
			}
		} else if res.ID == "" {
			bare, _ := attackid.CutTagPrefix(name)
			res.Canonical = strings.NewReplacer("_", "-", " ", "-").Replace(strings.ToLower(bare))
		}
	} else if o, ok := c.Get(res.Type, res.ID); ok {
		res.Object = o
	}
	if res.Object != nil {
		res.Final, res.Chain = c.Resolve(res.Object)
		return res
	}
	// A tactic name in free text (a Markdown table's "Ransomware") is no
	// reference at all; IDs and structured fields are.
	if res.Type != TypeTactic || res.ID != "" || ref.Source.Structured() {
		res.Newer, _ = c.NewerRef(res.Type, res.ID, v)
	}
	return res
}
