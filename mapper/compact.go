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
)

// The compact catalog format holds the facts the catalog keeps and nothing
// else: gzip'd UTF-8 text, one record per line, fields separated by tabs.
//
//	# comment lines (the generated-file header and MITRE's notice), among
//	#huntlint-catalog 1                   them this format line
//	@domain <domain> <release> <modified> <object count>
//	@matrix <tactic ID>,<tactic ID>,…      tactics of the live matrices in order
//	<type> <ID> <STIX id> <name> <status> <modified> <revoked-by> <parent> <tactics> <platforms> <shortname>
//
// status is a (active), d (deprecated) or r (revoked); revoked-by is the
// 0-based index of the replacement among the domain's object lines, empty
// when none; tactics and platforms are comma-separated lists. Object lines
// follow their @domain line.
const compactMagic = "#huntlint-catalog 1"

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
	fmt.Fprintf(w, "@domain\t%s\t%s\t%s\t%d\n", d.rel.Domain, d.rel.Version, d.rel.Modified, len(d.all))
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
			strings.Join(o.Tactics, ","), strings.Join(o.Platforms, ","), o.Shortname}
		if err := checkFields(f); err != nil {
			return fmt.Errorf("write compact catalog: %s %s: %w", o.Type, o.ID, err)
		}
		for _, s := range append(append([]string(nil), o.Tactics...), o.Platforms...) {
			if strings.Contains(s, ",") {
				return fmt.Errorf("write compact catalog: %s %s: list item %q holds a comma", o.Type, o.ID, s)
			}
		}
		w.WriteString(strings.Join(f, "\t"))
		w.WriteByte('\n')
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

// hasMagic reports whether the leading comment lines hold compactMagic.
func hasMagic(text string) bool {
	for len(text) > 0 && text[0] == '#' {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			return text == compactMagic
		}
		if text[:i] == compactMagic {
			return true
		}
		text = text[i+1:]
	}
	return false
}

func parseCompact(data []byte, source string) ([]*domainData, error) {
	text := string(data)
	if !hasMagic(text) {
		return nil, fmt.Errorf("read compact catalog: not a huntlint catalog file (no %q line)", compactMagic)
	}
	var (
		ds      []*domainData
		cur     *domainData
		matrix  []string
		revs    []string
		lineNo  int
		objects []Object
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
			if (len(f) != 4 && len(f) != 5) || knownDomain(f[1]) == "" {
				return nil, fmt.Errorf("read compact catalog: line %d: bad @domain line", lineNo)
			}
			cur = &domainData{rel: Release{Domain: Domain(f[1]), Version: f[2], Modified: f[3], Source: source}}
			n := 1024
			if len(f) == 5 {
				if c, err := strconv.Atoi(f[4]); err == nil && c >= 0 && c < 1<<20 {
					n = c
				}
			}
			matrix = nil
			objects = make([]Object, 0, n)
			revs = make([]string, 0, n)
		case strings.HasPrefix(line, "@matrix\t"):
			if cur == nil {
				return nil, fmt.Errorf("read compact catalog: line %d: @matrix before @domain", lineNo)
			}
			if s := line[len("@matrix\t"):]; s != "" {
				matrix = strings.Split(s, ",")
			}
		default:
			if cur == nil {
				return nil, fmt.Errorf("read compact catalog: line %d: object before @domain", lineNo)
			}
			var f [11]string
			if n := splitTabs(line, f[:]); n != len(f) {
				return nil, fmt.Errorf("read compact catalog: line %d: %d fields, expected 11", lineNo, n)
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
