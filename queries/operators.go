package queries

import "strings"

// source parses the start of a tabular expression: a starting operator
// (union, print, range, find, search, evaluate, datatable, externaldata) or
// any scalar expression (a table name, a call, a parenthesized query).
func (p *parser) source() node {
	t := p.tok()
	if t.kind == tIdent {
		next := p.peek(1)
		switch t.text {
		case "union", "print", "find", "search":
			p.advance()
			p.addFact('O', &p.facts.Operators, t.text)
			p.operatorBody(t.text)
			return node{kind: nOther, litIdx: -1}
		case "range", "evaluate":
			if next.kind == tIdent || next.kind == tBracket {
				p.advance()
				p.addFact('O', &p.facts.Operators, t.text)
				p.operatorBody(t.text)
				return node{kind: nOther, litIdx: -1}
			}
		}
	}
	return p.expr()
}

// operator parses one pipe operator after "|".
func (p *parser) operator() {
	t := p.tok()
	if t.kind != tIdent || !knownOperator[t.text] {
		if t.kind == tEOF {
			p.failAt(p.prevEnd(), 0, "Query operator expected.")
		}
		p.failAt(t.off, t.end-t.off, "Query operator expected.")
	}
	p.advance()
	p.addFact('O', &p.facts.Operators, t.text)
	p.operatorBody(t.text)
}

// knownOperator lists the pipe operators.
var knownOperator = map[string]bool{}

func init() {
	for _, w := range []string{"where", "filter", "project", "project-away", "project-keep",
		"project-rename", "project-reorder", "extend", "summarize", "join",
		"lookup", "union", "mv-expand", "mvexpand", "mv-apply", "parse", "parse-where", "parse-kv",
		"evaluate", "make-series", "top", "top-nested", "top-hitters", "take", "limit", "sort",
		"order", "distinct", "count", "render", "as", "invoke", "serialize", "sample",
		"sample-distinct", "getschema", "search", "find", "facet", "fork", "partition", "scan",
		"consume", "reduce", "extend", "print", "range", "make-graph", "graph-match",
		"graph-merge", "graph-to-table", "graph-shortest-paths", "graph-mark-components",
		"assert-schema", "macro-expand", "externaldata", "datatable", "lookup"} {
		knownOperator[w] = true
	}
}

// operatorBody parses what follows an operator keyword.
func (p *parser) operatorBody(op string) {
	switch op {
	case "where", "filter":
		p.params(nil)
		p.namedExpr()
	case "project", "serialize":
		p.optionalList()
	case "extend", "print":
		p.namedList()
	case "project-away", "project-keep":
		p.params(nil)
		p.columnList(false)
	case "distinct":
		p.params(nil)
		if p.atOperatorEnd() {
			p.missing("expression")
		}
		p.columnList(false)
	case "project-reorder":
		p.columnList(true)
	case "project-rename":
		// Kusto reads the items as expressions and judges them later.
		p.optionalList()
	case "summarize":
		p.summarize()
	case "join", "lookup":
		p.join()
	case "union":
		p.union()
	case "mv-expand", "mvexpand":
		p.mvExpand()
	case "mv-apply":
		p.mvApply()
	case "parse", "parse-where":
		p.parse()
	case "parse-kv":
		p.parseKV()
	case "evaluate":
		p.evaluate()
	case "make-series":
		p.makeSeries()
	case "top":
		p.params(nil)
		p.namedExpr()
		if !p.isWord("by") {
			p.expected("by")
		}
		p.advance()
		p.sortKey()
	case "top-nested":
		p.topNested()
	case "top-hitters":
		p.expr()
		p.expectWord("of")
		p.expr()
		if p.isWord("by") {
			p.advance()
			p.expr()
		}
	case "take", "limit", "sample":
		p.params(nil)
		p.namedExpr()
	case "sample-distinct":
		p.expr()
		p.expectWord("of")
		p.expr()
	case "sort", "order":
		p.params(nil)
		p.expectWord("by")
		for {
			p.sortKey()
			if !p.accept(",") {
				break
			}
		}
	case "count":
		if p.isWord("as") {
			p.advance()
			p.name()
		}
	case "getschema":
	case "render":
		p.render()
	case "as":
		p.params(nil)
		p.name()
	case "invoke":
		if t := p.tok(); t.kind != tIdent || p.peek(1).text != "(" {
			p.missing("expression")
		}
		p.expr()
	case "search":
		p.search()
	case "find":
		p.find()
	case "facet":
		p.facet()
	case "fork":
		p.fork()
	case "partition":
		p.partition()
	case "range":
		p.name()
		p.expectWord("from")
		p.expr()
		p.expectWord("to")
		p.expr()
		p.expectWord("step")
		p.expr()
	case "scan":
		p.scan()
	case "reduce":
		// reduce [kind=source] by expr [with name=value, ...]
		p.params(nil)
		p.expectWord("by")
		p.expr()
		if p.isWord("with") {
			p.advance()
			for !p.atOperatorEnd() {
				p.name()
				p.expect("=")
				p.expr()
				if !p.accept(",") {
					break
				}
			}
		}
	case "assert-schema":
		p.expect("(")
		if !p.isPunct(")") {
			for {
				p.declName()
				p.expect(":")
				p.typeRef()
				if !p.accept(",") {
					break
				}
			}
		}
		p.expect(")")
	case "datatable":
		p.datatable()
	case "externaldata":
		p.externaldata()
	default:
		// scan, consume, reduce, graph operators, ...: not modelled; skip
		// them without judging.
		p.skipOperator()
	}
}

func (p *parser) skipOperator() {
	p.skipBalanced(func(t *token) bool {
		return t.kind == tPunct && (t.text == "|" || t.text == ";")
	})
}

func (p *parser) expectWord(w string) {
	if !p.isWord(w) {
		p.expected(w)
	}
	p.advance()
}

// params parses operator parameters name=value (kind=inner,
// hint.strategy=shuffle). allowed nil accepts any hint.* and the general
// parameter names.
func (p *parser) params(allowed map[string]bool) {
	for {
		t := p.tok()
		if t.kind != tIdent {
			return
		}
		n := 1
		name := t.text
		if name == "hint" || name == "hint_" {
			// hint.strategy
			if p.peek(1).text != "." || p.peek(2).kind != tIdent {
				return
			}
			name = "hint." + p.peek(2).text
			n = 3
			if eq := p.peek(n); eq.kind == tPunct && eq.text == "==" {
				p.failAt(t.off, eq.off-t.off, "The name '"+name+"' needs to be bracketed as ['"+name+"'] to be used in this context.")
			}
		} else if !paramNames[name] && !allowed[name] {
			return
		}
		eq := p.peek(n)
		if eq.kind != tPunct || eq.text != "=" {
			return
		}
		for range n + 1 {
			p.advance()
		}
		v := p.tok()
		switch v.kind {
		case tIdent, tNumber, tTimespan, tString, tLiteral, tBracket:
			p.advance()
		case tPunct:
			if v.text == "-" {
				p.advance()
				p.advance()
			} else {
				p.missing("expression")
			}
		default:
			p.missing("expression")
		}
	}
}

// paramNames are the operator parameter names Kusto reads as parameters
// wherever a parameter may stand.
var paramNames = map[string]bool{
	"kind": true, "withsource": true, "with_source": true, "isfuzzy": true,
	"bagexpansion": true, "with_itemindex": true, "flags": true, "decodeblocks": true,
	"datascope": true, "with_match_id": true, "with_step_name": true,
}

// declarable are the reserved words Kusto accepts as the declared name of
// "name = expr" (extend where = 1), though not as a reference.
var declarable = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`by where title to of as in has contains set print datatable
		externaldata sample search find invoke materialize toscalar accumulate`) {
		declarable[w] = true
	}
}

// namedExpr parses [name =] expr.
func (p *parser) namedExpr() node {
	t := p.tok()
	if (t.kind == tIdent || t.kind == tBracket) && p.peek(1).kind == tPunct && p.peek(1).text == "=" {
		if t.kind == tIdent && (paramNames[t.text] || reserved[t.text] && !declarable[t.text]) {
			p.failAt(t.off, t.end-t.off, "The name '"+t.text+"' needs to be bracketed as ['"+t.text+"'] to be used in this context.")
		}
		p.advance()
		p.advance()
		return p.expr()
	}
	if t.kind == tPunct && t.text == "(" && p.isTupleAssign() {
		p.advance()
		for {
			p.name()
			if !p.accept(",") {
				break
			}
		}
		p.expect(")")
		p.expect("=")
		return p.expr()
	}
	return p.expr()
}

// isTupleAssign reports whether "(" starts "(a, b) =".
func (p *parser) isTupleAssign() bool {
	for k := 1; ; k += 2 {
		a, b := p.peek(k), p.peek(k+1)
		if a.kind != tIdent && a.kind != tBracket {
			return false
		}
		if b.kind != tPunct {
			return false
		}
		if b.text == ")" {
			c := p.peek(k + 2)
			return c.kind == tPunct && c.text == "="
		}
		if b.text != "," {
			return false
		}
	}
}

// namedList parses one or more [name =] expr separated by commas.
func (p *parser) namedList() {
	for {
		p.namedExpr()
		if !p.accept(",") {
			return
		}
	}
}

// optionalList parses zero or more named expressions.
func (p *parser) optionalList() {
	if p.atOperatorEnd() {
		return
	}
	p.namedList()
}

// atOperatorEnd reports whether the current token ends an operator.
func (p *parser) atOperatorEnd() bool {
	t := p.tok()
	return t.kind == tEOF || t.kind == tPunct && (t.text == "|" || t.text == ";" || t.text == ")" || t.text == "}")
}

// columnList parses column names with wildcards (a*, *), or expressions;
// with order, each may be followed by asc/desc/granny-asc/granny-desc.
func (p *parser) columnList(order bool) {
	if p.atOperatorEnd() {
		return
	}
	for {
		p.columnPattern()
		if order && (p.isWord("asc") || p.isWord("desc") || p.isWord("granny-asc") || p.isWord("granny-desc")) {
			p.advance()
		}
		if !p.accept(",") {
			return
		}
	}
}

// columnPattern parses a column name possibly with a wildcard (Event*, *)
// or, failing that, an expression.
func (p *parser) columnPattern() {
	t := p.tok()
	isStar := func(t *token) bool { return t.kind == tPunct && t.text == "*" }
	if isStar(t) || t.kind == tIdent && !reserved[t.text] && isStar(p.peek(1)) && p.peek(1).off == t.end {
		// a wildcard pattern: *, Col*, *_s, Col*Name*, written without spaces
		p.advance()
		for {
			n := p.tok()
			if n.off != p.prevEnd() || !(isStar(n) || n.kind == tIdent || n.kind == tNumber) {
				return
			}
			p.advance()
		}
	}
	p.namedExpr()
}

func (p *parser) summarize() {
	p.params(nil)
	if !p.isWord("by") && !p.atOperatorEnd() {
		p.namedList()
	}
	if p.isWord("by") {
		p.advance()
		p.namedList()
	}
}

var joinParams = map[string]bool{"kind": true}

func (p *parser) join() {
	p.params(joinParams)
	p.tabularOperand()
	if p.isWord("on") {
		p.advance()
		p.exprList()
	} else if p.isWord("where") {
		p.advance()
		p.expr()
	}
}

// tabularOperand parses the right side of join/lookup and union operands: a
// parenthesized query or a table expression.
func (p *parser) tabularOperand() {
	t := p.tok()
	if t.kind == tPunct && t.text == "(" {
		p.advance()
		n := p.pipeExpr()
		if n.kind == nName {
			p.sources = append(p.sources, sourceRef{name: n.text})
		}
		p.expect(")")
		return
	}
	n := p.expr()
	if n.kind == nName {
		p.sources = append(p.sources, sourceRef{name: n.text})
	}
}

func (p *parser) exprList() {
	for {
		p.expr()
		if !p.accept(",") {
			return
		}
	}
}

func (p *parser) union() {
	p.params(nil)
	for {
		t := p.tok()
		if t.kind == tIdent && !reserved[t.text] && p.peek(1).kind == tPunct && p.peek(1).text == "*" && p.peek(1).off == t.end {
			p.columnPattern()
			p.sources = append(p.sources, sourceRef{name: t.text + "*"})
		} else {
			p.unionOperand()
		}
		if !p.accept(",") {
			return
		}
	}
}

// unionOperand parses a union operand: a parenthesized query, or a table
// reference (a name, a call, database("d").T), not an arbitrary expression.
func (p *parser) unionOperand() {
	switch p.tok().kind {
	case tIdent, tBracket:
	case tPunct:
		if p.isPunct("(") {
			p.tabularOperand()
			return
		}
		if p.isPunct("*") {
			p.advance() // every table
			return
		}
		p.missing("expression")
	default:
		p.missing("expression")
	}
	if n := p.postfix(); n.kind == nName {
		p.sources = append(p.sources, sourceRef{name: n.text})
	}
}

var mvParams = map[string]bool{"bagexpansion": true, "with_itemindex": true, "kind": true}

// mvItems parses [name =] expr [to typeof(type)], ... [limit n].
func (p *parser) mvItems() {
	for {
		p.namedExpr()
		if p.isWord("to") {
			p.advance()
			p.expectWord("typeof")
			p.expect("(")
			p.typeRef()
			p.expect(")")
		}
		if !p.accept(",") {
			break
		}
	}
	if p.isWord("limit") {
		p.advance()
		p.expr()
	}
}

func (p *parser) mvExpand() {
	p.params(mvParams)
	p.mvItems()
}

func (p *parser) mvApply() {
	p.params(mvParams)
	p.mvItems()
	p.expectWord("on")
	p.subquery()
}

// subquery parses "( operator | operator ... )" whose first element may be
// an operator applied to the outer input.
func (p *parser) subquery() {
	p.expect("(")
	p.opChainOrQuery()
	p.expect(")")
}

// opChainOrQuery parses a pipe that starts with an operator (where x > 1 |
// top 1 by y) or a full tabular expression.
func (p *parser) opChainOrQuery() {
	t := p.tok()
	if t.kind == tIdent && knownOperator[t.text] && !p.looksLikeExpressionStart() {
		p.enter()
		defer p.leave()
		p.operator()
		for p.isPunct("|") {
			p.advance()
			p.operator()
		}
		return
	}
	p.pipeExpr()
}

// looksLikeExpressionStart reports whether an operator word at the current
// token is rather a name or call (a table called "count", count()).
func (p *parser) looksLikeExpressionStart() bool {
	n := p.peek(1)
	if n.kind == tPunct && (n.text == "(" || n.text == "|" || n.text == ")") {
		t := p.tok()
		switch t.text {
		case "count", "getschema", "project", "serialize", "distinct":
			return n.text == "("
		}
		return n.text == "(" && !reserved[t.text] && t.text != "evaluate"
	}
	return false
}

var parseParams = map[string]bool{"kind": true, "flags": true}

func (p *parser) parse() {
	p.params(parseParams)
	p.expr()
	p.expectWord("with")
	for {
		t := p.tok()
		switch {
		case t.kind == tString:
			p.advance()
		case t.kind == tPunct && t.text == "*":
			p.advance()
		case t.kind == tIdent || t.kind == tBracket:
			p.declName()
			if p.accept(":") {
				p.typeRef()
			}
		case t.kind == tPunct && t.text == ",":
			p.advance()
			continue
		default:
			return
		}
	}
}

func (p *parser) parseKV() {
	p.expr()
	p.expectWord("as")
	p.schema()
	if p.isWord("with") {
		p.advance()
		p.expect("(")
		for {
			p.dottedName()
			p.expect("=")
			p.expr()
			if !p.accept(",") {
				break
			}
		}
		p.expect(")")
	}
}

func (p *parser) evaluate() {
	p.params(nil)
	t := p.tok()
	if t.kind != tIdent && t.kind != tBracket {
		p.missing("expression")
	}
	p.advance()
	if !p.isPunct("(") {
		p.expected("(")
	}
	p.call(identName(t), t.off)
	if p.isPunct(":") {
		p.advance()
		p.schema()
	}
}

func (p *parser) makeSeries() {
	p.params(nil)
	for {
		p.namedExpr()
		if p.isWord("default") {
			p.advance()
			p.expect("=")
			p.expr()
		}
		if !p.accept(",") {
			break
		}
	}
	p.expectWord("on")
	p.additive()
	if p.isWord("in") {
		p.advance()
		p.additive()
	} else {
		if p.isWord("from") {
			p.advance()
			p.additive()
		}
		if p.isWord("to") {
			p.advance()
			p.additive()
		}
		p.expectWord("step")
		p.additive()
	}
	if p.isWord("by") {
		p.advance()
		p.namedList()
	}
}

// sortKey parses expr [asc|desc] [nulls first|last].
func (p *parser) sortKey() {
	p.expr()
	if p.isWord("asc") || p.isWord("desc") {
		p.advance()
	}
	if p.isWord("nulls") {
		p.advance()
		if !p.isWord("first") && !p.isWord("last") {
			p.expected("first")
		}
		p.advance()
	}
}

func (p *parser) topNested() {
	for {
		if !p.isWord("of") {
			p.expr()
		}
		p.expectWord("of")
		p.namedExpr()
		if p.isWord("with") {
			p.advance()
			p.expectWord("others")
			p.expect("=")
			p.expr()
		}
		p.expectWord("by")
		p.namedExpr()
		if p.isWord("asc") || p.isWord("desc") {
			p.advance()
		}
		if !p.accept(",") {
			return
		}
		p.accept("top-nested")
	}
}

func (p *parser) render() {
	t := p.tok()
	if t.kind != tIdent {
		p.missing("chart type")
	}
	p.advance()
	if p.isWord("with") {
		p.advance()
		p.expect("(")
		if !p.isPunct(")") {
			for {
				if t := p.tok(); reserved[t.text] && t.text != "title" {
					p.failAt(p.prevEnd(), 0, "Missing parameter")
				}
				p.dottedName()
				p.expect("=")
				p.renderValue()
				if !p.accept(",") {
					break
				}
			}
		}
		p.expect(")")
		return
	}
	// legacy forms: render piechart by x, render timechart kind=stacked title="x"
	if p.isWord("by") {
		p.advance()
		p.exprList()
	}
	for p.tok().kind == tIdent && p.peek(1).text == "=" {
		if t := p.tok(); reserved[t.text] && t.text != "title" {
			p.failAt(t.off, t.end-t.off, "Missing parameter")
		}
		p.advance()
		p.advance()
		p.renderValue()
	}
}

func (p *parser) renderValue() {
	t := p.tok()
	if t.kind == tPunct && t.text == "(" {
		p.advance()
		for !p.isPunct(")") {
			p.renderValue()
			if !p.accept(",") {
				break
			}
		}
		p.expect(")")
		return
	}
	if t.kind == tIdent && !reserved[t.text] {
		p.advance()
		return
	}
	p.expr()
}

func (p *parser) inTables() {
	if p.isWord("in") {
		p.advance()
		p.expect("(")
		for {
			t := p.tok()
			if t.kind == tIdent {
				p.sources = append(p.sources, sourceRef{name: t.text})
				p.columnPattern()
			} else {
				p.tabularOperand()
			}
			if !p.accept(",") {
				break
			}
		}
		p.expect(")")
	}
}

func (p *parser) search() {
	p.params(nil)
	p.inTables()
	if p.isPunct("*") && !p.isStarPredicate() {
		p.advance() // search *: every row
		return
	}
	save := p.allowColon
	p.allowColon = true
	p.expr()
	p.allowColon = save
}

func (p *parser) find() {
	p.params(nil)
	p.inTables()
	if p.isWord("where") {
		p.advance()
	}
	p.expr()
	if p.isWord("project-smart") {
		p.advance()
	} else if p.isWord("project") {
		p.advance()
		p.columnList(false)
	}
}

var scanParams = map[string]bool{"with_match_id": true, "with_step_name": true}

// scan parses [params] [declare (schema)] with (step name [output=x]:
// predicate [=> assignments]; ...).
func (p *parser) scan() {
	p.params(scanParams)
	if p.isWord("declare") {
		p.advance()
		p.expect("(")
		if !p.isPunct(")") {
			for {
				p.declName()
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
	p.expectWord("with")
	p.expect("(")
	for !p.isPunct(")") {
		p.expectWord("step")
		p.declName()
		if p.isWord("output") {
			p.advance()
			p.expect("=")
			p.advance()
		}
		p.expect(":")
		p.expr()
		if p.accept("=>") {
			for {
				p.declName()
				p.expect("=")
				p.expr()
				if !p.accept(",") {
					break
				}
			}
		}
		p.expect(";")
	}
	p.expect(")")
}

func (p *parser) facet() {
	p.expectWord("by")
	p.columnList(false)
	if p.isWord("with") {
		p.advance()
		if p.isPunct("(") {
			p.subquery()
		} else {
			p.opChainOrQuery()
		}
	}
}

func (p *parser) fork() {
	n := 0
	for {
		t := p.tok()
		if (t.kind == tIdent || t.kind == tBracket) && p.peek(1).text == "=" {
			p.advance()
			p.advance()
		} else if !(t.kind == tPunct && t.text == "(") {
			if n == 0 {
				p.expected("(")
			}
			return
		}
		p.subquery()
		n++
	}
}

func (p *parser) partition() {
	p.params(nil)
	p.expectWord("by")
	p.name()
	p.params(nil)
	if p.isPunct("{") {
		p.advance()
		p.pipeExpr()
		p.expect("}")
		return
	}
	p.subquery()
}

// valueList parses "[v, ...]" after datatable and externaldata schemas.
func (p *parser) valueList() {
	if p.tok().kind == tBracket {
		p.advance() // ["one string"]
		return
	}
	p.expect("[")
	if !p.isPunct("]") {
		for {
			p.expr()
			if !p.accept(",") || p.isPunct("]") {
				break
			}
		}
	}
	p.expect("]")
}

func (p *parser) datatable() {
	p.schema()
	p.valueList()
}

func (p *parser) externaldata() {
	p.schema()
	p.valueList()
	if p.isWord("with") {
		p.advance()
		p.expect("(")
		if !p.isPunct(")") {
			for {
				p.dottedName()
				p.expect("=")
				p.renderValue()
				if !p.accept(",") {
					break
				}
			}
		}
		p.expect(")")
	}
}
