package linter

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sentinelInvalidEntityMapping reports entityMappings that Sentinel rejects.
type sentinelInvalidEntityMapping struct{}

// sentinelColumnName is the shape of a Log Analytics column name.
var sentinelColumnName = regexp.MustCompile(`^[a-zA-Z_]+\w*$`)

var sentinelInvalidEntityMappingDoc = &Doc{
	ID:       "sentinel-invalid-entity-mapping",
	Category: "sentinel",
	Severity: SeverityError,
	Summary:  "a Sentinel entity mapping has an unknown entity type or identifier, lacks a required identifier, is empty, repeated, or exceeds Sentinel's limits",
	Why: "Entity mappings turn query columns into the accounts, hosts and IPs of an incident; investigation graphs, " +
		"UEBA and automation work on them. Sentinel rejects a rule whose mappings use an unknown entity type or " +
		"identifier, miss the identifiers an entity needs to be resolved (Account needs one of FullName, Sid, Name, " +
		"AadUserId, PUID or ObjectGuid …), repeat an identifier, hold more than 10 entity mappings or more than 3 " +
		"field mappings each, or name a column that is not a valid column name.",
	Bad: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Rare process on host\n" +
		"description: Processes seen on one host only.\n" +
		"severity: Medium\n" +
		"requiredDataConnectors:\n" +
		"  - connectorId: MicrosoftThreatProtection\n" +
		"    dataTypes:\n" +
		"      - DeviceProcessEvents\n" +
		"queryFrequency: 1h\n" +
		"queryPeriod: 1h\n" +
		"triggerOperator: gt\n" +
		"triggerThreshold: 0\n" +
		"tactics:\n" +
		"  - Execution\n" +
		"relevantTechniques:\n" +
		"  - T1059\n" +
		"query: |\n" +
		"  DeviceProcessEvents\n" +
		"  | where FileName =~ \"rare.exe\"\n" +
		"entityMappings:\n" +
		"  - entityType: Acount\n" +
		"    fieldMappings:\n" +
		"      - identifier: UserName\n" +
		"        columnName: AccountName\n" +
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Good: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Rare process on host\n" +
		"description: Processes seen on one host only.\n" +
		"severity: Medium\n" +
		"requiredDataConnectors:\n" +
		"  - connectorId: MicrosoftThreatProtection\n" +
		"    dataTypes:\n" +
		"      - DeviceProcessEvents\n" +
		"queryFrequency: 1h\n" +
		"queryPeriod: 1h\n" +
		"triggerOperator: gt\n" +
		"triggerThreshold: 0\n" +
		"tactics:\n" +
		"  - Execution\n" +
		"relevantTechniques:\n" +
		"  - T1059\n" +
		"query: |\n" +
		"  DeviceProcessEvents\n" +
		"  | where FileName =~ \"rare.exe\"\n" +
		"entityMappings:\n" +
		"  - entityType: Account\n" +
		"    fieldMappings:\n" +
		"      - identifier: Name\n" +
		"        columnName: AccountName\n" +
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Fix: FixSafe,
	FixDoc: "an entity type or identifier in the wrong case (`ip`) is written as Sentinel spells it: safe. A misspelt one " +
		"(`Acount`) is replaced by the nearest name: unsafe, a guess",
	Formats: []rules.Format{rules.FormatSentinel},
	Notes:   sentinelEntityMarkdown(),
}

func (sentinelInvalidEntityMapping) Doc() *Doc { return sentinelInvalidEntityMappingDoc }

func (sentinelInvalidEntityMapping) Run(ctx *Context) {
	k, seq := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "entityMappings")
	seq = yamlsrc.Resolve(seq)
	if k == nil || isNullNode(seq) {
		return
	}
	r := ctx.Rule
	if seq.Kind != yaml.SequenceNode {
		ctx.Reportf(nodeSpan(r, seq), nil, "\"entityMappings\" is %s; expected a list of entityType and fieldMappings entries", nodeKindName(seq))
		return
	}
	if len(seq.Content) == 0 {
		ctx.Reportf(nodeSpan(r, k), nil, "\"entityMappings\" is empty; map at least one entity or remove the key")
		return
	}
	if len(seq.Content) > sentinelMaxEntityMappings {
		ctx.Reportf(nodeSpan(r, seq.Content[sentinelMaxEntityMappings]), nil, "%d entity mappings; Sentinel allows at most %d: merge or remove mappings from here on",
			len(seq.Content), sentinelMaxEntityMappings)
	}
	seen := map[string]int{} // signature -> line of first mapping
	for _, item := range seq.Content {
		e := yamlsrc.Resolve(item)
		if e == nil || e.Kind != yaml.MappingNode {
			ctx.Reportf(nodeSpan(r, item), nil, "entity mapping is %s; expected a mapping with entityType and fieldMappings", nodeKindName(e))
			continue
		}
		sig, ok := checkEntityMapping(ctx, e)
		if !ok {
			continue
		}
		if line, dup := seen[sig]; dup {
			ctx.Reportf(nodeSpan(r, e), nil, "entity mapping repeats the one at line %d; remove the repetition", line)
			continue
		}
		seen[sig] = e.Line
	}
}

// checkEntityMapping validates one entity mapping and returns a signature
// for duplicate detection (ok false when the mapping is too broken to
// compare).
func checkEntityMapping(ctx *Context, e *yaml.Node) (string, bool) {
	r := ctx.Rule
	_, tn := yamlsrc.Lookup(e, "entityType")
	tn = yamlsrc.Resolve(tn)
	var ent *sentinelEntity
	switch {
	case tn == nil || isNullNode(tn):
		ctx.Reportf(nodeSpan(r, e), nil, "entity mapping has no \"entityType\"; add one such as Account, Host or IP")
	case !isScalar(tn):
		ctx.Reportf(nodeSpan(r, tn), nil, "\"entityType\" is %s; expected an entity type such as Account, Host or IP", nodeKindName(tn))
	default:
		var ok bool
		if ent, ok = sentinelEntityByType(tn.Value); !ok {
			types := sentinelEntityTypes()
			hint := suggestName(tn.Value, types)
			var fix *Fix
			if near := nearestName(tn.Value, types); near != "" {
				fix = valueFix(r, tn, near, FixUnsafe, fmt.Sprintf("replace entityType %q with %q", tn.Value, near))
			}
			for _, t := range types {
				if strings.EqualFold(t, tn.Value) {
					hint = fmt.Sprintf("; Sentinel spells it %q", t)
					fix = valueFix(r, tn, t, FixSafe, fmt.Sprintf("write entityType %q as %q", tn.Value, t))
				}
			}
			if hint == "" {
				hint = "; expected one of " + strings.Join(types, ", ")
			}
			ctx.Reportf(nodeSpan(r, tn), fix, "unknown entityType %q%s", tn.Value, hint)
		}
	}
	fk, fms := yamlsrc.Lookup(e, "fieldMappings")
	fms = yamlsrc.Resolve(fms)
	switch {
	case fk == nil || isNullNode(fms):
		ctx.Reportf(nodeSpan(r, e), nil, "entity mapping has no \"fieldMappings\"; map at least one identifier to a column")
		return "", false
	case fms.Kind != yaml.SequenceNode:
		ctx.Reportf(nodeSpan(r, fms), nil, "\"fieldMappings\" is %s; expected a list of identifier and columnName entries", nodeKindName(fms))
		return "", false
	case len(fms.Content) == 0:
		ctx.Reportf(nodeSpan(r, fk), nil, "\"fieldMappings\" is empty; map at least one identifier to a column")
		return "", false
	case len(fms.Content) > sentinelMaxFieldMappings:
		ctx.Reportf(nodeSpan(r, fms.Content[sentinelMaxFieldMappings]), nil, "%d field mappings in one entity mapping; Sentinel allows at most %d", len(fms.Content), sentinelMaxFieldMappings)
	}
	used := map[string]bool{}
	var sig []string
	for _, item := range fms.Content {
		fm := yamlsrc.Resolve(item)
		if fm == nil || fm.Kind != yaml.MappingNode {
			ctx.Reportf(nodeSpan(r, item), nil, "field mapping is %s; expected a mapping with identifier and columnName", nodeKindName(fm))
			continue
		}
		_, id := yamlsrc.Lookup(fm, "identifier")
		id = yamlsrc.Resolve(id)
		_, col := yamlsrc.Lookup(fm, "columnName")
		col = yamlsrc.Resolve(col)
		switch {
		case !isScalar(id) || strings.TrimSpace(id.Value) == "":
			ctx.Reportf(nodeSpan(r, fm), nil, "field mapping has no \"identifier\"; name the entity identifier the column fills")
		case ent != nil && !slices.Contains(ent.Identifiers, id.Value):
			hint := suggestName(id.Value, ent.Identifiers)
			var fix *Fix
			if near := nearestName(id.Value, ent.Identifiers); near != "" {
				app := FixUnsafe
				if strings.EqualFold(near, id.Value) {
					app = FixSafe
				}
				fix = valueFix(r, id, near, app, fmt.Sprintf("replace identifier %q with %q", id.Value, near))
			}
			if hint == "" {
				hint = "; expected one of " + strings.Join(ent.Identifiers, ", ")
			}
			ctx.Reportf(nodeSpan(r, id), fix, "unknown identifier %q for entity type %q%s", id.Value, ent.Type, hint)
		case used[id.Value]:
			ctx.Reportf(nodeSpan(r, id), nil, "identifier %q is mapped twice in one entity mapping; Sentinel requires each identifier once", id.Value)
		default:
			used[id.Value] = true
		}
		switch {
		case !isScalar(col) || strings.TrimSpace(col.Value) == "":
			ctx.Reportf(nodeSpan(r, fm), nil, "field mapping has no \"columnName\"; name the query column that holds the value")
		case len(col.Value) > sentinelMaxColumnName:
			ctx.Reportf(nodeSpan(r, col), nil, "columnName is %d characters long; Sentinel allows at most %d", len(col.Value), sentinelMaxColumnName)
		case !sentinelColumnName.MatchString(col.Value):
			ctx.Reportf(nodeSpan(r, col), nil, "columnName %q is not a column name; it must start with a letter or underscore and hold only letters, digits and underscores", col.Value)
		}
		if isScalar(id) && isScalar(col) {
			sig = append(sig, id.Value+"="+col.Value)
		}
	}
	if ent != nil && len(used) > 0 && !hasRequiredIdentifiers(ent, used) {
		var combos []string
		for _, c := range ent.Required {
			combos = append(combos, strings.Join(c, " and "))
		}
		ctx.Reportf(nodeSpan(r, tn), nil, "entity %q maps none of the identifiers Sentinel needs to resolve it; map %s", ent.Type, strings.Join(combos, ", or "))
	}
	if tn == nil || !isScalar(tn) {
		return "", false
	}
	sort.Strings(sig)
	return tn.Value + "|" + strings.Join(sig, ","), true
}

// hasRequiredIdentifiers reports whether used holds one of ent's required
// identifier combinations in full.
func hasRequiredIdentifiers(ent *sentinelEntity, used map[string]bool) bool {
	for _, combo := range ent.Required {
		all := true
		for _, id := range combo {
			all = all && used[id]
		}
		if all {
			return true
		}
	}
	return false
}
