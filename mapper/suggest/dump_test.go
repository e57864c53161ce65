package suggest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/internal/testshared"
)

func TestDumpMisses(t *testing.T) {
	if os.Getenv("HUNTLINT_DUMP") == "" {
		t.Skip()
	}
	dir := testshared.Corpus(t, "sigmahq-2026-04-28")
	rs := loadTree(t, filepath.Join(dir, "rules"))
	s, _ := New(catalog18(t), nil)
	s.prime(rs)
	var train, test = rs[:0:0], rs[:0:0]
	for i, r := range rs {
		if i%5 == 0 {
			test = append(test, r)
		} else {
			train = append(train, r)
		}
	}
	s.train(train)
	n := 0
	for _, r := range test {
		g := s.Existing(r)
		if len(g) == 0 {
			continue
		}
		sg := s.SuggestFor(r, 3, true)
		gp := set(parents(g))
		if len(sg) > 0 && gp[parentOf(sg[0].Technique)] {
			continue
		}
		n++
		if n > 60 {
			break
		}
		var ids []string
		for _, x := range sg {
			ids = append(ids, x.Technique+"("+x.Name+")")
		}
		t.Logf("%s | gold %v | got %s | %s", r.Title, g, strings.Join(ids, ", "), filepath.Base(r.Path))
	}
}
