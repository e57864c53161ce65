package queries

import (
	"fmt"
	"strings"
	"testing"
)

func kindName(k tokKind) string {
	return [...]string{"EOF", "ident", "bracket", "number", "timespan", "string", "literal", "punct", "bad"}[k]
}

func TestLexer(t *testing.T) {
	tests := []struct {
		in   string
		want string // kind:text tokens separated by spaces, EOF omitted
	}{
		{"T | where x == 1", "ident:T punct:| ident:where ident:x punct:== number:1"},
		{"['a b'] [\"c\"] [@'d']", "bracket:['a b'] bracket:[\"c\"] bracket:[@'d']"},
		{"x['k']", "ident:x bracket:['k']"},
		{"1d 2h 30m 1.5s 10ms 100microseconds 1tick 5min", "timespan:1d timespan:2h timespan:30m timespan:1.5s timespan:10ms timespan:100microseconds timespan:1tick timespan:5min"},
		{"1 1.5 1e5 1.5e-3 0x1F .5", "number:1 number:1.5 number:1e5 number:1.5e-3 number:0x1F punct:. number:5"},
		{"5Minutebin", "ident:5Minutebin"},
		{`'a\'b' "c\"d" @'e''f' @"g\"`, `string:'a\'b' string:"c\"d" string:@'e''f' string:@"g\"`},
		{"h'secret' H\"x\" h@'y'", "string:h'secret' string:H\"x\" string:h@'y'"},
		{"```multi\nline```", "string:```multi\nline```"},
		{"datetime(2024-01-01 10:00) guid(00000000-0000-0000-0000-000000000000) long(-1) timespan(1d)", "literal:datetime(2024-01-01 10:00) literal:guid(00000000-0000-0000-0000-000000000000) literal:long(-1) literal:timespan(1d)"},
		{"dynamic([1])", "ident:dynamic punct:( punct:[ number:1 punct:] punct:)"},
		{"x !has y !in~ z in~ w !contains_cs v", "ident:x ident:!has ident:y ident:!in~ ident:z ident:in~ ident:w ident:!contains_cs ident:v"},
		{"a != b !~ c =~ d <> e <= f >= g => h .. i", "ident:a punct:!= ident:b punct:!~ ident:c punct:=~ ident:d punct:<> ident:e punct:<= ident:f punct:>= ident:g punct:=> ident:h punct:.. ident:i"},
		{"project-away mv-expand make-series top-nested a-b", "ident:project-away ident:mv-expand ident:make-series ident:top-nested ident:a punct:- ident:b"},
		{"$left.x // comment\n| y", "ident:$left punct:. ident:x punct:| ident:y"},
		{"1..2", "number:1 punct:.. number:2"},
		{"x\u202fy", "ident:x ident:y"},
		{"a § b", "ident:a bad:§ ident:b"},
		{"Größe", "ident:Gr bad:ö bad:ß ident:e"},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range lex(tt.in) {
			if tok.kind == tEOF {
				break
			}
			got = append(got, kindName(tok.kind)+":"+tok.text)
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("lex(%q)\n got %s\nwant %s", tt.in, g, tt.want)
		}
	}
}

func TestLexerUnterminated(t *testing.T) {
	for _, in := range []string{"'abc", "\"abc\ndef\"", "```abc", "['abc"} {
		toks := lex(in)
		if toks[0].bad == badNone {
			t.Errorf("lex(%q): first token %q has no error", in, toks[0].text)
		}
	}
}

func TestLexerOffsets(t *testing.T) {
	in := "T\n| where x == 'é' // c\n"
	for _, tok := range lex(in) {
		if in[tok.off:tok.end] != tok.text {
			t.Errorf("token %q at [%d,%d) holds %q", tok.text, tok.off, tok.end, in[tok.off:tok.end])
		}
	}
	_ = fmt.Sprint()
}
