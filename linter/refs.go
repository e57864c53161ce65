package linter

import (
	"fmt"
	"strings"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/mapper/attackid"
	"github.com/huntlint/huntlint/rules"
)

// RefInfo is one ATT&CK reference of a rule together with what its spelling
// asks for and what the catalog says about it. The ATT&CK checks share one
// RefInfo per reference through Context.Refs.
type RefInfo struct {
	Ref *rules.Ref
	// Type is the kind of object the spelling asks for; empty when Malformed.
	Type mapper.ObjectType
	// ID is the upper-case ATT&CK ID the spelling names ("T1059.001",
	// "TA0002"); empty for tactics written by name.
	ID string
	// Malformed is set when the reference is no ATT&CK ID or name at all.
	Malformed bool
	// Object is the catalog object, nil when no loaded domain has it.
	Object *mapper.Object
	// Final is the live end of Object's revocation chain (Object itself when
	// it is not revoked); nil when a revoked object has no known replacement.
	Final *mapper.Object
	// Former is set when a tactic is named by the name an older release
	// gave it (see mapper.Catalog.CurrentTactic); Object is the tactic today.
	Former *mapper.Object
	// Newer is set when the catalog lacks the reference and it looks like
	// it comes from a newer ATT&CK release than the catalog's (see
	// mapper.Catalog.NewerRef); attack-newer-release reports it.
	Newer *mapper.Newer
}

// Structured reports whether the reference stands in a structured field
// (Sigma tags, Sentinel tactics and relevantTechniques) rather than free
// text; only structured references are style-checked, de-duplicated and
// fixed by list edits.
func (ri *RefInfo) Structured() bool { return ri.Ref.Source.Structured() }

// Known reports whether the reference names an object of a loaded domain.
func (ri *RefInfo) Known() bool { return ri.Object != nil }

// Live returns the object the reference stands for today: the final
// replacement of a revoked object, else the object; nil when unknown.
func (ri *RefInfo) Live() *mapper.Object {
	if ri.Object == nil {
		return nil
	}
	if ri.Object.Status == mapper.StatusRevoked {
		return ri.Final
	}
	return ri.Object
}

// resolveRef resolves ref through the catalog's one resolver
// (mapper.Catalog.ResolveRef) and keeps what the checks need.
func resolveRef(cat *mapper.Catalog, ref *rules.Ref) RefInfo {
	res := cat.ResolveRef(*ref)
	ri := RefInfo{Ref: ref, Type: res.Type, ID: res.ID, Malformed: res.Malformed,
		Object: res.Object, Final: res.Final, Former: res.Former, Newer: res.Newer}
	if ri.Malformed {
		ri.Type = ""
	}
	return ri
}

// nearTechnique returns the technique ID a malformed spelling most likely
// meant ("T1059.001" for "t1059.1"), or "".
func nearTechnique(v string) string { return attackid.NearTechnique(v) }

// TacticStyle is how Sigma tactic tags join words: "hyphen"
// (attack.defense-evasion, the default), "underscore"
// (attack.defense_evasion) or "any".
type TacticStyle string

// Tactic styles.
const (
	TacticHyphen     TacticStyle = "hyphen"
	TacticUnderscore TacticStyle = "underscore"
	TacticAny        TacticStyle = "any"
)

// Spell returns how o is written canonically where ref stands: Sigma tags
// "attack.t1059.001" / "attack.defense-evasion", Sentinel "T1059.001" /
// "DefenseEvasion", free text the ATT&CK ID (tactics by name), and
// attack.mitre.org URLs with the ID's path.
func Spell(ref *rules.Ref, o *mapper.Object, style TacticStyle) string {
	switch ref.Source {
	case rules.SourceSigmaTag:
		if o.Type == mapper.TypeTactic {
			sn := o.Shortname
			if style == TacticUnderscore {
				sn = strings.ReplaceAll(sn, "-", "_")
			}
			return attackid.TagPrefix + sn
		}
		return attackid.TagPrefix + strings.ToLower(o.ID)
	case rules.SourceSentinelTactic:
		return rules.PascalCase(o.Name)
	case rules.SourceURL:
		return spellURL(ref.Text, o)
	}
	if o.Type == mapper.TypeTactic && ref.Source != rules.SourceSentinelTechnique {
		if _, ok := attackid.Exact(ref.Value); ok {
			return o.ID
		}
		return o.Name
	}
	return o.ID
}

// spellURL rewrites the ID path of an attack.mitre.org URL to o; it returns
// "" when the URL has no recognisable ID path or o is no technique/tactic.
func spellURL(u string, o *mapper.Object) string {
	start, end, folder, ok := rules.URLIDPath(u)
	if !ok || folder != "techniques" && folder != "tactics" {
		return ""
	}
	var path string
	switch o.Type {
	case mapper.TypeTechnique:
		path = "/techniques/" + strings.ReplaceAll(o.ID, ".", "/")
	case mapper.TypeTactic:
		path = "/tactics/" + o.ID
	default:
		return ""
	}
	return u[:start] + path + u[end:]
}

// describe names o for a message: "attack.t1647 (Plist File Modification)".
func describe(cat *mapper.Catalog, ref *rules.Ref, o *mapper.Object, style TacticStyle) string {
	s := Spell(ref, o, style)
	if ref.Source == rules.SourceURL || s == "" {
		s = o.ID
	}
	if s == o.Name {
		return fmt.Sprintf("%s (%s)", s, o.ID)
	}
	return fmt.Sprintf("%s (%s)", s, displayName(cat, o))
}

// displayName is o's name, prefixed with its parent's for sub-techniques
// as ATT&CK shows them: "Command and Scripting Interpreter: PowerShell".
func displayName(cat *mapper.Catalog, o *mapper.Object) string {
	if cat != nil && o.IsSubtechnique() {
		if p, ok := cat.Parent(o); ok {
			return p.Name + ": " + o.Name
		}
	}
	return o.Name
}

// ReleaseName names the catalog release of domain d for messages:
// "ATT&CK 18.1", "ATT&CK for ICS 18.1".
func ReleaseName(cat *mapper.Catalog, d mapper.Domain) string {
	if cat == nil {
		return "ATT&CK"
	}
	r, _ := cat.Release(d)
	return mapper.DomainTitle(d) + " " + r.VersionText()
}

// activeReleaseName names the release of every active domain: "ATT&CK 18.1"
// or "ATT&CK 18.1 and ATT&CK for ICS 18.1".
func activeReleaseName(cat *mapper.Catalog) string {
	if cat == nil {
		return "ATT&CK"
	}
	var names []string
	for _, d := range cat.Active() {
		names = append(names, ReleaseName(cat, d))
	}
	if len(names) == 0 {
		return ReleaseName(cat, mapper.Enterprise)
	}
	return strings.Join(names, " and ")
}

// Refs resolves every ATT&CK reference of the rule once and returns them in
// file order; checks share the result.
func (c *Context) Refs() []RefInfo {
	if c.refs == nil && c.Rule != nil {
		c.refs = make([]RefInfo, 0, len(c.Rule.Attack))
		for i := range c.Rule.Attack {
			c.refs = append(c.refs, resolveRef(c.Catalog, &c.Rule.Attack[i]))
		}
	}
	return c.refs
}

// TacticStyle returns the configured Sigma tactic style.
func (c *Context) TacticStyle() TacticStyle {
	if c.Config == nil || c.Config.Sigma.TacticStyle == "" {
		return TacticHyphen
	}
	return c.Config.Sigma.TacticStyle
}

// replaceFix returns a fix replacing the reference text with text.
func replaceFix(ref *rules.Ref, text string, app Applicability) *Fix {
	if text == "" || text == ref.Text || ref.Span.EndOffset <= ref.Span.StartOffset {
		return nil
	}
	return &Fix{
		Applicability: app,
		Description:   fmt.Sprintf("replace %s with %s", ref.Text, text),
		Edits:         []Edit{{Start: ref.Span.StartOffset, End: ref.Span.EndOffset, New: text}},
	}
}
