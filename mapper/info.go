package mapper

import ()

// DomainInfo summarises one loaded domain for `catalog info`.
type DomainInfo struct {
	Domain   Domain `json:"domain"`
	Release  string `json:"release"`
	Source   string `json:"source"`         // "embedded", "cache" or "path"
	Path     string `json:"path,omitempty"` // for "cache" and "path"
	Modified string `json:"modified"`
	Active   bool   `json:"active"`
	// Texts says whether MITRE's descriptions and detection relationships
	// are at hand (a full bundle, or the cache's texts file once
	// Catalog.LoadTexts read it), which `tag` uses as a signal.
	Texts bool `json:"texts"`
	// Date is the release date (YYYY-MM-DD; see Release.Date), "" when
	// unknown; AgeDays its age in whole days at Catalog.Now, -1 when
	// unknown. Outdated is set by the caller when the age is past the
	// configured max_age.
	Date     string `json:"date"`
	AgeDays  int    `json:"age_days"`
	Outdated bool   `json:"outdated"`
	Counts   Counts `json:"counts"`
}

// Counts are object counts of a domain. Techniques and Subtechniques count
// live (neither revoked nor deprecated) ones; Revoked and Deprecated count
// techniques and sub-techniques in those states; the other counts are live
// objects.
type Counts struct {
	Tactics             int `json:"tactics"`
	Techniques          int `json:"techniques"`
	Subtechniques       int `json:"subtechniques"`
	Revoked             int `json:"revoked"`
	Deprecated          int `json:"deprecated"`
	Groups              int `json:"groups"`
	Software            int `json:"software"`
	Campaigns           int `json:"campaigns"`
	Mitigations         int `json:"mitigations"`
	DataSources         int `json:"data_sources"`
	DataComponents      int `json:"data_components"`
	DetectionStrategies int `json:"detection_strategies"`
	Analytics           int `json:"analytics"`
	Assets              int `json:"assets"`
}

// Info summarises every loaded domain, active ones first.
func (c *Catalog) Info() []DomainInfo {
	var out []DomainInfo
	for _, d := range c.domains {
		info := DomainInfo{Domain: d.rel.Domain, Release: d.rel.Version, Source: d.rel.Source, Path: d.rel.Path,
			Modified: d.rel.Modified, Active: c.IsActive(d.rel.Domain), Texts: d.hasTexts(), AgeDays: d.rel.AgeDays(c.Now())}
		if t, ok := d.rel.Date(); ok {
			info.Date = t.Format("2006-01-02")
		}
		n := &info.Counts
		n.Tactics = len(d.tactics)
		for _, o := range d.all {
			if o.Type == TypeTechnique {
				switch {
				case o.Status == StatusRevoked:
					n.Revoked++
				case o.Status == StatusDeprecated:
					n.Deprecated++
				case o.IsSubtechnique():
					n.Subtechniques++
				default:
					n.Techniques++
				}
				continue
			}
			if o.Status != StatusActive {
				continue
			}
			switch o.Type {
			case TypeGroup:
				n.Groups++
			case TypeSoftware:
				n.Software++
			case TypeCampaign:
				n.Campaigns++
			case TypeMitigation:
				n.Mitigations++
			case TypeDataSource:
				n.DataSources++
			case TypeDataComponent:
				n.DataComponents++
			case TypeDetectionStrategy:
				n.DetectionStrategies++
			case TypeAnalytic:
				n.Analytics++
			case TypeAsset:
				n.Assets++
			}
		}
		out = append(out, info)
	}
	return out
}

// ObjectRef names an object briefly.
type ObjectRef struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Status Status `json:"status"`
}

func refOf(o *Object) ObjectRef { return ObjectRef{ID: o.ID, Name: o.Name, Status: o.Status} }

// ObjectView is everything `catalog show` says about one object.
type ObjectView struct {
	ID            string      `json:"id"`
	Type          ObjectType  `json:"type"`
	Name          string      `json:"name"`
	Domain        Domain      `json:"domain"`
	Status        Status      `json:"status"`
	Modified      string      `json:"modified"`
	STIXID        string      `json:"stix_id"`
	Shortname     string      `json:"shortname,omitempty"`     // tactics
	Order         *int        `json:"order,omitempty"`         // tactics in the matrix
	Parent        *ObjectRef  `json:"parent,omitempty"`        // sub-techniques
	Subtechniques []ObjectRef `json:"subtechniques,omitempty"` // techniques
	Tactics       []ObjectRef `json:"tactics,omitempty"`       // techniques: tactic ID, display name
	TacticNames   []string    `json:"tactic_shortnames,omitempty"`
	Platforms     []string    `json:"platforms,omitempty"`
	Techniques    int         `json:"techniques,omitempty"` // tactics: live techniques and sub-techniques in it
	// RevokedBy is the revocation chain after the object, ending with the
	// live replacement; ReplacedBy is that replacement (nil when the chain
	// is broken).
	RevokedBy  []ObjectRef `json:"revoked_by,omitempty"`
	ReplacedBy *ObjectRef  `json:"replaced_by,omitempty"`
	// DetectedBy are the detection strategies that detect a technique, and
	// Analytics those of a detection strategy: known only when the catalog
	// was loaded from a full STIX bundle.
	DetectedBy []ObjectRef `json:"detected_by,omitempty"`
	Analytics  []ObjectRef `json:"analytics,omitempty"`
	// LogSources are the log sources an analytic reads (full bundles only).
	LogSources []string `json:"log_sources,omitempty"`
	// Aliases are a group's, software's or campaign's other names.
	Aliases []string `json:"aliases,omitempty"`
	// Uses are the techniques a group, campaign or software uses, sorted
	// by ID; UsesSoftware the software a group or campaign uses.
	Uses         []ObjectRef `json:"uses,omitempty"`
	UsesSoftware []ObjectRef `json:"uses_software,omitempty"`
	// AttributedTo are the groups a campaign is attributed to; Campaigns
	// the campaigns attributed to a group.
	AttributedTo []ObjectRef `json:"attributed_to,omitempty"`
	Campaigns    []ObjectRef `json:"campaigns,omitempty"`
	// UsedBy counts the live groups, campaigns and software that use a
	// technique.
	UsedBy *UsedByCount `json:"used_by,omitempty"`
}

// UsedByCount counts the users of a technique by type.
type UsedByCount struct {
	Groups    int `json:"groups"`
	Campaigns int `json:"campaigns"`
	Software  int `json:"software"`
}

// Lookup finds every object an ID or name stands for, for `catalog show`: an
// ATT&CK ID of any type (one object per type: T1086 is a technique and a
// mitigation), else a tactic name. Active domains come first.
func (c *Catalog) Lookup(s string) []*Object {
	id := normID(s)
	var out []*Object
	seen := map[ObjectType]bool{}
	for _, d := range c.domains {
		for _, t := range []ObjectType{TypeTechnique, TypeTactic, TypeGroup, TypeSoftware, TypeCampaign, TypeMitigation,
			TypeDataSource, TypeDataComponent, TypeDetectionStrategy, TypeAnalytic, TypeAsset} {
			if seen[t] {
				continue
			}
			if o, ok := d.byID[typeKey{t, id}]; ok {
				seen[t] = true
				out = append(out, o)
			}
		}
	}
	if len(out) == 0 {
		if o, ok := c.Tactic(s); ok {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		// A group's, software's or campaign's name or alias.
		for _, t := range []ObjectType{TypeGroup, TypeSoftware, TypeCampaign} {
			out = append(out, c.Find(t, s)...)
		}
	}
	return out
}

// View describes o with what the catalog knows about it.
func (c *Catalog) View(o *Object) ObjectView {
	v := ObjectView{ID: o.ID, Type: o.Type, Name: o.Name, Domain: o.Domain, Status: o.Status, Modified: o.Modified,
		STIXID: o.STIXID, Shortname: o.Shortname, Platforms: o.Platforms}
	switch o.Type {
	case TypeTactic:
		for _, t := range c.Tactics(o.Domain) {
			if t == o {
				order := o.Order
				v.Order = &order
			}
		}
		for _, tech := range c.Objects(o.Domain, TypeTechnique) {
			if tech.Status == StatusActive && contains(tech.Tactics, o.Shortname) {
				v.Techniques++
			}
		}
	case TypeTechnique:
		if p, ok := c.Parent(o); ok {
			r := refOf(p)
			v.Parent = &r
		}
		for _, s := range o.Subtechniques {
			if so, ok := c.GetIn(o.Domain, TypeTechnique, s); ok {
				v.Subtechniques = append(v.Subtechniques, refOf(so))
			}
		}
		v.TacticNames = o.Tactics
		for _, t := range c.TacticsOf(o) {
			v.Tactics = append(v.Tactics, ObjectRef{ID: t.ID, Name: t.Name, Status: t.Status})
		}
		for _, id := range o.DetectedBy {
			if d, ok := c.GetIn(o.Domain, TypeDetectionStrategy, id); ok {
				v.DetectedBy = append(v.DetectedBy, refOf(d))
			}
		}
	case TypeDetectionStrategy:
		for _, id := range o.Analytics {
			if a, ok := c.GetIn(o.Domain, TypeAnalytic, id); ok {
				v.Analytics = append(v.Analytics, refOf(a))
			}
		}
	case TypeAnalytic:
		v.LogSources = o.LogSources
	}
	c.viewRelations(o, &v)
	if o.Status == StatusRevoked {
		final, chain := c.Resolve(o)
		for _, x := range chain[1:] {
			v.RevokedBy = append(v.RevokedBy, refOf(x))
		}
		if final != nil {
			r := refOf(final)
			v.ReplacedBy = &r
		}
	}
	return v
}

// FullName is a technique's name with its parent's for sub-techniques
// ("Command and Scripting Interpreter: PowerShell"); other objects' names.
func (c *Catalog) FullName(o *Object) string {
	if p, ok := c.Parent(o); ok {
		return p.Name + ": " + o.Name
	}
	return o.Name
}

// SearchResult is one `catalog search` hit.
type SearchResult struct {
	ID     string     `json:"id"`
	Type   ObjectType `json:"type"`
	Name   string     `json:"name"`
	Domain Domain     `json:"domain"`
	Status Status     `json:"status"`
}

// SearchResults runs Search and describes the hits.
func (c *Catalog) SearchResults(text string, n int) []SearchResult {
	var out []SearchResult
	for _, o := range c.Search(text, n) {
		out = append(out, SearchResult{ID: o.ID, Type: o.Type, Name: c.FullName(o), Domain: o.Domain, Status: o.Status})
	}
	return out
}

// hasTexts reports whether d has MITRE's texts (see Catalog.LoadTexts).
func (d *domainData) hasTexts() bool {
	for _, o := range d.all {
		if o.Description != "" || len(o.DetectedBy) > 0 {
			return true
		}
	}
	return false
}
