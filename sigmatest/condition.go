package sigmatest

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/bradleyjkemp/sigma-go"
)

// maxConditionDepth bounds the nesting of a condition (parentheses and
// nots), as the linter's sigma-condition-error does.
const maxConditionDepth = 200

// parseCondition parses a Sigma condition without aggregation into
// sigma-go's AST. It is the equivalent huntlint uses where sigma-go
// v0.6.6's own parser rejects a valid condition: its lexer takes a
// search-name pattern only when no digit comes before the first '*'
// ("1 of selection_1_*", "all of filter_5136_*").
//
// Grammar (the Sigma specification's): or-expressions of and-expressions of
// optionally negated terms; a term is a search name, "(" expr ")",
// "1 of" / "any of" / "all of" followed by "them", a name or a pattern
// with '*'.
func parseCondition(s string) (sigma.SearchExpr, error) {
	p := &condParser{toks: lexCondition(s)}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, fmt.Errorf("unexpected %q after the end of the condition", p.toks[p.pos])
	}
	return e, nil
}

func lexCondition(s string) []string {
	var toks []string
	i := 0
	for i < len(s) {
		c := rune(s[i])
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '(' || c == ')' || c == '|':
			toks = append(toks, string(c))
			i++
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && s[j] != '(' && s[j] != ')' && s[j] != '|' {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

type condParser struct {
	toks []string
	pos  int
}

func (p *condParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *condParser) next() string {
	t := p.peek()
	if t != "" {
		p.pos++
	}
	return t
}

func (p *condParser) or(depth int) (sigma.SearchExpr, error) {
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	out := sigma.Or{first}
	for strings.EqualFold(p.peek(), "or") {
		p.next()
		e, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if len(out) == 1 {
		return first, nil
	}
	return out, nil
}

func (p *condParser) and(depth int) (sigma.SearchExpr, error) {
	first, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	out := sigma.And{first}
	for strings.EqualFold(p.peek(), "and") {
		p.next()
		e, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if len(out) == 1 {
		return first, nil
	}
	return out, nil
}

func (p *condParser) not(depth int) (sigma.SearchExpr, error) {
	if depth > maxConditionDepth {
		return nil, fmt.Errorf("the condition nests more than %d levels", maxConditionDepth)
	}
	if strings.EqualFold(p.peek(), "not") {
		p.next()
		e, err := p.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return sigma.Not{Expr: e}, nil
	}
	return p.term(depth)
}

func (p *condParser) term(depth int) (sigma.SearchExpr, error) {
	t := p.next()
	switch {
	case t == "":
		return nil, fmt.Errorf("the condition ends where a search name was expected")
	case t == "(":
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, fmt.Errorf("a '(' is not closed")
		}
		return e, nil
	case t == ")" || t == "|":
		return nil, fmt.Errorf("unexpected %q where a search name was expected", t)
	case t == "1" || strings.EqualFold(t, "any") || strings.EqualFold(t, "all"):
		if !strings.EqualFold(p.next(), "of") {
			return nil, fmt.Errorf("%q must be followed by \"of\"", t)
		}
		target := p.next()
		if target == "" || target == "(" || target == ")" || target == "|" {
			return nil, fmt.Errorf("%q of needs them, a search name or a pattern", t)
		}
		all := strings.EqualFold(t, "all")
		switch {
		case strings.EqualFold(target, "them"):
			if all {
				return sigma.AllOfThem{}, nil
			}
			return sigma.OneOfThem{}, nil
		case strings.Contains(target, "*"):
			if all {
				return sigma.AllOfPattern{Pattern: target}, nil
			}
			return sigma.OneOfPattern{Pattern: target}, nil
		}
		return sigma.SearchIdentifier{Name: target}, nil
	case isKeyword(t):
		return nil, fmt.Errorf("unexpected %q where a search name was expected", t)
	}
	return sigma.SearchIdentifier{Name: t}, nil
}

func isKeyword(t string) bool {
	switch strings.ToLower(t) {
	case "and", "or", "not", "of", "them":
		return true
	}
	return false
}

// normalize rewrites the nodes sigma-go v0.6.6 parses but its evaluator
// does not handle ("1 of selection" and "all of selection" for one named
// search panic there): both mean that search.
func normalize(e sigma.SearchExpr) sigma.SearchExpr {
	switch x := e.(type) {
	case sigma.And:
		out := make(sigma.And, len(x))
		for i, c := range x {
			out[i] = normalize(c)
		}
		return out
	case sigma.Or:
		out := make(sigma.Or, len(x))
		for i, c := range x {
			out[i] = normalize(c)
		}
		return out
	case sigma.Not:
		return sigma.Not{Expr: normalize(x.Expr)}
	case sigma.OneOfIdentifier:
		return x.Ident
	case sigma.AllOfIdentifier:
		return x.Ident
	}
	return e
}
