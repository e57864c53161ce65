package mapper

import (
	"bytes"
	"os"
	"testing"
)

// FuzzLoadBundle checks that no input makes the STIX loader panic, and that
// whatever loads can be written and read back in the compact format.
func FuzzLoadBundle(f *testing.F) {
	for _, name := range []string{"testdata/mini-18.json", "testdata/cycle.json", "testdata/mini-mobile.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
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
