package suggest

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/queries"
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// features is what the signals read from one rule. ATT&CK IDs never reach
// them: a title such as "T1059 PowerShell" would otherwise leak the answer.
type features struct {
	// terms are the weighted tokens of the learned model: words of the
	// title, description and detection values, file names, field names
	// ("f:commandline"), logsource ("ls:category:process_creation") and KQL
	// identifiers ("k:deviceprocessevents").
	terms map[string]float64

	// For the knowledge base and the name signal.
	title    string            // lower case, IDs stripped
	descr    string            // lower case, IDs stripped
	values   []string          // lower-case detection values and KQL string literals
	files    map[string]string // lower-case file name -> as written ("rundll32.exe")
	eventIDs map[string]bool   // Windows event IDs the rule selects
	tables   map[string]bool   // lower-case KQL source tables
	sysmon   bool              // the rule reads Sysmon events
	category string            // Sigma logsource, lower case
	product  string
	service  string

	fx     featureWeights // the weights the terms were counted with
	format string         // the rule's format

	// Knowledge-base and name matches, which depend on the rule only.
	kbHits    map[string]*kbHit
	nameHits  map[string]*nameHit
	proseHits map[string]*proseHit // ATT&CK's texts, when the catalog has them
}

var (
	attackIDRe = regexp.MustCompile(`(?i)\b(?:attack[.\-_])?(?:t\d{4}(?:[./]\d{3})?|ta\d{4})\b`)
	fileRe     = regexp.MustCompile(`[a-z0-9_\-$]+\.(?:exe|dll|ps1|psm1|bat|cmd|vbs|vbe|js|jse|hta|sys|lnk|msi|cpl|scr|ocx|wsf|sh|py|xll|iso|dmp|plist|so|dylib|service|timer|job)\b`)
	wordRe     = regexp.MustCompile(`[a-z][a-z0-9]+`)
	digitsRe   = regexp.MustCompile(`[0-9]+`)
)

// featureWeights weigh the parts of a rule in the learned model's terms.
type featureWeights struct {
	title, descr, value, field float64
	titleNS                    float64 // title words again, in their own namespace
	bigrams                    float64 // title word pairs
	refs                       float64 // words of the references' URLs
	fp                         float64 // words of the false positives
	level                      float64 // the rule's level
	split                      float64 // command-line flags and the last path element of values
	pairs                      float64 // field=value pairs
	ls                         float64 // logsource category, product and service
	kbTerms                    float64 // knowledge-base and name matches as terms
	related                    float64 // the rule's ID and the IDs of the rules it names as related
	lsField                    float64 // field names joined with the logsource (category, else service, else product)
	lsPair                     float64 // product joined with category and with service
	descrBigrams               float64 // description word pairs
	stem                       float64 // 1: words reduced to a stem ("decoded", "decoding" -> "decod")
}

// defaultFeatures are the weights measured best (docs/tag.md).
var defaultFeatures = featureWeights{title: 2, descr: 2, value: 1, field: 1, ls: 1, refs: 1, bigrams: 1}

// stopwords are words that carry no technique signal.
var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be been by can could detect detects detection
		does for from has have how if in into is it its may might not of on or other possible potential
		potentially rule rules such that the their them then there these this those to used uses using via
		was were when where which while who will with within without would event events query queries
		based known also all any more most new one only some than use user users value values based
		com http https www exe true false null contains endswith startswith re condition selection filter
		suspicious attacker attackers adversary adversaries malicious activity`) {
		stopwords[w] = true
	}
}

// stripIDs removes ATT&CK technique and tactic IDs from text.
func stripIDs(s string) string { return attackIDRe.ReplaceAllString(s, " ") }

func newFeatures() *features {
	return &features{
		terms:    map[string]float64{},
		files:    map[string]string{},
		eventIDs: map[string]bool{},
		tables:   map[string]bool{},
	}
}

// extract reads the features of r.
func extract(r *rules.Rule, fx featureWeights) *features {
	f := newFeatures()
	f.fx = fx
	f.format = string(r.Format)
	f.title = strings.ToLower(stripIDs(r.Title))
	f.descr = strings.ToLower(stripIDs(r.Description))
	f.addWords(f.title, fx.title)
	f.addWords(f.descr, fx.descr)
	if fx.titleNS > 0 || fx.bigrams > 0 {
		var prev string
		for _, t := range wordRe.FindAllString(f.title, -1) {
			if len(t) < 3 || stopwords[t] {
				continue
			}
			if fx.titleNS > 0 {
				f.terms["ti:"+t] += fx.titleNS
			}
			if fx.bigrams > 0 && prev != "" {
				f.terms["bi:"+prev+"_"+t] += fx.bigrams
			}
			prev = t
		}
	}
	if fx.descrBigrams > 0 {
		var prev string
		for _, t := range wordRe.FindAllString(f.descr, -1) {
			if len(t) < 3 || stopwords[t] {
				prev = ""
				continue
			}
			if prev != "" {
				f.terms["bi:"+prev+"_"+t] += fx.descrBigrams
			}
			prev = t
		}
	}
	f.category = strings.ToLower(r.Category)
	f.product = strings.ToLower(r.Product)
	f.service = strings.ToLower(r.Service)
	for _, ls := range [][2]string{{"category", f.category}, {"product", f.product}, {"service", f.service}} {
		if ls[1] != "" {
			f.terms["ls:"+ls[0]+":"+ls[1]] += fx.ls
		}
	}
	if fx.lsPair > 0 && f.product != "" {
		for _, o := range []string{f.category, f.service} {
			if o != "" {
				f.terms["lp:"+f.product+":"+o] += fx.lsPair
			}
		}
	}
	if fx.refs > 0 {
		for _, ref := range r.References {
			f.addWords(urlWords(ref), fx.refs)
		}
	}
	if fx.level > 0 && r.Level != "" {
		f.terms["lv:"+strings.ToLower(r.Level)] += fx.level
	}
	if f.service == "sysmon" {
		f.sysmon = true
	}
	if r.Doc != nil {
		root := r.Doc
		if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
			root = root.Content[0]
		}
		if det := mapValue(root, "detection"); det != nil {
			f.detection(det)
		}
		if fx.related > 0 {
			if r.ID != "" {
				f.terms["id:"+strings.ToLower(r.ID)] += fx.related
			}
			if rel := mapValue(root, "related"); rel != nil && rel.Kind == yaml.SequenceNode {
				for _, it := range rel.Content {
					if id := mapValue(it, "id"); id != nil && id.Kind == yaml.ScalarNode && id.Value != "" {
						f.terms["id:"+strings.ToLower(id.Value)] += fx.related
					}
				}
			}
		}
		if fp := mapValue(root, "falsepositives"); fp != nil && fx.fp > 0 {
			for _, n := range append([]*yaml.Node{fp}, fp.Content...) {
				if n.Kind == yaml.ScalarNode {
					f.addWords(strings.ToLower(stripIDs(n.Value)), fx.fp)
				}
			}
		}
	}
	for _, q := range r.Queries {
		f.kql(q.Text)
	}
	return f
}

// mapValue returns the value node of key in mapping m as written, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	_, v := yamlsrc.Lookup(m, key)
	return v
}

// detection walks a Sigma detection mapping: every search identifier's field
// names and values (the condition and timeframe are not features).
func (f *features) detection(det *yaml.Node) {
	if det.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(det.Content); i += 2 {
		switch det.Content[i].Value {
		case "condition", "timeframe":
			continue
		}
		f.search(det.Content[i+1], "")
	}
}

func (f *features) search(n *yaml.Node, field string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			name, mods, _ := strings.Cut(key, "|")
			name = strings.ToLower(name)
			if f.fx.field > 0 {
				f.terms["f:"+name] += f.fx.field
			}
			if ls := f.logsourceKey(); f.fx.lsField > 0 && ls != "" {
				f.terms["lf:"+ls+":"+name] += f.fx.lsField
			}
			for _, m := range strings.Split(mods, "|") {
				if m != "" && m != "contains" && m != "endswith" && m != "startswith" && m != "all" {
					f.terms["m:"+strings.ToLower(m)]++
				}
			}
			f.search(n.Content[i+1], name)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			f.search(c, field)
		}
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return
		}
		f.value(n.Value, field)
	case yaml.AliasNode:
		if n.Alias != nil {
			f.search(n.Alias, field)
		}
	}
}

// logsourceKey is the most specific part of the rule's logsource: its
// category, else its service, else its product.
func (f *features) logsourceKey() string {
	switch {
	case f.category != "":
		return f.category
	case f.service != "":
		return f.product + "/" + f.service
	}
	return f.product
}

// value records one detection value selected on field (empty for keywords).
func (f *features) value(v, field string) {
	lv := strings.ToLower(stripIDs(v))
	switch field {
	case "eventid", "eventcode", "event_id", "eventtype_id":
		if d := digitsRe.FindString(lv); d != "" && d == strings.TrimSpace(lv) {
			f.eventIDs[d] = true
			f.terms["eid:"+d]++
		}
		return
	case "channel", "providername", "provider_name", "source":
		if strings.Contains(lv, "sysmon") {
			f.sysmon = true
		}
	}
	f.values = append(f.values, lv)
	parent := strings.HasPrefix(field, "parent")
	for _, m := range fileRe.FindAllString(lv, -1) {
		if !parent {
			f.files[m] = v
		}
		f.terms[m]++
	}
	f.addWords(lv, f.fx.value)
	if f.fx.split > 0 {
		for _, tok := range strings.Fields(lv) {
			if len(tok) > 1 && len(tok) <= 24 && (tok[0] == '-' || tok[0] == '/') && wordRe.MatchString(tok) && !strings.ContainsAny(tok[1:], "/\\") {
				f.terms["cl:"+strings.TrimLeft(tok, "-/")] += f.fx.split
			}
		}
		if i := strings.LastIndexAny(lv, "\\/"); i >= 0 && i+1 < len(lv) {
			if leaf := strings.TrimSpace(lv[i+1:]); len(leaf) > 2 && !strings.ContainsAny(leaf, " ") {
				f.terms["leaf:"+leaf] += f.fx.split
			}
		}
	}
	if f.fx.pairs > 0 && field != "" && len(lv) <= 80 {
		f.terms["fv:"+field+"="+strings.Trim(lv, "*\\ ")] += f.fx.pairs
	}
}

// urlWords returns the words of a reference URL after its ATT&CK IDs, scheme
// and "www." are removed, in lower case.
func urlWords(u string) string {
	u = strings.ToLower(stripIDs(u))
	if _, rest, ok := strings.Cut(u, "://"); ok {
		u = rest
	}
	return strings.TrimPrefix(u, "www.")
}

// addWords adds the words of lower-case text s with weight w.
func (f *features) addWords(s string, w float64) {
	for _, t := range wordRe.FindAllString(s, -1) {
		if len(t) < 3 || stopwords[t] {
			continue
		}
		if f.fx.stem > 0 {
			t = stem(t)
		}
		f.terms[t] += w
	}
}

// stem strips common English inflections from a lower-case word, so that
// "decode", "decoded" and "decoding" are one term.
func stem(t string) string {
	cut := func(suf string, keep int) bool {
		if len(t) >= len(suf)+keep && strings.HasSuffix(t, suf) {
			t = t[:len(t)-len(suf)]
			return true
		}
		return false
	}
	switch {
	case cut("ies", 2):
		t += "y"
	case cut("ions", 4), cut("ion", 4), cut("ing", 4), cut("ed", 3):
	case strings.HasSuffix(t, "sses"), strings.HasSuffix(t, "shes"), strings.HasSuffix(t, "ches"), strings.HasSuffix(t, "xes"):
		t = t[:len(t)-2]
	case strings.HasSuffix(t, "ss"), strings.HasSuffix(t, "us"), strings.HasSuffix(t, "is"):
	case cut("s", 3):
	}
	cut("e", 4)
	return t
}

// kql reads a KQL query: string literals are values, identifiers (tables,
// columns, functions) are terms and are matched against the knowledge base's
// tables, comments are description words, and numbers compared to an EventID
// column are event IDs.
func (f *features) kql(text string) {
	_, _, comments := splitKQL(text)
	for _, c := range comments {
		f.addWords(strings.ToLower(stripIDs(c)), 1)
	}
	facts := queries.Parse(text).Facts
	br, _ := theBridge() // the embedded file is checked by a test
	var sources []*bridgeEntry
	for _, t := range facts.Tables {
		lt := strings.ToLower(t)
		f.tables[lt] = true
		f.terms["t:"+lt]++
		if e := br.table(t); e != nil {
			sources = append(sources, e)
		}
	}
	for _, fn := range facts.Functions {
		f.terms["fn:"+strings.ToLower(fn)] += 0.5
		if e := br.table(fn); e != nil { // ASIM parsers
			sources = append(sources, e)
		}
	}
	// The Sigma logsource of the events read, so that the terms and the
	// knowledge base's logsource facts are those of a Sigma rule.
	for _, e := range sources {
		for _, k := range []string{"category", "product", "service"} {
			v := strings.ToLower(e.Logsource[k])
			if v == "" {
				continue
			}
			f.terms["ls:"+k+":"+v] += f.fx.ls
			switch {
			case k == "category" && f.category == "":
				f.category = v
			case k == "product" && f.product == "":
				f.product = v
			case k == "service" && f.service == "":
				f.service = v
			}
		}
	}
	if len(facts.Tables)+len(sources) > 1 {
		for _, op := range facts.Operators {
			if op == "join" || op == "union" || op == "lookup" {
				f.terms["op:"+op]++
			}
		}
	}
	ops := map[string]bool{}
	for _, lit := range facts.Literals {
		col := strings.ToLower(lit.Column)
		if lit.Operator != "" && !ops[lit.Operator] {
			switch lit.Operator {
			case "has_any", "has_all", "matches regex", "in~", "!in~", "contains_cs", "has_cs":
				ops[lit.Operator] = true
				f.terms["op:"+lit.Operator]++
			}
		}
		if strings.Contains(strings.ToLower(lit.Value), "sysmon") {
			f.sysmon = true
		}
		field := col
		if col != "" {
			f.terms["f:"+col] += 0.5
			if sf := br.field(sources, col); sf == contextField {
				// context of the events, not what the query looks for
				f.addWords(strings.ToLower(stripIDs(lit.Value)), f.fx.value*0.5)
				continue
			} else if sf != "" {
				field = sf
				if sf != col {
					f.terms["f:"+sf] += f.fx.field * 0.5
				}
			}
		}
		switch {
		case field == "eventid" || field == "eventcode" || field == "event_id":
			field = "eventid"
		case strings.HasPrefix(field, "initiatingprocessparent"):
			// the parent of the process a query looks at
			field = "parent" + field
		}
		f.value(lit.Value, field)
	}
}

// splitKQL separates KQL text into code (string literals and comments
// replaced by blanks, with event-ID lists kept), string literal contents and
// comment texts.
func splitKQL(text string) (code string, lits, comments []string) {
	var b strings.Builder
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '/' && i+1 < len(text) && text[i+1] == '/':
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				end = len(text) - i
			}
			comments = append(comments, text[i+2:i+end])
			i += end
		case c == '"' || c == '\'':
			verbatim := i > 0 && text[i-1] == '@'
			j := i + 1
			for j < len(text) && text[j] != c && text[j] != '\n' {
				if text[j] == '\\' && !verbatim {
					j++
				}
				j++
			}
			if j > len(text) {
				j = len(text)
			}
			lit := text[i+1 : j]
			lits = append(lits, lit)
			// keep digits so that EventID in ("4688") still reads as an event ID
			if digitsRe.MatchString(lit) && strings.Trim(lit, "0123456789") == "" {
				b.WriteString(lit)
			} else {
				b.WriteByte(' ')
			}
			i = j + 1
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), lits, comments
}
