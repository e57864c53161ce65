package mapper

import (
	"fmt"
	"sync"
)

//go:generate go run ./gen -o attack.catalog.gz -go embedded_gen.go enterprise-attack-18.1.json.gz mobile-attack-18.1.json.gz ics-attack-18.1.json.gz

var (
	embeddedOnce    sync.Once
	embeddedDomains map[Domain]*domainData
	embeddedErr     error
)

// embedded returns the embedded data of domain d, decoded once per process
// (the objects are shared by every catalog opened; catalogs never change
// them). nil when the embedded catalog has no such domain.
func embedded(d Domain) (*domainData, error) {
	embeddedOnce.Do(func() {
		ds, err := decodeCompact(embeddedCatalog, "embedded")
		if err != nil {
			embeddedErr = fmt.Errorf("embedded catalog: %w", err)
			return
		}
		embeddedDomains = map[Domain]*domainData{}
		for _, dd := range ds {
			embeddedDomains[dd.rel.Domain] = dd
		}
	})
	if embeddedErr != nil {
		return nil, embeddedErr
	}
	return embeddedDomains[d], nil
}

// EmbeddedInputs names the STIX bundles the embedded catalog was generated
// from, with their SHA-256 sums.
func EmbeddedInputs() []string { return append([]string(nil), embeddedInputs...) }
