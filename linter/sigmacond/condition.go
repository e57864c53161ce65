// Package sigmacond parses Sigma detection conditions: a lexer and a
// recursive-descent parser that return the search identifiers a condition
// references and its first syntax error, with byte offsets.
package sigmacond

import (
	"fmt"
	"strings"
)

// The parser is a lexer and a recursive-descent
// parser with one method per precedence level (or < and < not < primary).
//
//	condition   = expr [ "|" aggregation ]
//	expr        = and { "or" and }
//	and         = not { "and" not }
//	not         = "not" not | primary
//	primary     = "(" expr ")" | quantifier "of" ( pattern | "them" ) | identifier
//	quantifier  = "1" | "all"
//	aggregation = func "(" [ field ] ")" [ "by" field ] op number     (Sigma 1)
//	            | "near" expr                                          (Sigma 1)
//
// Keywords are lower case as the specification writes them; identifiers may
// contain any character but white space, parentheses and "|".

// condTokKind is the kind of a condition token.
type condTokKind int

const (
	condEOF condTokKind = iota
	condWord
	condLParen
	condRParen
	condPipe
	condOp // comparison operator in an aggregation
)

// condTok is one token with its byte offset in the condition text.
type condTok struct {
	kind condTokKind
	text string
	off  int
}

// Ref is a reference the condition makes to search identifiers: a plain
// name, a pattern with *, or "them".
type Ref struct {
	Text    string
	Off     int
	Pattern bool // "x*" in "1 of x*", or "them"
	Them    bool
	Quant   string // "1" or "all" for "1 of"/"all of" references, else ""
}

// Error is a condition syntax error at a byte offset.
type Error struct {
	Off, Width int
	Msg        string
	Lower      bool // the error is a keyword in the wrong case: lower-casing it fixes it
}

// condParser parses one condition string.
type condParser struct {
	toks  []condTok
	pos   int
	refs  []Ref
	err   *Error
	depth int // nesting of parentheses and "not"
}

// MaxDepth bounds the nesting of a condition, so that a hostile one
// ("((((…") fails with a finding instead of exhausting the stack.
const MaxDepth = 200

func lexCondition(s string) ([]condTok, *Error) {
	var toks []condTok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, condTok{condLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, condTok{condRParen, ")", i})
			i++
		case c == '|':
			toks = append(toks, condTok{condPipe, "|", i})
			i++
		case c == '<' || c == '>' || c == '=' || c == '!':
			j := i + 1
			if j < len(s) && s[j] == '=' {
				j++
			}
			toks = append(toks, condTok{condOp, s[i:j], i})
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\r\n()|<>=!", rune(s[j])) {
				j++
			}
			toks = append(toks, condTok{condWord, s[i:j], i})
			i = j
		}
	}
	toks = append(toks, condTok{condEOF, "", len(s)})
	return toks, nil
}

// Parse parses a condition, returning the search-identifier references it
// makes and the first syntax error.
func Parse(s string) ([]Ref, *Error) {
	toks, err := lexCondition(s)
	if err != nil {
		return nil, err
	}
	p := &condParser{toks: toks}
	if p.peek().kind == condEOF {
		return nil, &Error{Off: 0, Width: 1, Msg: "the condition is empty; write an expression over the search identifiers, such as \"selection and not filter\""}
	}
	p.expr()
	if p.err == nil && p.peek().kind == condPipe {
		p.next()
		p.aggregation()
	}
	if p.err == nil && p.peek().kind != condEOF {
		t := p.peek()
		if l := strings.ToLower(t.text); t.kind == condWord && (l == "and" || l == "or") {
			p.fail(t, fmt.Sprintf("keyword %q must be lower case: write %q", t.text, l))
			p.err.Lower = true
		}
		p.fail(t, fmt.Sprintf("unexpected %s; expected \"and\", \"or\" or the end of the condition", describeTok(t)))
	}
	return p.refs, p.err
}

func (p *condParser) peek() condTok { return p.toks[p.pos] }

func (p *condParser) next() condTok {
	t := p.toks[p.pos]
	if t.kind != condEOF {
		p.pos++
	}
	return t
}

func (p *condParser) fail(t condTok, msg string) {
	if p.err == nil {
		w := len(t.text)
		if w == 0 {
			w = 1
		}
		p.err = &Error{Off: t.off, Width: w, Msg: msg}
	}
	// Skip to the end so callers unwind.
	p.pos = len(p.toks) - 1
}

func describeTok(t condTok) string {
	if t.kind == condEOF {
		return "end of the condition"
	}
	return fmt.Sprintf("%q", t.text)
}

func isKeyword(w string) bool {
	switch w {
	case "and", "or", "not", "of", "them":
		return true
	}
	return false
}

func (p *condParser) expr() {
	p.and()
	for p.err == nil && p.peek().kind == condWord && p.peek().text == "or" {
		p.next()
		p.and()
	}
}

func (p *condParser) and() {
	p.not()
	for p.err == nil && p.peek().kind == condWord && p.peek().text == "and" {
		p.next()
		p.not()
	}
}

func (p *condParser) not() {
	if t := p.peek(); t.kind == condWord && t.text == "not" {
		p.next()
		if p.nest(t) {
			p.not()
			p.depth--
		}
		return
	}
	p.primary()
}

// nest enters one more level of nesting at t, failing past MaxDepth.
func (p *condParser) nest(t condTok) bool {
	if p.depth++; p.depth > MaxDepth {
		p.fail(t, fmt.Sprintf("the condition nests more than %d levels of parentheses and \"not\"; simplify it", MaxDepth))
		return false
	}
	return true
}

func (p *condParser) primary() {
	t := p.next()
	switch t.kind {
	case condLParen:
		if !p.nest(t) {
			return
		}
		defer func() { p.depth-- }()
		p.expr()
		if p.err != nil {
			return
		}
		if c := p.peek(); c.kind != condRParen {
			p.fail(c, fmt.Sprintf("unexpected %s; expected \")\" to close the \"(\" at column %d", describeTok(c), t.off+1))
			return
		}
		p.next()
	case condWord:
		if nt := p.peek(); nt.kind == condWord && nt.text == "of" {
			p.quantified(t)
			return
		}
		if isKeyword(t.text) || strings.EqualFold(t.text, "and") || strings.EqualFold(t.text, "or") || strings.EqualFold(t.text, "not") {
			if !isKeyword(t.text) {
				p.fail(t, fmt.Sprintf("keyword %q must be lower case: write %q", t.text, strings.ToLower(t.text)))
				p.err.Lower = true
				return
			}
			p.fail(t, fmt.Sprintf("unexpected keyword %q; expected a search identifier, \"not\", \"(\" or \"1 of\"/\"all of\"", t.text))
			return
		}
		if strings.Contains(t.text, "*") {
			p.fail(t, fmt.Sprintf("pattern %q needs a quantifier; write \"1 of %s\" or \"all of %s\"", t.text, t.text, t.text))
			return
		}
		p.refs = append(p.refs, Ref{Text: t.text, Off: t.off})
	default:
		p.fail(t, fmt.Sprintf("unexpected %s; expected a search identifier, \"not\", \"(\" or \"1 of\"/\"all of\"", describeTok(t)))
	}
}

// quantified parses "<q> of <pattern|them>" after q was read.
func (p *condParser) quantified(q condTok) {
	switch q.text {
	case "1", "all":
	default:
		p.fail(q, fmt.Sprintf("unsupported quantifier %q; Sigma allows \"1 of\" and \"all of\"", q.text))
		return
	}
	p.next() // of
	t := p.next()
	if t.kind != condWord || (isKeyword(t.text) && t.text != "them") {
		p.fail(t, fmt.Sprintf("unexpected %s after %q; expected a search identifier pattern such as \"selection_*\" or \"them\"", describeTok(t), q.text+" of"))
		return
	}
	if t.text == "them" {
		p.refs = append(p.refs, Ref{Text: t.text, Off: t.off, Pattern: true, Them: true, Quant: q.text})
		return
	}
	p.refs = append(p.refs, Ref{Text: t.text, Off: t.off, Pattern: true, Quant: q.text})
}

// aggregation parses the Sigma 1 expression after "|".
func (p *condParser) aggregation() {
	t := p.next()
	if t.kind != condWord {
		p.fail(t, fmt.Sprintf("unexpected %s after \"|\"; expected an aggregation such as \"count() by field > 10\"", describeTok(t)))
		return
	}
	if t.text == "near" {
		p.expr()
		return
	}
	switch t.text {
	case "count", "min", "max", "avg", "sum":
	default:
		p.fail(t, fmt.Sprintf("unknown aggregation function %q; expected count, min, max, avg or sum", t.text))
		return
	}
	if c := p.next(); c.kind != condLParen {
		p.fail(c, fmt.Sprintf("unexpected %s; expected \"(\" after %q", describeTok(c), t.text))
		return
	}
	if p.peek().kind == condWord {
		p.next()
	}
	if c := p.next(); c.kind != condRParen {
		p.fail(c, fmt.Sprintf("unexpected %s; expected \")\"", describeTok(c)))
		return
	}
	if w := p.peek(); w.kind == condWord && w.text == "by" {
		p.next()
		if f := p.next(); f.kind != condWord {
			p.fail(f, fmt.Sprintf("unexpected %s; expected a field name after \"by\"", describeTok(f)))
			return
		}
	}
	op := p.next()
	if op.kind != condOp || op.text == "!" || op.text == "!=" {
		p.fail(op, fmt.Sprintf("unexpected %s; expected a comparison (<, <=, >, >=, ==) and a number", describeTok(op)))
		return
	}
	n := p.next()
	if n.kind != condWord || strings.Trim(n.text, "0123456789") != "" {
		p.fail(n, fmt.Sprintf("unexpected %s; expected a number after %q", describeTok(n), op.text))
	}
}

// Match returns the identifiers of ids that r selects.
func (r Ref) Match(ids []string) []string {
	if r.Them {
		return ids
	}
	if !r.Pattern {
		for _, id := range ids {
			if id == r.Text {
				return []string{id}
			}
		}
		return nil
	}
	var out []string
	for _, id := range ids {
		if globMatch(r.Text, id) {
			out = append(out, id)
		}
	}
	return out
}

// globMatch reports whether name matches pattern, where "*" matches any run
// of characters and every other character matches itself.
func globMatch(pattern, name string) bool {
	star, mark := -1, 0
	p, n := 0, 0
	for n < len(name) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, n
			p++
		case p < len(pattern) && pattern[p] == name[n]:
			p++
			n++
		case star >= 0:
			p = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
