// Package mapper holds the MITRE ATT&CK catalog (STIX loading, the embedded
// default, lookups and revocations) and resolves rule references against it.
package mapper

import "github.com/huntlint/huntlint/mapper/attackid"

// Domain names an ATT&CK domain as STIX spells it: "enterprise-attack",
// "mobile-attack" or "ics-attack".
type Domain string

// The ATT&CK domains huntlint knows how to load.
const (
	Enterprise Domain = "enterprise-attack"
	Mobile     Domain = "mobile-attack"
	ICS        Domain = "ics-attack"
)

// ObjectType is the kind of an ATT&CK object, independent of its STIX type
// name: the kinds of the ID grammar (package attackid).
type ObjectType = attackid.Kind

// Object types. IDs collide across types (T1086 is a revoked technique and a
// deprecated mitigation), so every lookup is by type.
const (
	TypeTechnique         = attackid.Technique
	TypeTactic            = attackid.Tactic
	TypeGroup             = attackid.Group
	TypeSoftware          = attackid.Software
	TypeCampaign          = attackid.Campaign
	TypeMitigation        = attackid.Mitigation
	TypeDataSource        = attackid.DataSource
	TypeDataComponent     = attackid.DataComponent
	TypeDetectionStrategy = attackid.DetectionStrategy
	TypeAnalytic          = attackid.Analytic
	TypeAsset             = attackid.Asset
)

// Status is the life-cycle state of an ATT&CK object.
type Status string

// Object states.
const (
	StatusActive     Status = "active"
	StatusDeprecated Status = "deprecated"
	StatusRevoked    Status = "revoked"
)

// Object is one ATT&CK object of any type. Fields that do not apply to a type
// are empty.
type Object struct {
	ID       string     // ATT&CK external ID, upper case: "T1059.001", "TA0002", "G0016"
	STIXID   string     // "attack-pattern--…"
	Type     ObjectType // never empty
	Name     string
	Domain   Domain
	Status   Status
	Modified string // STIX modified timestamp, as in the bundle

	// RevokedBy is the ATT&CK ID of the direct replacement of a revoked
	// object (from its revoked-by relationship), empty when none is known.
	RevokedBy string

	// Techniques only.
	Parent        string   // parent technique ID of a sub-technique
	Subtechniques []string // sub-technique IDs of a parent, sorted
	Tactics       []string // tactic shortnames from kill chain phases, in matrix order
	Platforms     []string

	// MITRE's texts and detection relationships, present only when the
	// catalog was loaded from a full STIX bundle (the embedded catalog
	// holds facts only, no texts): the description of a technique or an
	// analytic; the detection strategies that detect a technique; the
	// analytics of a detection strategy; the log sources an analytic reads
	// ("WinEventLog:Security EventCode=4688").
	Description string
	DetectedBy  []string // detection strategy IDs ("DET0103"), sorted
	Analytics   []string // analytic IDs ("AN0110"), in the bundle's order
	LogSources  []string

	// Groups, software and campaigns: their other names, as the catalog
	// gives them (the name itself left out).
	Aliases []string

	// Tactics only.
	Shortname string // "defense-evasion"
	Order     int    // position in the domain's matrix, 0-based

	revokedBy *Object // direct replacement, set by the loader
}

// IsSubtechnique reports whether o is a sub-technique.
func (o *Object) IsSubtechnique() bool { return o.Parent != "" }

// Release describes where one domain of a catalog came from.
type Release struct {
	Domain   Domain
	Version  string // "18.1", or "unknown"
	Source   string // "embedded", "cache" or "path"
	Path     string // file path when Source is "cache" or "path"
	Modified string // newest modified timestamp in the bundle (or collection)
}
