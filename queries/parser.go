package queries

import "strings"

// maxDepth bounds the nesting of expressions, so that hostile input cannot
// exhaust the stack.
const maxDepth = 400

// bailout is panicked with to stop at the first syntax error; Parse recovers
// it. No other panic is recovered.
type bailout struct{}

// parser is a recursive-descent parser over the token slice of one query.
type parser struct {
	src   string
	toks  []token
	i     int
	depth int
	diag  *Diagnostic

	// allowColon enables the search predicate form Column:"value".
	allowColon bool
	// open holds the offsets of the brackets read and not yet closed.
	open []int
	// letLits maps a let name to the range of Facts.Literals its value
	// holds (let terms = dynamic(["a", "b"])), so that "Col has_any (terms)"
	// relates them to Col.
	letLits map[string][2]int

	facts   Facts
	sources []sourceRef
	bound   map[string]bool // let names and function parameters
	seen    map[factKey]bool
}

// factKey identifies a fact for de-duplication.
type factKey struct {
	kind  byte
	value string
}

type sourceRef struct {
	name string
}

func (p *parser) run() {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
		}
	}()
	p.query()
}

func (p *parser) result() *Result {
	r := &Result{Facts: p.facts}
	for _, s := range p.sources {
		if s.name != "" && !p.bound[s.name] {
			r.Facts.Tables = appendUnique(r.Facts.Tables, s.name)
		}
	}
	if p.diag != nil {
		r.Diagnostics = []Diagnostic{*p.diag}
	}
	return r
}

// bind records a name bound by let or a parameter list.
func (p *parser) bind(name string) {
	if p.bound == nil {
		p.bound = map[string]bool{}
	}
	p.bound[name] = true
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func (p *parser) addFact(kind byte, list *[]string, v string) {
	key := factKey{kind, v}
	if p.seen == nil {
		p.seen = map[factKey]bool{}
	}
	if p.seen[key] {
		return
	}
	p.seen[key] = true
	*list = append(*list, v)
}

// ---- token access ----

func (p *parser) tok() *token { return &p.toks[p.i] }

func (p *parser) peek(n int) *token {
	if p.i+n < len(p.toks) {
		return &p.toks[p.i+n]
	}
	return &p.toks[len(p.toks)-1]
}

func (p *parser) advance() *token {
	t := &p.toks[p.i]
	if t.bad != badNone {
		p.failAt(t.end, 0, badMessage(t))
	}
	if t.kind == tBad {
		p.failAt(t.off, t.end-t.off, badMessage(t))
	}
	if t.kind == tPunct {
		switch t.text {
		case "(", "[", "{":
			p.open = append(p.open, t.off)
		case ")", "]", "}":
			if len(p.open) > 0 {
				p.open = p.open[:len(p.open)-1]
			}
		}
	}
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// prevEnd is the end offset of the last consumed token.
func (p *parser) prevEnd() int {
	if p.i == 0 {
		return 0
	}
	return p.toks[p.i-1].end
}

func (p *parser) is(text string) bool {
	t := p.tok()
	return (t.kind == tPunct || t.kind == tIdent) && t.text == text
}

func (p *parser) isPunct(text string) bool {
	t := p.tok()
	return t.kind == tPunct && t.text == text
}

func (p *parser) isWord(text string) bool {
	t := p.tok()
	return t.kind == tIdent && t.text == text
}

func (p *parser) accept(text string) bool {
	if p.is(text) {
		p.advance()
		return true
	}
	return false
}

// ---- errors ----

func (p *parser) failAt(off, length int, msg string) {
	if p.diag == nil {
		p.diag = &Diagnostic{Offset: off, Length: length, Message: msg, Open: -1}
		switch msg {
		case "Expected: )", "Expected: ]", "Expected: }":
			if len(p.open) > 0 {
				p.diag.Open = p.open[len(p.open)-1]
			}
		}
	}
	panic(bailout{})
}

// expected reports a missing token: at the end of the previous token.
func (p *parser) expected(what string) {
	// Kusto points at the token in the way when it is on the same line,
	// else just after the last token read.
	if t := p.tok(); t.kind != tEOF && !t.nl && t.bad == badNone && t.kind != tBad {
		p.failAt(t.off, t.end-t.off, "Expected: "+what)
	}
	p.failAt(p.prevEnd(), 0, "Expected: "+what)
}

func (p *parser) expect(text string) {
	if !p.accept(text) {
		p.expected(text)
	}
}

// missing reports a missing construct ("expression", "name").
func (p *parser) missing(what string) {
	p.failAt(p.prevEnd(), 0, "Missing "+what)
}

// unexpected reports a token that cannot continue the query.
func (p *parser) unexpected() {
	t := p.tok()
	if t.kind == tEOF {
		p.missing("expression")
	}
	if t.bad != badNone || t.kind == tBad {
		p.advance()
	}
	if startsExpression(t) {
		// Kusto points at the token on its line, or just after the
		// statement when the token starts a later line.
		if t.nl {
			p.failAt(p.prevEnd(), 0, "Expected: ;")
		}
		p.failAt(t.off, t.end-t.off, "Expected: ;")
	}
	p.failAt(t.off, t.end-t.off, "The incomplete fragment is unexpected.")
}

func startsExpression(t *token) bool {
	switch t.kind {
	case tIdent:
		return !reserved[t.text] || t.text == "union" || t.text == "print" || t.text == "set" ||
			t.text == "find" || t.text == "search" || t.text == "datatable" || t.text == "externaldata" ||
			t.text == "where" || t.text == "project" || t.text == "invoke" || t.text == "sample" ||
			t.text == "as" || t.text == "toscalar" || t.text == "materialize" || t.text == "dynamic"
	case tBracket, tNumber, tTimespan, tString, tLiteral:
		return true
	case tPunct:
		return t.text == "(" || t.text == "-" || t.text == "+"
	}
	return false
}

// ---- statements ----

// query parses statements separated by ';'.
func (p *parser) query() {
	for {
		if p.tok().kind == tEOF {
			return
		}
		if p.isPunct(";") {
			// an empty statement: ";T" or "T;;S"
			t := p.tok()
			p.failAt(t.off, t.end-t.off, "The incomplete fragment is unexpected.")
		}
		p.statement()
		if p.tok().kind == tEOF {
			return
		}
		if !p.isPunct(";") {
			p.unexpected()
		}
		p.advance()
	}
}

func (p *parser) statement() {
	t := p.tok()
	if t.kind == tIdent {
		switch t.text {
		case "let":
			if n := p.peek(1); n.kind == tIdent || n.kind == tBracket {
				p.letStatement()
				return
			}
		case "set":
			p.setStatement()
			return
		case "declare":
			if p.peek(1).text == "query_parameters" || p.peek(1).text == "pattern" {
				p.declareStatement()
				return
			}
		case "alias":
			if p.peek(1).text == "database" {
				p.aliasStatement()
				return
			}
		case "restrict":
			if p.peek(1).text == "access" {
				p.advance()
				p.advance()
				p.expectWord("to")
				p.expect("(")
				for {
					p.expr()
					if !p.accept(",") {
						break
					}
				}
				p.expect(")")
				return
			}
		}
	}
	if t.kind == tPunct && t.text == "|" {
		p.failAt(t.off, t.end-t.off, "The incomplete fragment is unexpected.")
	}
	// A statement may start with a reserved operator applied to an
	// implicit input ("where x > 1"); other operator names (extend) are
	// names there.
	if t.kind == tIdent && knownOperator[t.text] && (reserved[t.text] || hyphenated[t.text]) && !startOperator[t.text] && !p.looksLikeExpressionStart() {
		p.opChainOrQuery()
		return
	}
	p.tableOrQuery()
}

// tableOrQuery parses a tabular expression whose plain name is a table.
func (p *parser) tableOrQuery() {
	if n := p.pipeExpr(); n.kind == nName {
		p.sources = append(p.sources, sourceRef{name: n.text})
	}
}

// skipStatement skips a statement the parser does not model, keeping
// brackets balanced.
func (p *parser) skipStatement() {
	p.skipBalanced(func(t *token) bool { return t.kind == tPunct && t.text == ";" })
}

// skipBalanced consumes tokens until stop matches at bracket depth 0, or a
// closing bracket at depth 0, or the end.
func (p *parser) skipBalanced(stop func(*token) bool) {
	depth := 0
	for {
		t := p.tok()
		if t.kind == tEOF {
			return
		}
		if t.kind == tPunct {
			switch t.text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if depth == 0 {
					return
				}
				depth--
			}
		}
		if depth == 0 && stop(t) {
			return
		}
		p.advance()
	}
}

func (p *parser) letStatement() {
	p.advance() // let
	name := p.name()
	p.bind(name)
	p.addFact('L', &p.facts.Lets, name)
	if !p.accept("=") {
		p.expected("=")
	}
	if p.isWord("view") && p.peek(1).text == "(" {
		p.advance()
		p.lambda()
		return
	}
	if p.isPunct("(") && p.looksLikeParams() {
		p.lambda()
		return
	}
	if p.isWord("dynamic") && p.peek(1).text == "(" {
		from := len(p.facts.Literals)
		p.tableOrQuery()
		if to := len(p.facts.Literals); to > from {
			if p.letLits == nil {
				p.letLits = map[string][2]int{}
			}
			p.letLits[name] = [2]int{from, to}
		}
		return
	}
	if p.isWord("materialize") && p.peek(1).text == "(" {
		// materialize() is allowed only as the value of a let
		t := p.advance()
		p.call(t.text, t.off)
		for p.isPunct("|") {
			p.advance()
			p.operator()
		}
		return
	}
	p.tableOrQuery()
}

// looksLikeParams reports whether "(" starts a function parameter list:
// "()" followed by "{", or "(name:".
func (p *parser) looksLikeParams() bool {
	a, b := p.peek(1), p.peek(2)
	if a.kind == tPunct && a.text == ")" {
		c := p.peek(2)
		return c.kind == tPunct && c.text == "{"
	}
	return (a.kind == tIdent || a.kind == tBracket) && b.kind == tPunct && b.text == ":"
}

// lambda parses "(params) { body }".
func (p *parser) lambda() {
	p.expect("(")
	if !p.isPunct(")") {
		for {
			name := p.declName()
			p.bind(name)
			p.expect(":")
			p.typeRef()
			if p.accept("=") {
				p.expr()
			}
			if !p.accept(",") {
				break
			}
		}
	}
	p.expect(")")
	p.expect("{")
	p.body()
	p.expect("}")
}

// body parses the statements of a function body up to "}".
func (p *parser) body() {
	p.enter()
	defer p.leave()
	for {
		for p.accept(";") {
		}
		if p.isPunct("}") || p.tok().kind == tEOF {
			return
		}
		p.statement()
		if p.isPunct("}") {
			return
		}
		if !p.isPunct(";") {
			if p.tok().kind == tEOF {
				p.expected("}")
			}
			p.unexpected()
		}
	}
}

// typeRef parses a type: string, long, dynamic, or a tabular schema (*) /
// (a:string, ...).
func (p *parser) typeRef() {
	t := p.tok()
	if t.kind == tPunct && t.text == "(" {
		p.advance()
		if p.accept("*") {
			p.expect(")")
			return
		}
		p.schemaBody()
		return
	}
	if t.kind == tIdent && !scalarTypes[t.text] {
		p.failAt(t.off, t.end-t.off, "The name '"+t.text+"' is not a valid type name that can be used here.")
	}
	if t.kind == tIdent || t.kind == tLiteral {
		p.advance()
		return
	}
	p.missing("type name")
}

// scalarTypes are the type names of schemas, parameters and typeof().
var scalarTypes = map[string]bool{
	"bool": true, "boolean": true, "datetime": true, "date": true, "dynamic": true,
	"guid": true, "uniqueid": true, "int": true, "int8": true, "long": true, "int64": true,
	"real": true, "double": true, "string": true, "timespan": true, "time": true,
	"decimal": true,
}

// schemaBody parses "name:type, ... )" after "("; a trailing comma is
// allowed.
func (p *parser) schemaBody() {
	if p.accept(")") {
		return
	}
	for {
		if p.isPunct("*") {
			p.advance()
		} else {
			p.declName()
			p.expect(":")
			p.typeRef()
		}
		if !p.accept(",") || p.isPunct(")") {
			break
		}
	}
	p.expect(")")
}

// declName parses a declared name (a column of a schema, a parse pattern),
// where Kusto also accepts some keywords (title, by).
func (p *parser) declName() string {
	if t := p.tok(); t.kind == tIdent && declarable[t.text] {
		p.advance()
		return t.text
	}
	return p.name()
}

// schema parses "(name:type, ...)".
func (p *parser) schema() {
	if !p.isPunct("(") {
		p.missing("schema declaration")
	}
	p.advance()
	p.schemaBody()
}

func (p *parser) setStatement() {
	p.advance() // set
	p.dottedName()
	if p.accept("=") {
		p.skipBalanced(func(t *token) bool { return t.kind == tPunct && t.text == ";" })
	}
}

func (p *parser) declareStatement() {
	p.advance() // declare
	if p.isWord("pattern") {
		p.skipStatement()
		return
	}
	p.advance() // query_parameters
	p.expect("(")
	if !p.isPunct(")") {
		for {
			name := p.name()
			p.bind(name)
			p.expect(":")
			p.typeRef()
			if p.accept("=") {
				p.expr()
			}
			if !p.accept(",") {
				break
			}
		}
	}
	p.expect(")")
}

func (p *parser) aliasStatement() {
	p.advance() // alias
	p.advance() // database
	p.name()
	p.expect("=")
	p.expr()
}

// name parses an identifier or bracketed name and returns it.
func (p *parser) name() string {
	t := p.tok()
	switch t.kind {
	case tIdent:
		if reserved[t.text] {
			p.failAt(t.off, t.end-t.off, "The name '"+t.text+"' needs to be bracketed as ['"+t.text+"'] to be used in this context.")
		}
		if strings.HasPrefix(t.text, "!") {
			break
		}
		p.advance()
		return t.text
	case tBracket:
		p.advance()
		return bracketName(t.text)
	case tLiteral:
		// "long" in "x:long" lexes as a literal only when "(" follows.
	}
	p.missing("name")
	return ""
}

// dottedName parses name(.name)*.
func (p *parser) dottedName() string {
	var b strings.Builder
	t := p.tok()
	if t.kind != tIdent && t.kind != tBracket {
		p.missing("name")
	}
	p.advance()
	b.WriteString(t.text)
	for p.isPunct(".") && (p.peek(1).kind == tIdent || p.peek(1).kind == tBracket) {
		p.advance()
		b.WriteByte('.')
		b.WriteString(p.advance().text)
	}
	return b.String()
}

// bracketName returns the name inside ['x'] or ["x"].
func bracketName(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	return unquote(s)
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		t := p.tok()
		p.failAt(t.off, 0, "The query is nested too deeply.")
	}
}

func (p *parser) leave() { p.depth-- }

// startOperator are the operators that begin a tabular expression.
var startOperator = map[string]bool{"union": true, "print": true, "find": true, "search": true,
	"range": true, "evaluate": true, "datatable": true, "externaldata": true}
