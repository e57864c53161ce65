package mapper

import (
	"regexp"
	"strings"

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
}

// Found reports whether the reference names an object in some loaded domain.
func (r Resolution) Found() bool { return r.Object != nil }

// Revoked reports whether the object named is revoked.
func (r Resolution) Revoked() bool { return r.Object != nil && r.Object.Status == StatusRevoked }

// Deprecated reports whether the object named is deprecated.
func (r Resolution) Deprecated() bool { return r.Object != nil && r.Object.Status == StatusDeprecated }

// idShapes are the well-formed ATT&CK ID spellings per object type.
var idShapes = map[ObjectType]*regexp.Regexp{
	TypeTechnique:         regexp.MustCompile(`^T\d{4}(\.\d{3})?$`),
	TypeTactic:            regexp.MustCompile(`^TA\d{4}$`),
	TypeGroup:             regexp.MustCompile(`^G\d{4}$`),
	TypeSoftware:          regexp.MustCompile(`^S\d{4}$`),
	TypeCampaign:          regexp.MustCompile(`^C\d{4}$`),
	TypeMitigation:        regexp.MustCompile(`^(M\d{4}|T\d{4})$`),
	TypeDataSource:        regexp.MustCompile(`^DS\d{4}$`),
	TypeDataComponent:     regexp.MustCompile(`^DC\d{4}$`),
	TypeDetectionStrategy: regexp.MustCompile(`^DET\d{4}$`),
	TypeAnalytic:          regexp.MustCompile(`^AN\d{4}$`),
	TypeAsset:             regexp.MustCompile(`^A\d{4}$`),
}

// idLike matches values spelled like an ID: letters then a digit.
var idLike = regexp.MustCompile(`^[A-Z]{1,3}\d`)

// IDType returns the object type an ATT&CK ID's prefix stands for ("T1059"
// technique, "TA0002" tactic, "M1038" mitigation, …) whatever the shape of
// the digits; ok is false when the prefix is not an ATT&CK one.
func IDType(id string) (ObjectType, bool) {
	id = normID(id)
	i := 0
	for i < len(id) && id[i] >= 'A' && id[i] <= 'Z' {
		i++
	}
	if i == 0 || i == len(id) || id[i] < '0' || id[i] > '9' {
		return "", false
	}
	switch id[:i] {
	case "T":
		return TypeTechnique, true
	case "TA":
		return TypeTactic, true
	case "G":
		return TypeGroup, true
	case "S":
		return TypeSoftware, true
	case "C":
		return TypeCampaign, true
	case "M":
		return TypeMitigation, true
	case "DS":
		return TypeDataSource, true
	case "DC":
		return TypeDataComponent, true
	case "DET":
		return TypeDetectionStrategy, true
	case "AN":
		return TypeAnalytic, true
	case "A":
		return TypeAsset, true
	}
	return "", false
}

// ValidID reports whether id (any case, "attack." prefix allowed) is a
// well-formed ATT&CK ID of type t.
func ValidID(t ObjectType, id string) bool {
	re, ok := idShapes[t]
	return ok && re.MatchString(normID(id))
}

// refTypes maps reference kinds to object types.
var refTypes = map[rules.RefKind]ObjectType{
	rules.RefTechnique:  TypeTechnique,
	rules.RefTactic:     TypeTactic,
	rules.RefGroup:      TypeGroup,
	rules.RefSoftware:   TypeSoftware,
	rules.RefCampaign:   TypeCampaign,
	rules.RefMitigation: TypeMitigation,
	rules.RefDataSource: TypeDataSource,
}

// ResolveRef looks up what ref names. It never fails: a reference that is
// not found has a nil Object, one that cannot be an ATT&CK ID or name is
// Malformed.
func (c *Catalog) ResolveRef(ref rules.Ref) Resolution {
	v := ref.Value
	if v == "" {
		v = ref.Text
	}
	res := Resolution{Ref: ref}
	id := normID(v)
	prefixType, idShaped := IDType(id)
	if t, ok := refTypes[ref.Kind]; ok {
		res.Type = t
	}
	if id == "" {
		res.Malformed = true
		return res
	}
	switch {
	case res.Type != "":
	case idShaped:
		res.Type = prefixType
	default:
		res.Type = TypeTactic
	}

	if res.Type == TypeTactic {
		return c.resolveTactic(res, id, idShaped)
	}
	if !ValidID(res.Type, id) {
		res.Malformed = true
		return res
	}
	res.Canonical = id
	if o, ok := c.Get(res.Type, id); ok {
		res.Object = o
		res.Final, res.Chain = c.Resolve(o)
	}
	return res
}

func (c *Catalog) resolveTactic(res Resolution, id string, idShaped bool) Resolution {
	if idShaped || idLike.MatchString(id) {
		if !ValidID(TypeTactic, id) {
			res.Malformed = true
			return res
		}
		res.Canonical = id
		if o, ok := c.Get(TypeTactic, id); ok {
			res.Object = o
			res.Final, res.Chain = c.Resolve(o)
		}
		return res
	}
	name := strings.TrimSpace(res.Ref.Value)
	if name == "" {
		name = strings.TrimSpace(res.Ref.Text)
	}
	if len(name) > 7 && strings.EqualFold(name[:7], "attack.") {
		name = name[7:]
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == ' ' || r == '&') {
			res.Malformed = true
			return res
		}
	}
	if o, former, ok := c.CurrentTactic(name); ok {
		res.Object = o
		res.Final, res.Chain = c.Resolve(o)
		res.Canonical = o.Shortname
		res.Former = former
		return res
	}
	res.Canonical = strings.NewReplacer("_", "-", " ", "-").Replace(strings.ToLower(name))
	return res
}
