package mapper

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// The compact catalog format holds the facts the catalog keeps and nothing
// else: gzip'd UTF-8 text, one record per line, fields separated by tabs.
//
//	# comment lines (the generated-file header and MITRE's notice), among
//	#huntlint-catalog 2                   them this format line
//	@domain <domain> <release> <modified> <object count> <relation count>
//	@matrix <tactic ID>,<tactic ID>,…      tactics of the live matrices in order
//	<type> <ID> <STIX id> <name> <status> <modified> <revoked-by> <parent> <tactics> <platforms> <shortname> <aliases>
//	~<kind> <source> <modified> <target>,<target>,…   relations, after the object lines
//
// status is a (active), d (deprecated) or r (revoked); revoked-by is the
// 0-based index of the replacement among the domain's object lines, empty
// when none; tactics, platforms and aliases are comma-separated lists.
// Object and relation lines follow their @domain line. A relation line holds
// the relations of one kind, source and day: kind is u (uses) or a
// (attributed-to), source and targets are indexes of object lines as
// revoked-by is, and modified is the date (YYYY-MM-DD) of the relationships'
// STIX modified timestamp (dates repeat and compress well; times would
// double the relations' size). A line of one relation with the date last
// (~u <source> <target> <modified>) is read too.
//
// Version 1 (written before relations were kept) has no aliases field, no
// relation count and no relation lines; it is still read.
const compactMagic = "#huntlint-catalog 2"

// compactMagicV1 is the format line of version 1.
const compactMagicV1 = "#huntlint-catalog 1"

// relationCode is the code of a kind in relation lines.
func relationCode(k RelationKind) string {
	switch k {
	case RelUses:
		return "u"
	case RelAttributedTo:
		return "a"
	}
	return ""
}

// WriteCompact writes the domains of cats in the compact format, gzip'd, with
// header lines (written as "# " comments) first. A domain present in two
// catalogs is an error.
func WriteCompact(w io.Writer, header []string, cats ...*Catalog) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	for i, h := range header {
		for _, line := range strings.Split(h, "\n") {
			fmt.Fprintf(bw, "# %s\n", line)
		}
		if i == 0 {
			fmt.Fprintln(bw, compactMagic)
		}
	}
	if len(header) == 0 {
		fmt.Fprintln(bw, compactMagic)
	}
	seen := map[Domain]bool{}
	for _, c := range cats {
		for _, d := range c.domains {
			if seen[d.rel.Domain] {
				return fmt.Errorf("write compact catalog: domain %s given twice", d.rel.Domain)
			}
			seen[d.rel.Domain] = true
			if err := writeDomain(bw, d); err != nil {
				return err
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

func writeDomain(w *bufio.Writer, d *domainData) error {
	fields := []string{d.rel.Version, d.rel.Modified}
	if err := checkFields(fields); err != nil {
		return err
	}
	fmt.Fprintf(w, "@domain\t%s\t%s\t%s\t%d\t%d\n", d.rel.Domain, d.rel.Version, d.rel.Modified, len(d.all), len(d.rels.all))
	var matrix []string
	for _, t := range d.tactics {
		matrix = append(matrix, t.ID)
	}
	fmt.Fprintf(w, "@matrix\t%s\n", strings.Join(matrix, ","))
	pos := make(map[*Object]int, len(d.all))
	for i, o := range d.all {
		pos[o] = i
	}
	for _, o := range d.all {
		rev := ""
		if o.revokedBy != nil {
			if i, ok := pos[o.revokedBy]; ok {
				rev = strconv.Itoa(i)
			}
		}
		f := []string{string(o.Type), o.ID, o.STIXID, o.Name, string(o.Status[:1]), o.Modified, rev, o.Parent,
			strings.Join(o.Tactics, ","), strings.Join(o.Platforms, ","), o.Shortname, strings.Join(o.Aliases, ",")}
		if err := checkFields(f); err != nil {
			return fmt.Errorf("write compact catalog: %s %s: %w", o.Type, o.ID, err)
		}
		for _, s := range append(append(append([]string(nil), o.Tactics...), o.Platforms...), o.Aliases...) {
			if strings.Contains(s, ",") {
				return fmt.Errorf("write compact catalog: %s %s: list item %q holds a comma", o.Type, o.ID, s)
			}
		}
		w.WriteString(strings.Join(f, "\t"))
		w.WriteByte('\n')
	}
	// One line per kind, source and day, its targets in order.
	type group struct {
		code, day string
		src       int
		targets   []string
	}
	var groups []*group
	bySrc := map[string]*group{}
	for i, r := range d.rels.all {
		si, ok1 := pos[r.Source]
		ti, ok2 := pos[r.Target]
		code := relationCode(r.Kind)
		if !ok1 || !ok2 || code == "" {
			return fmt.Errorf("write compact catalog: %s relation %s -> %s: not among the domain's objects", r.Kind, r.Source.ID, r.Target.ID)
		}
		day := r.Modified
		if len(day) > 10 {
			day = day[:10]
		}
		if err := checkFields([]string{day}); err != nil || strings.Contains(day, ",") {
			return fmt.Errorf("write compact catalog: %s relation %s -> %s: bad modified date %q", r.Kind, r.Source.ID, r.Target.ID, day)
		}
		if i > 0 && d.rels.all[i-1].Source != r.Source {
			for _, g := range groups {
				fmt.Fprintf(w, "~%s\t%d\t%s\t%s\n", g.code, g.src, g.day, strings.Join(g.targets, ","))
			}
			groups, bySrc = groups[:0], map[string]*group{}
		}
		k := code + "\t" + day
		g := bySrc[k]
		if g == nil {
			g = &group{code: code, day: day, src: si}
			bySrc[k] = g
			groups = append(groups, g)
		}
		g.targets = append(g.targets, strconv.Itoa(ti))
	}
	for _, g := range groups {
		fmt.Fprintf(w, "~%s\t%d\t%s\t%s\n", g.code, g.src, g.day, strings.Join(g.targets, ","))
	}
	return nil
}

func checkFields(f []string) error {
	for _, s := range f {
		if strings.ContainsAny(s, "\t\n\r") {
			return fmt.Errorf("field %q holds a tab or line break", s)
		}
	}
	return nil
}

// ReadCompact reads a catalog in the compact format (gzip'd or plain);
// source ("embedded", "cache") is recorded in each domain's Release. Every
// domain read is active, in the order read.
func ReadCompact(r io.Reader, source string) (*Catalog, error) {
	ds, err := readCompact(r, source)
	if err != nil {
		return nil, err
	}
	var active []Domain
	for _, d := range ds {
		active = append(active, d.rel.Domain)
	}
	return newCatalog(ds, active), nil
}

func readCompact(r io.Reader, source string) ([]*domainData, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read compact catalog: %w", err)
	}
	return decodeCompact(raw, source)
}

// decodeCompact decodes a compact catalog held in memory, gzip'd or plain.
func decodeCompact(raw []byte, source string) ([]*domainData, error) {
	if !bytes.HasPrefix(raw, []byte{0x1f, 0x8b}) {
		return parseCompact(raw, source)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("read compact catalog: %w", err)
	}
	defer zr.Close()
	// The gzip trailer holds the size of the data: read it in one buffer.
	size := 0
	if n := len(raw); n >= 8 {
		size = int(binary.LittleEndian.Uint32(raw[n-4:]))
	}
	buf := bytes.NewBuffer(make([]byte, 0, min(size, 64<<20)+1))
	if _, err := buf.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("read compact catalog: %w", jsonErr(err))
	}
	return parseCompact(buf.Bytes(), source)
}

// splitTabs splits line at tabs into f, returning the number of fields, or
// len(f)+1 when there are more.
func splitTabs(line string, f []string) int {
	n := 0
	for {
		i := strings.IndexByte(line, '\t')
		if n == len(f) {
			return n + 1
		}
		if i < 0 {
			f[n] = line
			return n + 1
		}
		f[n], line = line[:i], line[i+1:]
		n++
	}
}

// splitList splits a comma-separated list; nil when s is empty.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// magicVersion returns the format version the leading comment lines name
// (2 or 1), 0 when they hold no format line.
func magicVersion(text string) int {
	for len(text) > 0 && text[0] == '#' {
		i := strings.IndexByte(text, '\n')
		line := text
		if i >= 0 {
			line = text[:i]
		}
		switch line {
		case compactMagic:
			return 2
		case compactMagicV1:
			return 1
		}
		if i < 0 {
			return 0
		}
		text = text[i+1:]
	}
	return 0
}

func parseCompact(data []byte, source string) ([]*domainData, error) {
	text := string(data)
	version := magicVersion(text)
	if version == 0 {
		return nil, fmt.Errorf("read compact catalog: not a huntlint catalog file (no %q line)", compactMagic)
	}
	var (
		ds      []*domainData
		cur     *domainData
		matrix  []string
		revs    []string
		lineNo  int
		objects []Object
		rels    []Relation // of the current domain, resolved as read
	)
	finish := func() error {
		if cur == nil {
			return nil
		}
		cur.all = make([]*Object, len(objects))
		for i := range objects {
			cur.all[i] = &objects[i]
		}
		for i, rv := range revs {
			if rv == "" {
				continue
			}
			j, err := strconv.Atoi(rv)
			if err != nil || j < 0 || j >= len(cur.all) {
				return fmt.Errorf("read compact catalog: %s: bad revoked-by index %q", cur.all[i].ID, rv)
			}
			cur.all[i].revokedBy = cur.all[j]
			cur.all[i].RevokedBy = cur.all[j].ID
		}
		byID := map[string]*Object{}
		for _, o := range cur.all {
			if o.Type == TypeTactic {
				byID[o.ID] = o
			}
		}
		var order []*Object
		for _, id := range matrix {
			if t, ok := byID[id]; ok {
				order = append(order, t)
			}
		}
		cur.index(order)
		// Relations are grouped by source as written; within a source
		// they come by day, not by target.
		cur.rels = relations{all: rels, once: &sync.Once{}}
		ds = append(ds, cur)
		return nil
	}
	for len(text) > 0 {
		lineNo++
		var line string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		switch {
		case line == "" || line[0] == '#':
			continue
		case strings.HasPrefix(line, "@domain\t"):
			if err := finish(); err != nil {
				return nil, err
			}
			f := strings.Split(line, "\t")
			if len(f) < 4 || len(f) > 6 || knownDomain(f[1]) == "" {
				return nil, fmt.Errorf("read compact catalog: line %d: bad @domain line", lineNo)
			}
			cur = &domainData{rel: Release{Domain: Domain(f[1]), Version: f[2], Modified: f[3], Source: source}}
			n := 1024
			if len(f) >= 5 {
				if c, err := strconv.Atoi(f[4]); err == nil && c >= 0 && c < 1<<20 {
					n = c
				}
			}
			nr := 0
			if len(f) == 6 {
				if c, err := strconv.Atoi(f[5]); err == nil && c >= 0 && c < 1<<22 {
					nr = c
				}
			}
			matrix = nil
			objects = make([]Object, 0, n)
			revs = make([]string, 0, n)
			rels = make([]Relation, 0, nr)
		case strings.HasPrefix(line, "@matrix\t"):
			if cur == nil {
				return nil, fmt.Errorf("read compact catalog: line %d: @matrix before @domain", lineNo)
			}
			if s := line[len("@matrix\t"):]; s != "" {
				matrix = strings.Split(s, ",")
			}
		case line[0] == '~':
			if cur == nil {
				return nil, fmt.Errorf("read compact catalog: line %d: relation before @domain", lineNo)
			}
			var f [4]string
			if n := splitTabs(line[1:], f[:]); n != len(f) {
				return nil, fmt.Errorf("read compact catalog: line %d: %d fields in a relation, expected 4", lineNo, n)
			}
			var r Relation
			switch f[0] {
			case "u":
				r.Kind = RelUses
			case "a":
				r.Kind = RelAttributedTo
			default:
				return nil, fmt.Errorf("read compact catalog: line %d: unknown relation kind %q", lineNo, f[0])
			}
			// Relation lines follow every object line of their domain, so
			// objects no longer moves: its elements are the objects.
			src, ok := atoiIndex(f[1])
			if !ok || src >= len(objects) {
				return nil, fmt.Errorf("read compact catalog: line %d: bad relation source %q (the domain has %d objects)", lineNo, f[1], len(objects))
			}
			r.Source, r.Modified = &objects[src], f[2]
			targets := f[3]
			if strings.IndexByte(f[3], '-') >= 0 {
				// One relation a line: ~kind source target date.
				r.Modified, targets = f[3], f[2]
			}
			for len(targets) > 0 {
				t := targets
				if i := strings.IndexByte(targets, ','); i >= 0 {
					t, targets = targets[:i], targets[i+1:]
				} else {
					targets = ""
				}
				dst, ok := atoiIndex(t)
				if !ok || dst >= len(objects) {
					return nil, fmt.Errorf("read compact catalog: line %d: bad relation target %q (the domain has %d objects)", lineNo, t, len(objects))
				}
				r.Target = &objects[dst]
				rels = append(rels, r)
			}
		default:
			if cur == nil {
				return nil, fmt.Errorf("read compact catalog: line %d: object before @domain", lineNo)
			}
			if len(rels) > 0 {
				return nil, fmt.Errorf("read compact catalog: line %d: object after the relations of its domain", lineNo)
			}
			var f [12]string
			n := splitTabs(line, f[:])
			if want := 10 + version; n != want {
				return nil, fmt.Errorf("read compact catalog: line %d: %d fields, expected %d", lineNo, n, want)
			}
			o := Object{Type: ObjectType(f[0]), ID: f[1], STIXID: f[2], Name: f[3], Domain: cur.rel.Domain,
				Modified: f[5], Parent: f[7], Shortname: f[10]}
			switch f[4] {
			case "a":
				o.Status = StatusActive
			case "d":
				o.Status = StatusDeprecated
			case "r":
				o.Status = StatusRevoked
			default:
				return nil, fmt.Errorf("read compact catalog: line %d: bad status %q", lineNo, f[4])
			}
			o.Tactics = splitList(f[8])
			o.Platforms = splitList(f[9])
			o.Aliases = splitList(f[11])
			objects = append(objects, o)
			revs = append(revs, f[6])
		}
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, fmt.Errorf("read compact catalog: no domain")
	}
	return ds, nil
}

// atoiIndex parses a non-negative decimal index of at most 9 digits.
func atoiIndex(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
