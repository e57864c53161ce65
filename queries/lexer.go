package queries

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF      tokKind = iota
	tIdent            // name or keyword, including "!has", "in~", "project-away"
	tBracket          // ['name'] or ["name"]
	tNumber           // 1, 1.5, 1e5, 0x1f
	tTimespan         // 1d, 30m, 1.5s, 10ms, 1tick
	tString           // 'a', "a", @'a', ```a```, h'a'
	tLiteral          // datetime(...), guid(...), int(...) and friends
	tPunct            // operators and punctuation
	tBad              // a character or construct that cannot be lexed
)

// token is one lexical token; text is a slice of the query text.
type token struct {
	kind tokKind
	off  int
	end  int
	text string
	// nl is set when a line break (or comment) precedes the token.
	nl bool
	// bad is set for tBad tokens and unterminated strings.
	bad badKind
}

// badKind says what is wrong with a token.
type badKind uint8

const (
	badNone         badKind = iota
	badChar                 // a character that starts no token
	badUnterminated         // a string literal without its closing quote
)

// badMessage returns the message for a bad token, in Kusto's words.
func badMessage(t *token) string {
	if t.bad == badChar {
		return "Unexpected: " + t.text
	}
	s := strings.TrimLeft(t.text, "[@hH")
	switch {
	case strings.HasPrefix(s, "```"):
		return "Missing: ```"
	case strings.HasPrefix(s, "\""):
		return "Missing: \""
	}
	return "Missing: '"
}

// timespan suffixes, longest first where one is a prefix of another.
var timespanSuffixes = map[string]bool{
	"d": true, "day": true, "days": true,
	"h": true, "hr": true, "hrs": true, "hour": true, "hours": true,
	"m": true, "min": true, "minute": true, "minutes": true,
	"s": true, "sec": true, "second": true, "seconds": true,
	"ms": true, "milli": true, "millis": true, "millisecond": true, "milliseconds": true,
	"microsecond": true, "microseconds": true, "micros": true, "micro": true, "microsec": true,
	"nanosecond": true, "nanoseconds": true, "nanos": true, "nano": true,
	"tick": true, "ticks": true,
}

// literalTypes are the type names that form a raw literal when followed by
// "(": datetime(2024-01-01), guid(...), long(-1), timespan(1d).
var literalTypes = map[string]bool{
	"datetime": true, "date": true, "time": true, "timespan": true, "guid": true,
	"int": true, "int32": true, "int64": true, "long": true, "real": true, "double": true,
	"decimal": true, "bool": true,
}

// hyphenated are the keywords spelled with a hyphen.
var hyphenated = map[string]bool{
	"project-away": true, "project-keep": true, "project-rename": true,
	"project-reorder": true, "project-smart": true, "mv-expand": true,
	"mv-apply": true, "parse-where": true, "parse-kv": true, "make-series": true,
	"top-nested": true, "top-hitters": true, "sample-distinct": true,
	"make-graph": true, "graph-match": true, "graph-merge": true,
	"graph-to-table": true, "graph-shortest-paths": true,
	"graph-mark-components": true, "assert-schema": true, "macro-expand": true,
	"granny-asc": true, "granny-desc": true, "partition-by": true,
}

// negatable are the string operators that have a "!" form.
var negatable = map[string]bool{
	"has": true, "has_cs": true, "hasprefix": true, "hasprefix_cs": true,
	"hassuffix": true, "hassuffix_cs": true, "contains": true, "contains_cs": true,
	"startswith": true, "startswith_cs": true, "endswith": true, "endswith_cs": true,
	"in": true, "between": true, "has_all": true, "has_any": true, "matches": true,
}

// Kusto names are ASCII: letters, digits and "_" ("$left" too); other
// characters must be written in a bracketed name (['Größe']).
func isIdentStart(r rune) bool {
	return r == '_' || r == '$' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
}

func isIdentPart(r rune) bool {
	return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
}

// lexer turns a query text into tokens.
type lexer struct {
	src  string
	pos  int
	toks []token
}

// lex returns every token of src, ending with one tEOF token.
func lex(src string) []token {
	return lexInto(src, make([]token, 0, len(src)/5+1))
}

// lexInto is lex appending to buf[:0].
func lexInto(src string, buf []token) []token {
	l := &lexer{src: src, toks: buf[:0]}
	for {
		t := l.next()
		l.toks = append(l.toks, t)
		if t.kind == tEOF {
			return l.toks
		}
	}
}

func (l *lexer) peekByte(i int) byte {
	if l.pos+i < len(l.src) {
		return l.src[l.pos+i]
	}
	return 0
}

// skipSpace skips white space and comments; it reports whether a line break
// or comment was crossed.
func (l *lexer) skipSpace() bool {
	nl := false
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			l.pos++
		case c == '\n':
			nl = true
			l.pos++
		case c == '#' && len(l.toks) == 0:
			// a client directive line (#connect ...) before the query
			nl = true
			i := strings.IndexByte(l.src[l.pos:], '\n')
			if i < 0 {
				l.pos = len(l.src)
			} else {
				l.pos += i
			}
		case c == '/' && l.peekByte(1) == '/':
			nl = true
			i := strings.IndexByte(l.src[l.pos:], '\n')
			if i < 0 {
				l.pos = len(l.src)
			} else {
				l.pos += i
			}
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(l.src[l.pos:])
			if r == '\u00a0' || r == '\ufeff' || r == '\u200b' || unicode.IsSpace(r) {
				l.pos += n
				continue
			}
			return nl
		default:
			return nl
		}
	}
	return nl
}

func (l *lexer) tok(kind tokKind, start int, nl bool) token {
	return token{kind: kind, off: start, end: l.pos, text: l.src[start:l.pos], nl: nl}
}

func (l *lexer) next() token {
	nl := l.skipSpace()
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tEOF, off: start, end: start, nl: nl}
	}
	c := l.src[l.pos]
	switch {
	case c >= '0' && c <= '9':
		return l.number(start, nl)
	case c == '\'' || c == '"':
		return l.str(start, nl, false)
	case c == '@' && (l.peekByte(1) == '\'' || l.peekByte(1) == '"'):
		l.pos++
		return l.str(start, nl, true)
	case c == '`' && strings.HasPrefix(l.src[l.pos:], "```"):
		return l.multiline(start, nl)
	case (c == 'h' || c == 'H') && (l.peekByte(1) == '\'' || l.peekByte(1) == '"'):
		l.pos++
		return l.str(start, nl, false)
	case (c == 'h' || c == 'H') && l.peekByte(1) == '@' && (l.peekByte(2) == '\'' || l.peekByte(2) == '"'):
		l.pos += 2
		return l.str(start, nl, true)
	case c == '[' && (l.peekByte(1) == '\'' || l.peekByte(1) == '"' || l.peekByte(1) == '@'):
		return l.bracketIdent(start, nl)
	case c == '!':
		return l.bang(start, nl)
	case c == '{':
		// a client parameter placeholder: {TimeRange}
		j := l.pos + 1
		for j < len(l.src) && isIdentPartByte(l.src[j]) {
			j++
		}
		if j > l.pos+1 && j < len(l.src) && l.src[j] == '}' && !(l.src[l.pos+1] >= '0' && l.src[l.pos+1] <= '9') {
			l.pos = j + 1
			return l.tok(tLiteral, start, nl)
		}
	}
	r, n := utf8.DecodeRuneInString(l.src[l.pos:])
	if isIdentStart(r) {
		return l.ident(start, nl)
	}
	if op := punct(l.src[l.pos:]); op != "" {
		l.pos += len(op)
		return l.tok(tPunct, start, nl)
	}
	l.pos += n
	t := l.tok(tBad, start, nl)
	t.bad = badChar
	return t
}

// punct returns the operator at the start of s, or "".
func punct(s string) string {
	if len(s) == 0 {
		return ""
	}
	if len(s) >= 2 {
		switch s[:2] {
		case "==", "!=", "<>", "<=", ">=", "=~", "!~", "=>", "..", "<|":
			return s[:2]
		}
	}
	if strings.IndexByte("()[]{},;.=<>+-*/%|:?@~!#&^", s[0]) >= 0 {
		return s[:1]
	}
	return ""
}

func (l *lexer) number(start int, nl bool) token {
	s := l.src
	i := l.pos
	if strings.HasPrefix(s[i:], "0x") || strings.HasPrefix(s[i:], "0X") {
		i += 2
		for i < len(s) && isHex(s[i]) {
			i++
		}
		l.pos = i
		return l.tok(tNumber, start, nl)
	}
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	} else if i < len(s) && s[i] == '.' && (i+1 >= len(s) || s[i+1] != '.') && (i+1 >= len(s) || !isIdentPartByte(s[i+1])) {
		i++ // "1." is a real
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	kind := tNumber
	// A suffix of identifier characters: a timespan unit, or anything else,
	// which Kusto reads as part of the literal too.
	j := i
	for j < len(s) && isIdentPartByte(s[j]) {
		j++
	}
	if j > i {
		if timespanSuffixes[s[i:j]] {
			kind = tTimespan
		} else {
			// 5Minutebin, 1abc: Kusto reads these as names.
			kind = tIdent
		}
		i = j
	}
	l.pos = i
	return l.tok(kind, start, nl)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isIdentPartByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// str lexes a quoted string whose quote is at l.pos.
func (l *lexer) str(start int, nl bool, verbatim bool) token {
	q := l.src[l.pos]
	l.pos++
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '\n':
			t := l.tok(tString, start, nl)
			t.bad = badUnterminated
			return t
		case c == '\\' && !verbatim:
			n := escapeLen(l.src[l.pos:])
			if n == 0 {
				// an invalid escape ends the literal: Kusto reports the
				// string as unterminated at the backslash
				t := l.tok(tString, start, nl)
				t.bad = badUnterminated
				return t
			}
			l.pos += n
		case c == q:
			if verbatim && l.peekByte(1) == q {
				l.pos += 2
				continue
			}
			l.pos++
			return l.tok(tString, start, nl)
		default:
			l.pos++
		}
	}
	t := l.tok(tString, start, nl)
	t.bad = badUnterminated
	return t
}

// escapeLen returns the length of the escape sequence at the start of s
// (which starts with a backslash), or 0 when it is not one Kusto accepts:
// \\ \' \" \a \b \f \n \r \t \v, a digit, \xH.., \uHHHH, \UHHHHHHHH.
func escapeLen(s string) int {
	if len(s) < 2 {
		return 0
	}
	switch c := s[1]; {
	case strings.IndexByte("\\'\"abfnrtv", c) >= 0, c >= '0' && c <= '9':
		return 2
	case c == 'x':
		n := 2
		for n < len(s) && n < 4 && isHex(s[n]) {
			n++
		}
		if n == 2 {
			return 0
		}
		return n
	case c == 'u' || c == 'U':
		want := 4
		if c == 'U' {
			want = 8
		}
		if len(s) < 2+want {
			return 0
		}
		for i := 2; i < 2+want; i++ {
			if !isHex(s[i]) {
				return 0
			}
		}
		return 2 + want
	}
	return 0
}

func (l *lexer) multiline(start int, nl bool) token {
	i := strings.Index(l.src[l.pos+3:], "```")
	if i < 0 {
		l.pos = len(l.src)
		t := l.tok(tString, start, nl)
		t.bad = badUnterminated
		return t
	}
	l.pos += 3 + i + 3
	return l.tok(tString, start, nl)
}

// bracketIdent lexes ['name'] or ["name"]; l.pos is at '['.
func (l *lexer) bracketIdent(start int, nl bool) token {
	l.pos++
	verbatim := false
	if l.src[l.pos] == '@' {
		if l.peekByte(1) != '\'' && l.peekByte(1) != '"' {
			l.pos = start + 1
			return l.tok(tPunct, start, nl)
		}
		verbatim = true
		l.pos++
	}
	s := l.str(l.pos, nl, verbatim)
	if s.bad != badNone {
		s.off = start
		s.text = l.src[start:l.pos]
		return s
	}
	save := l.pos
	l.skipSpace()
	if l.pos < len(l.src) && l.src[l.pos] == ']' {
		l.pos++
		return l.tok(tBracket, start, nl)
	}
	// Not a bracketed name: a '[' followed by a string (dynamic array).
	l.pos = start + 1
	_ = save
	return l.tok(tPunct, start, nl)
}

// bang lexes "!", "!=", "!~" and negated string operators ("!has", "!in~").
func (l *lexer) bang(start int, nl bool) token {
	s := l.src[l.pos+1:]
	j := 0
	for j < len(s) && isIdentPartByte(s[j]) {
		j++
	}
	if j > 0 && negatable[s[:j]] {
		l.pos += 1 + j
		if s[:j] == "in" && l.peekByte(0) == '~' {
			l.pos++
		}
		return l.tok(tIdent, start, nl)
	}
	op := punct(l.src[l.pos:])
	l.pos += len(op)
	return l.tok(tPunct, start, nl)
}

func (l *lexer) ident(start int, nl bool) token {
	s := l.src
	_, first := utf8.DecodeRuneInString(s[l.pos:])
	i := l.pos + first
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !isIdentPart(r) {
			break
		}
		i += n
	}
	word := s[start:i]
	// hyphenated keywords: project-away, mv-expand, granny-asc ...
	for i < len(s) && s[i] == '-' {
		j := i + 1
		for j < len(s) && isIdentPartByte(s[j]) {
			j++
		}
		if j > i+1 && hyphenated[s[start:j]] {
			i = j
			word = s[start:i]
			continue
		}
		break
	}
	if word == "in" && i < len(s) && s[i] == '~' {
		i++
		word = s[start:i]
	}
	l.pos = i
	// datetime(...), guid(...), long(...): the parenthesized text is raw.
	if i < len(s) && (s[i] == '(' || s[i] == ' ' || s[i] == '\t') && literalTypes[word] {
		k := i
		for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
			k++
		}
		if k < len(s) && s[k] == '(' {
			e := strings.IndexAny(s[k:], ")\n")
			if e >= 0 && s[k+e] == ')' {
				l.pos = k + e + 1
				return l.tok(tLiteral, start, nl)
			}
		}
	}
	return l.tok(tIdent, start, nl)
}
