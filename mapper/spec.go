package mapper

import (
	"fmt"
	"strings"
)

// LoadSpec loads a catalog named on a command line: "embedded" is the
// embedded catalog (every domain), "cache" the download cache (every domain
// it holds), anything else a STIX bundle path (release as in LoadFile).
func LoadSpec(spec, release, cacheDir string) (*Catalog, error) {
	switch spec {
	case "embedded":
		var ds []*domainData
		for _, d := range AllDomains {
			dd, err := embedded(d)
			if err != nil {
				return nil, err
			}
			if dd != nil {
				ds = append(ds, dd)
			}
		}
		return newCatalog(ds, AllDomains), nil
	case "cache":
		if cacheDir == "" {
			var err error
			if cacheDir, err = DefaultCacheDir(); err != nil {
				return nil, err
			}
		}
		var ds []*domainData
		for _, d := range AllDomains {
			dd, err := loadCached(CachePath(cacheDir, d))
			if err != nil {
				return nil, err
			}
			if dd != nil {
				ds = append(ds, dd)
			}
		}
		if len(ds) == 0 {
			return nil, fmt.Errorf("the catalog cache %s is empty: run 'huntlint catalog update'", cacheDir)
		}
		return newCatalog(ds, AllDomains), nil
	}
	return LoadFile(spec, release)
}

// NotFound explains that s names no ATT&CK object and suggests near ones:
// `no ATT&CK object "T1059.01"; did you mean T1059.001 (PowerShell)?`.
func (c *Catalog) NotFound(s string) string {
	msg := fmt.Sprintf("no ATT&CK object %q in the catalog", s)
	var near []*Object
	if t, ok := IDType(s); ok {
		near = c.Similar(t, s, 3)
	} else {
		near = c.Similar(TypeTactic, s, 1)
		for _, o := range c.Search(s, 10) {
			if len(near) == 3 {
				break
			}
			if (len(near) == 0 || near[0] != o) && (len(c.active) == 0 || c.IsActive(o.Domain)) {
				near = append(near, o)
			}
		}
	}
	if len(near) == 0 {
		return msg
	}
	var parts []string
	for _, o := range near {
		parts = append(parts, fmt.Sprintf("%s (%s)", o.ID, c.FullName(o)))
	}
	return msg + "; did you mean " + strings.Join(parts, " or ") + "?"
}
