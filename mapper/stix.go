package mapper

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// stixObject holds the fields of a STIX object that the catalog keeps; every
// other field (descriptions, references' texts) is skipped while decoding.
type stixObject struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	Modified   string `json:"modified"`
	Revoked    bool   `json:"revoked"`
	Deprecated bool   `json:"x_mitre_deprecated"`
	ExtRefs    []struct {
		SourceName string `json:"source_name"`
		ExternalID string `json:"external_id"`
	} `json:"external_references"`
	KillChain []struct {
		KillChainName string `json:"kill_chain_name"`
		PhaseName     string `json:"phase_name"`
	} `json:"kill_chain_phases"`
	Platforms  []string `json:"x_mitre_platforms"`
	IsSub      bool     `json:"x_mitre_is_subtechnique"`
	Shortname  string   `json:"x_mitre_shortname"`
	Domains    []string `json:"x_mitre_domains"`
	TacticRefs []string `json:"tactic_refs"`
	RelType    string   `json:"relationship_type"`
	SourceRef  string   `json:"source_ref"`
	TargetRef  string   `json:"target_ref"`
	Version    string   `json:"x_mitre_version"`
	Aliases    []string `json:"aliases"`         // groups, campaigns
	XAliases   []string `json:"x_mitre_aliases"` // software
	// detection strategies and analytics
	AnalyticRefs []string `json:"x_mitre_analytic_refs"`
	LogSources   []struct {
		Name    string `json:"name"`
		Channel string `json:"channel"`
	} `json:"x_mitre_log_source_references"`
	// Description is decoded only for the types in described.
	Description string `json:"-"`
}

// described are the STIX types whose descriptions the catalog keeps.
var described = map[string]bool{"attack-pattern": true, "x-mitre-analytic": true}

// stixTypes maps STIX type names to object types.
var stixTypes = map[string]ObjectType{
	"attack-pattern":             TypeTechnique,
	"x-mitre-tactic":             TypeTactic,
	"intrusion-set":              TypeGroup,
	"malware":                    TypeSoftware,
	"tool":                       TypeSoftware,
	"campaign":                   TypeCampaign,
	"course-of-action":           TypeMitigation,
	"x-mitre-data-source":        TypeDataSource,
	"x-mitre-data-component":     TypeDataComponent,
	"x-mitre-detection-strategy": TypeDetectionStrategy,
	"x-mitre-analytic":           TypeAnalytic,
	"x-mitre-asset":              TypeAsset,
}

// fileNameRelease matches "<domain>-<version>[-slim].json[.gz]".
var fileNameRelease = regexp.MustCompile(`^((?:enterprise|mobile|ics)-attack)-(\d+(?:\.\d+)*)(?:-[a-z]+)?\.json(?:\.gz)?$`)

// LoadFile loads one STIX 2.0 or 2.1 bundle (.json or .json.gz, detected from
// the content) as a single-domain catalog whose domain is active. release
// names the ATT&CK release when the bundle carries no collection object;
// when empty the release is taken from the file name
// ("enterprise-attack-18.1.json.gz"), else it is "unknown".
func LoadFile(path, release string) (*Catalog, error) {
	d, err := loadBundleFile(path, release)
	if err != nil {
		return nil, err
	}
	return newCatalog([]*domainData{d}, []Domain{d.rel.Domain}), nil
}

// LoadBundle reads a STIX bundle from r, as LoadFile does; name is used in
// messages and to guess the domain and release from a file name.
func LoadBundle(r io.Reader, name, release string) (*Catalog, error) {
	d, err := decodeBundle(r, name, release)
	if err != nil {
		return nil, err
	}
	return newCatalog([]*domainData{d}, []Domain{d.rel.Domain}), nil
}

func loadBundleFile(path, release string) (*domainData, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	defer f.Close()
	d, err := decodeBundle(f, path, release)
	if err != nil {
		return nil, err
	}
	d.rel.Source = "path"
	if abs, err := filepath.Abs(path); err == nil {
		d.rel.Path = abs
	} else {
		d.rel.Path = path
	}
	return d, nil
}

// decodeBundle stream-decodes a STIX bundle, plain or gzip JSON.
func decodeBundle(r io.Reader, name, release string) (*domainData, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	head, _ := br.Peek(2)
	var in io.Reader = br
	if bytes.Equal(head, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("load catalog %q: %w", name, err)
		}
		defer zr.Close()
		// Decompress on another goroutine: gunzip and JSON decoding then
		// overlap (a third of the time of a large bundle is gunzip).
		pr, pw := io.Pipe()
		done := make(chan struct{})
		go func() {
			defer close(done)
			bw := bufio.NewWriterSize(pw, 256<<10)
			_, err := io.Copy(bw, zr)
			if err == nil {
				err = bw.Flush()
			}
			pw.CloseWithError(err)
		}()
		defer func() {
			pr.Close() // stops the copy when decoding ended early
			<-done
		}()
		in = bufio.NewReaderSize(pr, 256<<10)
	}
	b, err := readBundle(in)
	if err != nil {
		return nil, fmt.Errorf("load catalog %q: %w", name, err)
	}
	d, err := b.build(name, release)
	if err != nil {
		return nil, fmt.Errorf("load catalog %q: %w", name, err)
	}
	return d, nil
}

// bundle is what readBundle keeps of a STIX bundle.
type bundle struct {
	objects    []stixObject // objects with an ATT&CK ID, tactics and others
	matrices   []stixObject
	revokedBy  map[string]string // STIX id -> STIX id
	parentOf   map[string]string // sub-technique STIX id -> parent STIX id
	detects    [][2]string       // (detection strategy, technique) STIX ids
	rels       []stixRel         // uses and attributed-to relationships
	collection *stixObject
	sawBundle  bool
}

func readBundle(r io.Reader) (*bundle, error) {
	dec := json.NewDecoder(r)
	b := &bundle{revokedBy: map[string]string{}, parentOf: map[string]string{}}
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("not a STIX bundle: %w", jsonErr(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a STIX bundle: expected a JSON object")
	}
	sawObjects := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %w", jsonErr(err))
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			var t string
			if err := dec.Decode(&t); err != nil {
				return nil, fmt.Errorf("invalid JSON: %w", jsonErr(err))
			}
			if t != "bundle" {
				return nil, fmt.Errorf("not a STIX bundle: type is %q, expected \"bundle\"", t)
			}
			b.sawBundle = true
		case "objects":
			sawObjects = true
			if err := b.readObjects(dec); err != nil {
				return nil, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fmt.Errorf("invalid JSON: %w", jsonErr(err))
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", jsonErr(err))
	}
	if !b.sawBundle {
		return nil, errors.New("not a STIX bundle: no \"type\": \"bundle\"")
	}
	if !sawObjects {
		return nil, errors.New("not a STIX bundle: no \"objects\" list")
	}
	return b, nil
}

// stixRel is a relationship the catalog may keep as a Relation.
type stixRel struct {
	Type       string `json:"type"`
	RelType    string `json:"relationship_type"`
	SourceRef  string `json:"source_ref"`
	TargetRef  string `json:"target_ref"`
	Modified   string `json:"modified"`
	Revoked    bool   `json:"revoked"`
	Deprecated bool   `json:"x_mitre_deprecated"`
}

var (
	usesName           = []byte(`"uses"`)
	attributedToName   = []byte(`"attributed-to"`)
	relTypeKey         = []byte(`"relationship_type"`)
	revokedByName      = []byte(`revoked-by`)
	subtechniqueOfName = []byte(`subtechnique-of`)
	detectsName        = []byte(`"detects"`)
)

func (b *bundle) readObjects(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("invalid JSON: %w", jsonErr(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return errors.New("not a STIX bundle: \"objects\" is not a list")
	}
	var raw json.RawMessage
	for i := 0; dec.More(); i++ {
		raw = raw[:0]
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("object %d: %w", i+1, jsonErr(err))
		}
		// Most of a bundle is relationships: those the catalog keeps as
		// relations are decoded into a small struct, those it does not
		// keep ("mitigates") are skipped without decoding.
		if bytes.Contains(raw, relTypeKey) && (bytes.Contains(raw, usesName) || bytes.Contains(raw, attributedToName)) {
			var r stixRel
			if err := json.Unmarshal(raw, &r); err != nil {
				return fmt.Errorf("object %d: %w", i+1, jsonErr(err))
			}
			if r.Type == "relationship" && !r.Revoked && !r.Deprecated && (r.RelType == string(RelUses) || r.RelType == string(RelAttributedTo)) {
				b.rels = append(b.rels, r)
				continue
			}
		}
		if bytes.Contains(raw, relTypeKey) && !bytes.Contains(raw, revokedByName) && !bytes.Contains(raw, subtechniqueOfName) && !bytes.Contains(raw, detectsName) {
			continue
		}
		var o stixObject
		if err := json.Unmarshal(raw, &o); err != nil {
			return fmt.Errorf("object %d: %w", i+1, jsonErr(err))
		}
		if described[o.Type] {
			var d struct {
				Description string `json:"description"`
			}
			if err := json.Unmarshal(raw, &d); err != nil {
				return fmt.Errorf("object %d: %w", i+1, jsonErr(err))
			}
			o.Description = d.Description
		}
		switch o.Type {
		case "relationship":
			if o.Revoked || o.Deprecated {
				continue
			}
			switch o.RelType {
			case "revoked-by":
				b.revokedBy[o.SourceRef] = o.TargetRef
			case "subtechnique-of":
				b.parentOf[o.SourceRef] = o.TargetRef
			case "detects":
				b.detects = append(b.detects, [2]string{o.SourceRef, o.TargetRef})
			}
		case "x-mitre-matrix":
			b.matrices = append(b.matrices, o)
		case "x-mitre-collection":
			c := o
			b.collection = &c
		default:
			if _, ok := stixTypes[o.Type]; ok {
				b.objects = append(b.objects, o)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("invalid JSON: %w", jsonErr(err))
	}
	return nil
}

// jsonErr turns an unexpected EOF into a message that says the file is cut short.
func jsonErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("unexpected end of data (truncated file?)")
	}
	return err
}

// attackID returns the ATT&CK external ID of o, upper case.
func (o *stixObject) attackID() string {
	for _, r := range o.ExtRefs {
		if strings.HasPrefix(r.SourceName, "mitre") && r.ExternalID != "" {
			return strings.ToUpper(r.ExternalID)
		}
	}
	return ""
}

// build turns the decoded bundle into one domain's data.
func (b *bundle) build(name, release string) (*domainData, error) {
	rel := Release{Domain: b.domain(name), Version: "unknown"}
	if rel.Domain == "" {
		return nil, errors.New("cannot tell the ATT&CK domain: no matrix, no x_mitre_domains and the file name does not start with enterprise-attack, mobile-attack or ics-attack")
	}
	base := filepath.Base(name)
	switch {
	case b.collection != nil && b.collection.Version != "":
		rel.Version = b.collection.Version
	case release != "":
		rel.Version = release
	default:
		if m := fileNameRelease.FindStringSubmatch(base); m != nil {
			rel.Version = m[2]
		}
	}

	byStix := make(map[string]*Object, len(b.objects))
	objs := make([]*Object, 0, len(b.objects))
	var tacticShort = map[string]*Object{}
	var unnumbered []*Object
	for i := range b.objects {
		so := &b.objects[i]
		if so.Modified > rel.Modified {
			rel.Modified = so.Modified
		}
		id := so.attackID()
		o := &Object{
			ID:       id,
			STIXID:   so.ID,
			Type:     stixTypes[so.Type],
			Name:     so.Name,
			Domain:   rel.Domain,
			Status:   StatusActive,
			Modified: so.Modified,
		}
		switch {
		case so.Revoked:
			o.Status = StatusRevoked
		case so.Deprecated:
			o.Status = StatusDeprecated
		}
		if id == "" {
			unnumbered = append(unnumbered, o)
			continue
		}
		switch o.Type {
		case TypeTechnique:
			for _, k := range so.KillChain {
				if strings.HasPrefix(k.KillChainName, "mitre-") && k.PhaseName != "" && !contains(o.Tactics, k.PhaseName) {
					o.Tactics = append(o.Tactics, k.PhaseName)
				}
			}
			o.Platforms = append([]string(nil), so.Platforms...)
			o.Description = so.Description
		case TypeTactic:
			o.Shortname = so.Shortname
			tacticShort[so.ID] = o
		case TypeGroup, TypeCampaign, TypeSoftware:
			for _, a := range append(append([]string(nil), so.Aliases...), so.XAliases...) {
				if a = strings.TrimSpace(a); a != "" && a != o.Name && !contains(o.Aliases, a) {
					o.Aliases = append(o.Aliases, a)
				}
			}
		case TypeAnalytic:
			o.Description = so.Description
			for _, ls := range so.LogSources {
				if v := strings.TrimSpace(ls.Name + " " + ls.Channel); v != "" {
					o.LogSources = append(o.LogSources, v)
				}
			}
		}
		byStix[so.ID] = o
		objs = append(objs, o)
	}
	if b.collection != nil && b.collection.Modified != "" {
		rel.Modified = b.collection.Modified
	}

	// Parents: from subtechnique-of relationships, else from the ID.
	for _, o := range objs {
		if o.Type != TypeTechnique {
			continue
		}
		if p, ok := byStix[b.parentOf[o.STIXID]]; ok && p.Type == TypeTechnique {
			o.Parent = p.ID
		} else if i := strings.IndexByte(o.ID, '.'); i > 0 {
			o.Parent = o.ID[:i]
		}
	}
	// Revocations.
	for src, dst := range b.revokedBy {
		o, ok1 := byStix[src]
		n, ok2 := byStix[dst]
		if ok1 && ok2 {
			o.RevokedBy = n.ID
			o.revokedBy = n
		}
	}
	// Detection strategies: their analytics, and the techniques they detect.
	for i := range b.objects {
		so := &b.objects[i]
		if o, ok := byStix[so.ID]; ok && o.Type == TypeDetectionStrategy {
			for _, ref := range so.AnalyticRefs {
				if a, ok := byStix[ref]; ok && a.Type == TypeAnalytic {
					o.Analytics = append(o.Analytics, a.ID)
				}
			}
		}
	}
	for _, e := range b.detects {
		s, ok1 := byStix[e[0]]
		t, ok2 := byStix[e[1]]
		if ok1 && ok2 && s.Type == TypeDetectionStrategy && t.Type == TypeTechnique && s.Status == StatusActive && !contains(t.DetectedBy, s.ID) {
			t.DetectedBy = append(t.DetectedBy, s.ID)
		}
	}
	for _, o := range objs {
		sort.Strings(o.DetectedBy)
	}
	// Matrix order: tactics of live matrices first, in their order.
	var order []*Object
	seen := map[*Object]bool{}
	for _, m := range b.matrices {
		if m.Revoked || m.Deprecated {
			continue
		}
		for _, ref := range m.TacticRefs {
			if t, ok := tacticShort[ref]; ok && !seen[t] {
				seen[t] = true
				order = append(order, t)
			}
		}
	}
	// Relations between numbered objects of kinds the catalog keeps.
	var rels []Relation
	for _, r := range b.rels {
		s, ok1 := byStix[r.SourceRef]
		t, ok2 := byStix[r.TargetRef]
		if !ok1 || !ok2 {
			continue
		}
		if k, ok := relationKind(r.RelType, s.Type, t.Type); ok {
			rels = append(rels, Relation{Kind: k, Source: s, Target: t, Modified: r.Modified})
		}
	}
	d := &domainData{rel: rel, all: objs, unnumbered: unnumbered}
	d.index(order)
	d.setRelations(rels)
	return d, nil
}

// domain decides the bundle's domain: matrix, then the objects'
// x_mitre_domains, then the file name.
func (b *bundle) domain(name string) Domain {
	for _, m := range b.matrices {
		if m.Revoked || m.Deprecated {
			continue
		}
		if d := knownDomain(m.attackID()); d != "" {
			return d
		}
	}
	count := map[Domain]int{}
	for i := range b.objects {
		if b.objects[i].Type != "attack-pattern" && b.objects[i].Type != "x-mitre-tactic" {
			continue
		}
		for _, s := range b.objects[i].Domains {
			if d := knownDomain(s); d != "" {
				count[d]++
			}
		}
	}
	best, n := Domain(""), 0
	for _, d := range []Domain{Enterprise, Mobile, ICS} {
		if count[d] > n {
			best, n = d, count[d]
		}
	}
	if best != "" {
		return best
	}
	if m := fileNameRelease.FindStringSubmatch(filepath.Base(name)); m != nil {
		return Domain(m[1])
	}
	return ""
}

func knownDomain(s string) Domain {
	switch d := Domain(strings.ToLower(s)); d {
	case Enterprise, Mobile, ICS:
		return d
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// sortObjects sorts by ID, then type, then STIX id, for stable output.
func sortObjects(objs []*Object) {
	sort.Slice(objs, func(i, j int) bool {
		a, b := objs[i], objs[j]
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.STIXID < b.STIXID
	})
}
