package queries

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"
)

// mutant is a deterministic variation of a real query that usually, but not
// always, breaks its syntax.
type mutant struct {
	kind string // drop-bracket, cut, break-operator, swap-keyword
	text string
}

// swapWords are the keywords swap-keyword exchanges with one another.
var swapWords = []string{"where", "project", "extend", "summarize", "by", "on", "and", "or",
	"join", "let", "kind", "asc", "desc", "in", "has", "contains", "with", "to", "of", "take",
	"count", "distinct", "sort", "top", "union", "render", "parse", "mv-expand", "between"}

// mutants returns up to four mutants of text, one of each kind, chosen by a
// generator seeded with id so that they never change.
func mutants(id, text string) []mutant {
	h := fnv.New64a()
	h.Write([]byte(id))
	rng := rand.New(rand.NewPCG(h.Sum64(), 0x6b71))
	toks := lex(text)
	toks = toks[:len(toks)-1] // EOF
	if len(toks) == 0 {
		return nil
	}
	var out []mutant
	pick := func(match func(t *token) bool) *token {
		var idx []int
		for i := range toks {
			if match(&toks[i]) {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			return nil
		}
		return &toks[idx[rng.IntN(len(idx))]]
	}
	splice := func(t *token, repl string) string {
		return text[:t.off] + repl + text[t.end:]
	}
	// drop a bracket
	if t := pick(func(t *token) bool {
		return t.kind == tPunct && strings.Contains("()[]{}", t.text)
	}); t != nil {
		out = append(out, mutant{"drop-bracket", splice(t, "")})
	}
	// cut the text after a token in its middle half
	if len(toks) > 2 {
		lo := len(toks) / 4
		k := lo + rng.IntN(len(toks)/2+1)
		if k >= len(toks)-1 {
			k = len(toks) - 2
		}
		out = append(out, mutant{"cut", text[:toks[k].end]})
	}
	// break an operator
	if t := pick(func(t *token) bool {
		return t.kind == tPunct && (t.text == "==" || t.text == "!=" || t.text == "=~" || t.text == "|" ||
			t.text == "<=" || t.text == ">=" || t.text == "=") ||
			t.kind == tIdent && (compareOps[t.text] || listOps[t.text] || t.text == "and" || t.text == "or")
	}); t != nil {
		var repl string
		switch {
		case t.text == "|":
			repl = "| |"
		case t.text == "=":
			repl = "=="
		case len(t.text) >= 2:
			repl = t.text[:1] + " " + t.text[1:]
		default:
			repl = t.text + t.text
		}
		out = append(out, mutant{"break-operator", splice(t, repl)})
	}
	// swap a keyword for another
	if t := pick(func(t *token) bool {
		if t.kind != tIdent {
			return false
		}
		for _, w := range swapWords {
			if t.text == w {
				return true
			}
		}
		return false
	}); t != nil {
		w := swapWords[rng.IntN(len(swapWords))]
		if w == t.text {
			w = swapWords[(rng.IntN(len(swapWords)-1)+1+indexOf(swapWords, w))%len(swapWords)]
		}
		out = append(out, mutant{"swap-keyword", splice(t, w)})
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}
