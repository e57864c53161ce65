package mapper

import (
	"bytes"
	"testing"
)

// Small STIX bundles for FuzzLoadBundle. ext names an ATT&CK ID.
const (
	seedMatrix = `{"type":"x-mitre-matrix","id":"x-mitre-matrix--1","name":"Enterprise ATT&CK","external_references":[{"source_name":"mitre-attack","external_id":"enterprise-attack"}],"tactic_refs":["x-mitre-tactic--1"]}`
	seedTactic = `{"type":"x-mitre-tactic","id":"x-mitre-tactic--1","name":"Execution","x_mitre_shortname":"execution","x_mitre_domains":["enterprise-attack"],"external_references":[{"source_name":"mitre-attack","external_id":"TA0002"}]}`
	seedTech   = `{"type":"attack-pattern","id":"attack-pattern--1","name":"Command and Scripting Interpreter","x_mitre_domains":["enterprise-attack"],"x_mitre_platforms":["Windows"],"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"execution"}],"external_references":[{"source_name":"mitre-attack","external_id":"T1059"}]}`
	seedSub    = `{"type":"attack-pattern","id":"attack-pattern--2","name":"PowerShell","x_mitre_is_subtechnique":true,"x_mitre_domains":["enterprise-attack"],"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"execution"}],"external_references":[{"source_name":"mitre-attack","external_id":"T1059.001"}]}`
	seedSubRel = `{"type":"relationship","id":"relationship--1","relationship_type":"subtechnique-of","source_ref":"attack-pattern--2","target_ref":"attack-pattern--1"}`
)

var bundleSeeds = []string{
	`{"type":"bundle","objects":[` + seedMatrix + `,` + seedTactic + `,` + seedTech + `,` + seedSub + `,` + seedSubRel + `]}`,
	// revoked, with its replacement
	`{"type":"bundle","objects":[` + seedMatrix + `,` + seedTactic + `,` + seedTech + `,{"type":"attack-pattern","id":"attack-pattern--3","name":"Old","revoked":true,"external_references":[{"source_name":"mitre-attack","external_id":"T1086"}]},{"type":"relationship","id":"relationship--2","relationship_type":"revoked-by","source_ref":"attack-pattern--3","target_ref":"attack-pattern--1"}]}`,
	// deprecated, and a revocation cycle
	`{"type":"bundle","objects":[` + seedMatrix + `,` + seedTactic + `,{"type":"attack-pattern","id":"attack-pattern--4","name":"Gone","x_mitre_deprecated":true,"external_references":[{"source_name":"mitre-attack","external_id":"T1500"}]},{"type":"attack-pattern","id":"attack-pattern--5","revoked":true,"external_references":[{"source_name":"mitre-attack","external_id":"T1501"}]},{"type":"attack-pattern","id":"attack-pattern--6","revoked":true,"external_references":[{"source_name":"mitre-attack","external_id":"T1502"}]},{"type":"relationship","relationship_type":"revoked-by","source_ref":"attack-pattern--5","target_ref":"attack-pattern--6"},{"type":"relationship","relationship_type":"revoked-by","source_ref":"attack-pattern--6","target_ref":"attack-pattern--5"}]}`,
	// group and software using a technique; a data component detecting it
	`{"type":"bundle","objects":[` + seedMatrix + `,` + seedTactic + `,` + seedTech + `,{"type":"intrusion-set","id":"intrusion-set--1","name":"APT0","aliases":["Zero"],"external_references":[{"source_name":"mitre-attack","external_id":"G0001"}]},{"type":"malware","id":"malware--1","name":"Bad","external_references":[{"source_name":"mitre-attack","external_id":"S0001"}]},{"type":"relationship","relationship_type":"uses","source_ref":"intrusion-set--1","target_ref":"attack-pattern--1"},{"type":"relationship","relationship_type":"uses","source_ref":"malware--1","target_ref":"attack-pattern--1"},{"type":"x-mitre-data-component","id":"x-mitre-data-component--1","name":"Process Creation","external_references":[{"source_name":"mitre-attack","external_id":"DC0032"}]},{"type":"relationship","relationship_type":"detects","source_ref":"x-mitre-data-component--1","target_ref":"attack-pattern--1"}]}`,
	// another domain
	`{"type":"bundle","objects":[{"type":"x-mitre-matrix","id":"x-mitre-matrix--2","external_references":[{"source_name":"mitre-attack","external_id":"mobile-attack"}],"tactic_refs":["x-mitre-tactic--2"]},{"type":"x-mitre-tactic","id":"x-mitre-tactic--2","name":"Execution","x_mitre_shortname":"execution","x_mitre_domains":["mobile-attack"],"external_references":[{"source_name":"mitre-attack","external_id":"TA0041"}]}]}`,
}

// FuzzLoadBundle checks that no input makes the STIX loader panic, and that
// whatever loads can be written and read back in the compact format. Its
// seeds are small bundles (well under 1 KB) with one of each thing the loader
// links (matrix, tactic, technique, sub-technique, revocation, deprecation,
// group and software with uses, data component with detects, a revocation
// cycle, another domain), so that each run is fast and mutations reach the
// linking code; the large fixtures are tested by the unit tests.
func FuzzLoadBundle(f *testing.F) {
	for _, s := range bundleSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"type":"bundle","objects":[{"type":"x-mitre-matrix","external_references":[{"source_name":"mitre-attack","external_id":"enterprise-attack"}],"tactic_refs":["x"]}]}`))
	f.Add([]byte{0x1f, 0x8b, 8, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := LoadBundle(bytes.NewReader(data), "enterprise-attack-1.0.json", "")
		if err != nil {
			return
		}
		for _, d := range AllDomains {
			for _, o := range c.Objects(d, TypeTechnique) {
				c.Resolve(o)
				c.View(o)
			}
		}
		var buf bytes.Buffer
		if err := WriteCompact(&buf, nil, c); err != nil {
			return // names with tabs or line breaks cannot be written
		}
		if _, err := ReadCompact(&buf, "cache"); err != nil {
			t.Fatalf("written catalog does not read back: %v", err)
		}
	})
}

// FuzzReadCompact checks that no input makes the compact reader panic.
func FuzzReadCompact(f *testing.F) {
	f.Add([]byte("#huntlint-catalog 1\n@domain\tenterprise-attack\t1\t2\t1\n@matrix\tTA0001\ntactic\tTA0001\tx\tInitial Access\ta\tm\t\t\t\t\tinitial-access\n"))
	f.Add([]byte("#huntlint-catalog 1\n@domain\tenterprise-attack\t1\t2\ntechnique\tT1\ts\tn\tr\tm\t0\t\t\t\t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadCompact(bytes.NewReader(data), "cache")
		if err != nil {
			return
		}
		for _, d := range AllDomains {
			for _, o := range c.Objects(d, TypeTechnique) {
				c.Resolve(o)
				c.View(o)
			}
		}
		c.Search("a", 3)
	})
}

// TestBundleSeedsLoad: every seed of FuzzLoadBundle is a bundle the loader
// takes, so that the fuzzer starts from loaded catalogs, not errors.
func TestBundleSeedsLoad(t *testing.T) {
	for i, s := range bundleSeeds {
		c, err := LoadBundle(bytes.NewReader([]byte(s)), "enterprise-attack-1.0.json", "")
		if err != nil {
			t.Errorf("seed %d: %v", i, err)
			continue
		}
		n := 0
		for _, d := range AllDomains {
			n += len(c.Objects(d, TypeTechnique)) + len(c.Objects(d, TypeTactic))
		}
		if n == 0 {
			t.Errorf("seed %d loads no tactic or technique", i)
		}
	}
}
