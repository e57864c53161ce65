package linter

import (
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

var attackRevokedDoc = &Doc{
	ID:       "attack-revoked",
	Category: "attack",
	Severity: SeverityError,
	Summary:  "a reference to a revoked ATT&CK object",
	Why: "ATT&CK revokes an object when it is merged into or replaced by another one. Navigator " +
		"layers and most tools drop revoked IDs, so the rule silently loses its coverage. The " +
		"message names the final replacement at the end of the revocation chain.",
	Bad: "title: Plist Modified\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: macos\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.defense-evasion\n" +
		"    - attack.t1150\n",
	Good: "title: Plist Modified\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: macos\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.defense-evasion\n" +
		"    - attack.t1647\n",
	Fix:    FixSafe,
	FixDoc: "Replaces the reference with the final replacement of the revocation chain, spelled in the field's style (or removes it when the replacement is already listed). ATT&CK itself declares the replacement, so the fix is safe.",
}

type attackRevoked struct{}

func (attackRevoked) Doc() *Doc { return attackRevokedDoc }

func (attackRevoked) Run(ctx *Context) {
	style := ctx.TacticStyle()
	for _, ri := range ctx.Refs() {
		o := ri.Object
		if o == nil || o.Status != mapper.StatusRevoked {
			continue
		}
		ref := ri.Ref
		rel := ReleaseName(ctx.Catalog, o.Domain)
		if ri.Final == nil {
			ctx.Reportf(ref.Span, nil, "%s (%s) was revoked in %s without a replacement; remove it or choose another %s",
				ref.Text, displayName(ctx.Catalog, o), rel, typeName(o.Type))
			continue
		}
		want := Spell(ref, ri.Final, style)
		var fix *Fix
		if ri.Structured() && listedAs(ctx, ri, ri.Final) {
			fix = deleteRefFix(ctx.Rule, ref, FixSafe)
		} else {
			fix = replaceFix(ref, want, FixSafe)
		}
		fix, why := heldBack(ctx, fix, ri.Final)
		ctx.Reportf(ref.Span, fix, "%s was revoked in %s; use %s%s", ref.Text, rel, describe(ctx.Catalog, ref, ri.Final, style), why)
	}
}

// listedAs reports whether another reference in the same field as ri
// names o by its current name (not revoked, not a former tactic name).
func listedAs(ctx *Context, ri RefInfo, o *mapper.Object) bool {
	if o == nil || o.Status == mapper.StatusRevoked {
		return false
	}
	if ctx.named == nil {
		ctx.named = map[namedKey]int{}
		for _, other := range ctx.Refs() {
			if other.Object != nil && other.Former == nil {
				ctx.named[namedKey{other.Ref.Source, other.Object}]++
			}
		}
	}
	n := ctx.named[namedKey{ri.Ref.Source, o}]
	if ri.Object == o && ri.Former == nil {
		n-- // ri itself
	}
	return n > 0
}

// namedKey is a field and an object, for listedAs.
type namedKey struct {
	source rules.RefSource
	object *mapper.Object
}
