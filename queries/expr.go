package queries

import (
	"strconv"
	"strings"
	"unicode"
)

// node says what an expression was, as far as facts need to know.
type node struct {
	kind   nodeKind
	text   string // the name, or the literal as written
	off    int
	litIdx int // index into facts.Literals for literals, -1 otherwise
}

type nodeKind uint8

const (
	nOther nodeKind = iota
	nName           // a plain column or table name
	nLit            // a string or number literal
	nCall           // a function call
)

// reserved are the keywords Kusto refuses as plain names in expressions;
// they must be written ['name'].
var reserved = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`by where project title to of as and or in has contains between
		asc desc first last union set print datatable externaldata sample search find invoke
		isfuzzy bagexpansion with_itemindex dynamic datetime int long string real
		timespan decimal materialize toscalar accumulate anomalychart areachart barchart callout
		card columnchart containscs contains_cs datascope decodeblocks flags hasprefix hassuffix
		hasprefix_cs hassuffix_cs has_all has_any has_cs ladderchart like linechart notcontains
		notcontainscs notlike likecs notlikecs others piechart pivotchart relaxed scatterchart
		simple stackedareachart startswith endswith startswith_cs endswith_cs timechart timeline
		timepivot treemap with_match_id with_step_name time date uint ulong double float int64
		in~ !in !in~ !has !contains !between !startswith !endswith !hasprefix !hassuffix
		!has_cs !contains_cs !startswith_cs !endswith_cs !hasprefix_cs !hassuffix_cs
		boolean int8 int16 uint8 uint16 char uniqueid byte uint32 uint64 int32`) {
		reserved[w] = true
	}
}

// compareOps are the binary operators of the comparison level, whose right
// operand is an additive expression.
var compareOps = map[string]bool{
	"==": true, "!=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true,
	"=~": true, "!~": true,
	"has": true, "!has": true, "has_cs": true, "!has_cs": true,
	"hasprefix": true, "!hasprefix": true, "hasprefix_cs": true, "!hasprefix_cs": true,
	"hassuffix": true, "!hassuffix": true, "hassuffix_cs": true, "!hassuffix_cs": true,
	"contains": true, "!contains": true, "contains_cs": true, "!contains_cs": true,
	"containscs": true, "notcontains": true, "notcontainscs": true,
	"startswith": true, "!startswith": true, "startswith_cs": true, "!startswith_cs": true,
	"endswith": true, "!endswith": true, "endswith_cs": true, "!endswith_cs": true,
	"like": true, "notlike": true, "likecs": true, "notlikecs": true,
}

// listOps take a parenthesized list: x in ("a", "b").
var listOps = map[string]bool{
	"in": true, "!in": true, "in~": true, "!in~": true, "has_any": true, "has_all": true,
}

// pipeExpr parses a tabular or scalar expression with pipe operators.
func (p *parser) pipeExpr() node {
	p.enter()
	defer p.leave()
	n := p.source()
	if n.kind == nName && p.isPunct("|") {
		p.sources = append(p.sources, sourceRef{name: n.text})
	}
	for p.isPunct("|") {
		p.advance()
		p.operator()
		n = node{kind: nOther, litIdx: -1}
	}
	return n
}

// expr parses a scalar expression: the "or" level.
func (p *parser) expr() node {
	p.enter()
	defer p.leave()
	n := p.and()
	for p.isWord("or") {
		p.advance()
		p.and()
		n = other()
	}
	return n
}

func other() node { return node{kind: nOther, litIdx: -1} }

func (p *parser) and() node {
	n := p.compare()
	for p.isWord("and") {
		p.advance()
		p.compare()
		n = other()
	}
	return n
}

// Comparisons take three precedence levels, lowest first, and none of them
// chains ("a == 1 == 2" is an error), as in Kusto:
//
//	equality:   == != <> in !in in~ !in~ has_any has_all between !between
//	relational: < <= > >=
//	string:     =~ !~ has contains startswith endswith hasprefix hassuffix
//	            like matches regex, their _cs and negated forms
var relationalOps = map[string]bool{"<": true, "<=": true, ">": true, ">=": true}

var equalityOps = map[string]bool{"==": true, "!=": true, "<>": true}

// compare parses the equality level.
func (p *parser) compare() node {
	n := p.relational()
	t := p.tok()
	switch {
	case t.kind == tPunct && equalityOps[t.text]:
		p.advance()
		p.relate(n, t.text, p.relational())
	case t.kind == tIdent && listOps[t.text]:
		p.advance()
		p.list(n, t.text)
	case t.kind == tIdent && (t.text == "between" || t.text == "!between"):
		p.advance()
		p.expect("(")
		p.additive()
		p.expect("..")
		p.additive()
		p.expect(")")
	case p.allowColon && t.kind == tPunct && t.text == ":":
		p.advance()
		p.relate(n, ":", p.relational())
	default:
		return n
	}
	return other()
}

// relational parses the relational level.
func (p *parser) relational() node {
	n := p.stringOp()
	if t := p.tok(); t.kind == tPunct && relationalOps[t.text] {
		p.advance()
		p.relate(n, t.text, p.stringOp())
		return other()
	}
	return n
}

// stringOp parses the string-operator level.
func (p *parser) stringOp() node {
	n := p.additive()
	t := p.tok()
	switch {
	case t.kind == tIdent && compareOps[t.text], t.kind == tPunct && (t.text == "=~" || t.text == "!~"):
		p.advance()
		p.relate(n, t.text, p.additive())
	case t.kind == tIdent && t.text == "matches":
		p.advance()
		if !p.isWord("regex") {
			p.expected("regex")
		}
		p.advance()
		p.relate(n, "matches regex", p.additive())
	default:
		return n
	}
	return other()
}

// relate records a literal compared to a plain column.
func (p *parser) relate(l node, op string, r node) {
	if l.kind == nName && r.kind == nName {
		// Col has_any (terms), where let terms = dynamic([...])
		if span, ok := p.letLits[r.text]; ok {
			for i := span[0]; i < span[1]; i++ {
				if lit := &p.facts.Literals[i]; lit.Column == "" {
					lit.Column, lit.Operator = l.text, op
				}
			}
		}
		return
	}
	if l.kind == nName && r.kind == nLit && r.litIdx >= 0 {
		lit := &p.facts.Literals[r.litIdx]
		lit.Column, lit.Operator = l.text, op
	} else if r.kind == nName && l.kind == nLit && l.litIdx >= 0 {
		lit := &p.facts.Literals[l.litIdx]
		lit.Column, lit.Operator = r.text, op
	}
}

// list parses "(a, b, ...)" after in, has_any and friends.
func (p *parser) list(l node, op string) {
	if !p.isPunct("(") {
		p.expected("(")
	}
	p.advance()
	if p.isPunct(")") {
		p.missing("expression")
	}
	{
		// The first element may be a query (x in (T | project y)); the
		// elements of a list are scalar.
		r := p.pipeExpr()
		p.relate(l, op, r)
		for p.accept(",") {
			r := p.expr()
			p.relate(l, op, r)
		}
	}
	p.expect(")")
}

func (p *parser) additive() node {
	n := p.multiplicative()
	for p.isPunct("+") || p.isPunct("-") {
		p.advance()
		p.multiplicative()
		n = other()
	}
	return n
}

func (p *parser) multiplicative() node {
	n := p.unary()
	for p.isPunct("*") || p.isPunct("/") || p.isPunct("%") {
		p.advance()
		p.unary()
		n = other()
	}
	return n
}

func (p *parser) unary() node {
	if p.isPunct("-") || p.isPunct("+") {
		p.enter()
		defer p.leave()
		op := p.advance()
		n := p.unary()
		if n.kind == nLit && n.litIdx >= 0 && op.text == "-" {
			lit := &p.facts.Literals[n.litIdx]
			if !strings.HasPrefix(lit.Value, "-") {
				lit.Value = "-" + lit.Value
				lit.Offset = op.off
			}
		}
		return n
	}
	return p.postfix()
}

// postfix parses member access, indexing and calls after a primary.
func (p *parser) postfix() node {
	n := p.primary()
	for {
		switch {
		case p.tok().kind == tBracket:
			// x['key'] and x.['key']: indexing with a string
			p.advance()
			n = other()
		case p.isPunct(".") && (p.peek(1).kind == tBracket || p.peek(1).kind == tPunct && p.peek(1).text == "["):
			p.advance()
		case p.isPunct("."):
			p.advance()
			t := p.tok()
			if t.kind == tIdent || t.kind == tBracket {
				p.advance()
			} else {
				p.missing("name")
			}
			if p.isPunct("(") {
				p.call(t.text, t.off)
			}
			// database("x").Table: the member names a table.
			n = node{kind: nOther, litIdx: -1}
			if t.kind == tIdent || t.kind == tBracket {
				n = node{kind: nName, text: identName(t), off: t.off, litIdx: -1}
			}
		case p.isPunct("["):
			p.advance()
			p.pipeExpr()
			p.expect("]")
			n = other()
		default:
			return n
		}
	}
}

// primary parses literals, names, calls and parenthesized expressions.
func (p *parser) primary() node {
	t := p.tok()
	switch t.kind {
	case tNumber, tTimespan, tLiteral:
		p.advance()
		if t.kind == tTimespan {
			p.addFact('W', &p.facts.TimeWindows, t.text)
		}
		if t.kind == tNumber {
			p.facts.Literals = append(p.facts.Literals, Literal{Value: t.text, Offset: t.off})
			return node{kind: nLit, text: t.text, off: t.off, litIdx: len(p.facts.Literals) - 1}
		}
		return node{kind: nOther, text: t.text, off: t.off, litIdx: -1}
	case tString:
		p.advance()
		val := unquote(t.text)
		// adjacent string literals concatenate: "a" "b"
		if p.tok().kind == tString {
			var b strings.Builder
			b.WriteString(val)
			for p.tok().kind == tString {
				b.WriteString(unquote(p.advance().text))
			}
			val = b.String()
		}
		p.facts.Literals = append(p.facts.Literals, Literal{Value: val, Offset: t.off})
		return node{kind: nLit, text: val, off: t.off, litIdx: len(p.facts.Literals) - 1}
	case tBracket:
		p.advance()
		if p.isPunct("(") {
			p.call(bracketName(t.text), t.off)
			return node{kind: nCall, text: bracketName(t.text), off: t.off, litIdx: -1}
		}
		return node{kind: nName, text: bracketName(t.text), off: t.off, litIdx: -1}
	case tIdent:
		return p.identExpr(t)
	case tPunct:
		switch t.text {
		case "(":
			p.advance()
			n := p.pipeExpr()
			p.expect(")")
			if n.kind == nName {
				n = other()
			}
			return n
		case "*":
			// "* has x": a predicate over every column
			if p.isStarPredicate() {
				p.advance()
				return other()
			}
		}
	case tBad:
		p.advance()
	}
	if t.bad != badNone {
		p.advance()
	}
	p.missing("expression")
	return other()
}

// isStarPredicate reports whether the current "*" starts "* has x".
func (p *parser) isStarPredicate() bool {
	n := p.peek(1)
	return n.kind == tIdent && compareOps[n.text] || n.kind == tPunct && (compareOps[n.text] || equalityOps[n.text])
}

// identExpr parses an expression that starts with an identifier.
func (p *parser) identExpr(t *token) node {
	switch t.text {
	case "dynamic":
		if p.peek(1).text == "(" {
			p.advance()
			p.dynamicLiteral()
			return other()
		}
		p.failAt(t.off, t.end-t.off, "The name 'dynamic' needs to be bracketed as ['dynamic'] to be used in this context.")
	case "toscalar":
		p.advance()
		if !p.isPunct("(") {
			p.expected("(")
		}
		p.call(t.text, t.off)
		return other()
	case "datatable":
		p.advance()
		p.datatable()
		return node{kind: nOther, litIdx: -1}
	case "externaldata":
		p.advance()
		p.externaldata()
		return node{kind: nOther, litIdx: -1}
	case "typeof":
		if p.peek(1).text == "(" {
			p.advance()
			p.advance()
			// typeof(string), or a schema: typeof(*), typeof(a:string, b:long)
			if p.isPunct("*") || p.peek(1).kind == tPunct && p.peek(1).text == ":" {
				p.schemaBody()
				return other()
			}
			p.typeRef()
			p.expect(")")
			return other()
		}
	case "true", "false", "null":
		p.advance()
		return other()
	}
	if t.text == "kind" && p.peek(1).text == "(" {
		// "kind" names a column, but kind(...) is a parameter gone wrong
		p.advance()
		p.failAt(p.tok().end, 1, "Expected: ,")
	}
	if reserved[t.text] || hyphenated[t.text] {
		p.failAt(t.off, t.end-t.off, "The name '"+t.text+"' needs to be bracketed as ['"+t.text+"'] to be used in this context.")
	}
	p.advance()
	if p.isPunct("(") {
		p.call(t.text, t.off)
		return node{kind: nCall, text: t.text, off: t.off, litIdx: -1}
	}
	return node{kind: nName, text: t.text, off: t.off, litIdx: -1}
}

// call parses "(args)" after a function name.
func (p *parser) call(name string, off int) {
	p.addFact('F', &p.facts.Functions, name)
	p.advance() // (
	if name == "table" || name == "view" {
		if t := p.tok(); t.kind == tString && p.peek(1).text == ")" {
			p.sources = append(p.sources, sourceRef{name: unquote(t.text)})
		}
	}
	if p.accept(")") {
		return
	}
	// Arguments are scalar expressions (a "|" ends them), except for the
	// functions that take a query.
	tabular := name == "toscalar" || name == "materialize" || name == "view"
	for {
		p.argument(tabular)
		if !p.accept(",") {
			break
		}
	}
	p.expect(")")
}

// argument parses one call argument: an expression, a named argument
// name=value, or "*".
func (p *parser) argument(tabular bool) {
	t := p.tok()
	if (t.kind == tIdent || t.kind == tBracket) && p.peek(1).kind == tPunct && p.peek(1).text == "=" && !reserved[t.text] {
		p.advance()
		p.advance()
	}
	if t.kind == tPunct && t.text == "*" {
		if n := p.peek(1); n.kind == tPunct && (n.text == "," || n.text == ")") {
			p.advance() // arg_max(x, *), bag_pack(*)
			return
		}
	}
	if tabular {
		p.pipeExpr()
		return
	}
	p.expr()
}

// dynamicLiteral parses dynamic(...) whose content is a JSON-like value.
func (p *parser) dynamicLiteral() {
	p.advance() // (
	if !p.isPunct(")") {
		p.jsonValue()
	}
	p.expect(")")
}

func (p *parser) jsonValue() {
	p.enter()
	defer p.leave()
	t := p.tok()
	switch {
	case t.kind == tPunct && t.text == "[":
		p.advance()
		if !p.isPunct("]") {
			for {
				p.jsonValue()
				if !p.accept(",") {
					break
				}
			}
		}
		p.expect("]")
	case t.kind == tPunct && t.text == "{":
		p.advance()
		if !p.isPunct("}") {
			for {
				k := p.tok()
				if k.kind != tString {
					p.missing("string literal")
				}
				for p.tok().kind == tString {
					p.advance()
				}
				p.expect(":")
				p.jsonValue()
				if !p.accept(",") {
					break
				}
			}
		}
		p.expect("}")
	case t.kind == tPunct && (t.text == "-" || t.text == "+"):
		p.advance()
		n := p.tok()
		if n.kind != tNumber && n.kind != tTimespan && n.kind != tLiteral {
			p.missing("literal")
		}
		p.advance()
	case t.kind == tBracket:
		p.advance() // ["a"]: an array of one string
	case t.kind == tString:
		p.advance()
		val := unquote(t.text)
		if p.tok().kind == tString {
			var b strings.Builder
			b.WriteString(val)
			for p.tok().kind == tString {
				b.WriteString(unquote(p.advance().text))
			}
			val = b.String()
		}
		p.facts.Literals = append(p.facts.Literals, Literal{Value: val, Offset: t.off})
	case t.kind == tNumber || t.kind == tTimespan || t.kind == tLiteral:
		p.advance()
	case t.kind == tIdent && (t.text == "true" || t.text == "false" || t.text == "null"):
		p.advance()
	default:
		if t.bad != badNone {
			p.advance()
		}
		p.expected("]")
	}
}

// unquote decodes a KQL string literal as written.
func unquote(s string) string {
	if len(s) > 0 && (s[0] == 'h' || s[0] == 'H') {
		s = s[1:]
	}
	verbatim := false
	if strings.HasPrefix(s, "@") {
		verbatim = true
		s = s[1:]
	}
	if strings.HasPrefix(s, "```") {
		s = strings.TrimPrefix(s, "```")
		return strings.TrimSuffix(s, "```")
	}
	if len(s) < 2 {
		return s
	}
	q := s[0]
	if q != '\'' && q != '"' {
		return s
	}
	body := s[1:]
	if len(body) > 0 && body[len(body)-1] == q {
		body = body[:len(body)-1]
	}
	if verbatim {
		return strings.ReplaceAll(body, string([]byte{q, q}), string(q))
	}
	if strings.IndexByte(body, '\\') < 0 {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch body[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x', 'u', 'U':
			// \xHH, \uHHHH, \UHHHHHHHH
			n := escapeLen(body[i-1:]) - 2
			if n <= 0 {
				b.WriteByte(body[i])
				continue
			}
			v, err := strconv.ParseUint(body[i+1:i+1+n], 16, 32)
			if err != nil || v > unicode.MaxRune {
				b.WriteString(body[i-1 : i+1+n])
			} else {
				b.WriteRune(rune(v))
			}
			i += n
		default:
			b.WriteByte(body[i])
		}
	}
	return b.String()
}

// identName returns the name an identifier or bracketed-name token spells.
func identName(t *token) string {
	if t.kind == tBracket {
		return bracketName(t.text)
	}
	return t.text
}
