// Package queries is huntlint's KQL front end: a hand-written lexer and a
// recursive-descent parser that report the first syntax error of a query
// where Microsoft's Kusto.Language does, and extract the facts that checks,
// coverage layers and tag suggestions use (source tables, operators,
// functions, literals compared to columns, let names, time windows).
//
// Parse never panics and runs in time linear in the length of its input.
package queries

import "sync"

// Result is what Parse returns for one query text.
type Result struct {
	// Diagnostics holds the first syntax error of the query, if any. It is a
	// slice so that later versions may report more than one.
	Diagnostics []Diagnostic
	Facts       Facts
}

// OK reports whether the query has no syntax error.
func (r *Result) OK() bool { return len(r.Diagnostics) == 0 }

// Diagnostic is one syntax error. Offset and Length are byte offsets into the
// query text; Length may be 0 for "missing" errors, which point just after
// the last token that was read.
type Diagnostic struct {
	Offset, Length int
	Message        string // Kusto's wording where sensible: "Expected: )"
	// Open is the byte offset of the bracket left open when the error is a
	// missing ")", "]" or "}", and -1 otherwise.
	Open int
}

// Facts are what a query uses, in first-seen order without duplicates
// (Literals keep every occurrence).
type Facts struct {
	// Tables are the source tables: names a tabular expression starts from,
	// union and join operands, table("X") and find/search "in" lists. Names
	// bound by let statements and function parameters are not tables.
	Tables []string
	// Operators are the pipe operators used ("where", "summarize", "mv-expand").
	Operators []string
	// Functions are the functions and plugins called ("ago", "bag_unpack").
	Functions []string
	// Literals are the string and number literals of the query, with the
	// column and operator they are compared to when that is a plain column
	// (ProcessCommandLine has "vssadmin").
	Literals []Literal
	// Lets are the names bound by let statements.
	Lets []string
	// TimeWindows are the timespan literals as written ("1d", "30m").
	TimeWindows []string
}

// Literal is one string or number literal. Value is the decoded string value
// (or the number as written); Column and Operator are empty when the literal
// is not compared to a plain column name.
type Literal struct {
	Value    string
	Column   string
	Operator string // "has", "==", "in~", "has_any", "startswith" ...
	Offset   int    // byte offset of the literal in the query text
}

// Parse parses one KQL query text (one or more statements separated by ';')
// and returns its first syntax error, if any, and its facts.
func Parse(text string) *Result {
	bp := tokenPool.Get().(*[]token)
	buf := *bp
	if want := len(text)/5 + 1; cap(buf) < want {
		buf = make([]token, 0, want)
	}
	p := &parser{src: text, toks: lexInto(text, buf)}
	p.run()
	r := p.result()
	if cap(p.toks) <= 1<<16 {
		// Results hold no token: the slice can serve the next query
		// (cleared, so that it keeps no query text alive).
		clear(p.toks)
		*bp = p.toks[:0]
		tokenPool.Put(bp)
	}
	return r
}

// tokenPool recycles token slices between queries.
var tokenPool = sync.Pool{New: func() any {
	s := make([]token, 0, 256)
	return &s
}}
