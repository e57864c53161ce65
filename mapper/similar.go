package mapper

import (
	"sort"
	"strings"

	"github.com/huntlint/huntlint/internal/textdist"
	"github.com/huntlint/huntlint/mapper/attackid"
)

// scored is a candidate with a score; lower is better.
type scored struct {
	o     *Object
	score float64
	rank  int // domain rank: active domains first
}

func sortScored(s []scored) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.score != b.score {
			return a.score < b.score
		}
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		if a.o.ID != b.o.ID {
			return a.o.ID < b.o.ID
		}
		return a.o.Type < b.o.Type
	})
}

// Similar returns up to n objects of type t whose ID or name is nearest to s,
// best first, for "did you mean" messages. Only active domains are searched
// (all loaded domains when none is active) and revoked objects are left out:
// a suggestion is always something a rule may use. An ID-like s ("T1059.01",
// "t1095") is compared with IDs (at most two edits away); otherwise s is
// compared with names (and tactic shortnames) by edit distance, at most about
// a third of the name's length, or as a word prefix.
func (c *Catalog) Similar(t ObjectType, s string, n int) []*Object {
	if n <= 0 {
		return nil
	}
	id := normID(s)
	_, idShaped := IDType(id)
	fold := foldName(s)
	// A bare "attack." is compared as the name it spells, not as "".
	if v, ok := attackid.CutTagPrefix(s); ok && v != "" {
		fold = foldName(v)
	}
	padded := padSubtechnique(id)
	var cands []scored
	for rank, d := range c.searchDomains() {
		for _, o := range d.byType[t] {
			if o.Status == StatusRevoked {
				continue
			}
			var score float64
			if idShaped {
				if o.ID == id {
					continue
				}
				dist := textdist.Levenshtein(id, o.ID)
				if o.ID == padded {
					dist = 0 // "T1059.1" means T1059.001
				}
				if dist > 2 {
					continue
				}
				score = float64(dist)
			} else {
				var ok bool
				if score, ok = nameScore(fold, o); !ok {
					continue
				}
			}
			if o.Status == StatusDeprecated {
				score += 0.5
			}
			cands = append(cands, scored{o, score, rank})
		}
	}
	sortScored(cands)
	return firstN(cands, n)
}

// nameScore compares a folded query with an object's folded name and
// shortname; ok is false when they are too far apart.
func nameScore(q string, o *Object) (float64, bool) {
	if q == "" {
		return 0, false
	}
	best, ok := 0.0, false
	for _, name := range []string{o.Name, o.Shortname} {
		f := foldName(name)
		if f == "" {
			continue
		}
		var s float64
		switch {
		case f == q:
			s = 0
		case strings.HasPrefix(f, q) && len(q) >= 4:
			s = 1 + float64(len(f)-len(q))/float64(len(f))
		default:
			dist := textdist.Levenshtein(q, f)
			limit := (max(len(q), len(f)) + 2) / 3
			if dist > limit {
				continue
			}
			s = 1 + float64(dist)
		}
		if !ok || s < best {
			best, ok = s, true
		}
	}
	return best, ok
}

// searchDomains returns the active domains, or all when none is active.
func (c *Catalog) searchDomains() []*domainData {
	if len(c.active) == 0 {
		return c.domains
	}
	return c.domains[:len(c.active)]
}

func firstN(s []scored, n int) []*Object {
	var out []*Object
	seen := map[*Object]bool{}
	for _, x := range s {
		if len(out) == n {
			break
		}
		if !seen[x.o] {
			seen[x.o] = true
			out = append(out, x.o)
		}
	}
	return out
}

// searchTypeOrder ranks types in search results when scores tie.
var searchTypeOrder = map[ObjectType]int{
	TypeTechnique: 0, TypeTactic: 1, TypeGroup: 2, TypeSoftware: 3, TypeCampaign: 4,
	TypeMitigation: 5, TypeDataSource: 6, TypeDataComponent: 7, TypeDetectionStrategy: 8,
	TypeAnalytic: 9, TypeAsset: 10,
}

// Search returns up to n objects of any type best matching text by ID and
// name, best first: an exact ID, then IDs starting with text ("T1059" finds
// its sub-techniques), exact names, names starting with text, names holding
// every word of text, then IDs one edit away (for an ID-like text) or names
// a few edits away (otherwise). Every loaded domain is
// searched, active ones ranked first; revoked and deprecated objects rank
// below live ones with the same score.
func (c *Catalog) Search(text string, n int) []*Object {
	text = strings.TrimSpace(text)
	if n <= 0 || text == "" {
		return nil
	}
	id := normID(text)
	lower := strings.ToLower(text)
	words := strings.Fields(lower)
	fold := foldName(text)
	_, idShaped := IDType(id)
	var cands []scored
	for rank, d := range c.domains {
		for _, o := range d.all {
			score, ok := searchScore(o, id, lower, fold, words, idShaped)
			if !ok {
				continue
			}
			score += float64(statusRank(o.Status)) * 0.25
			score += float64(searchTypeOrder[o.Type]) * 0.001
			cands = append(cands, scored{o, score, rank})
		}
	}
	sortScored(cands)
	return firstN(cands, n)
}

func searchScore(o *Object, id, lower, fold string, words []string, idShaped bool) (float64, bool) {
	switch {
	case o.ID == id:
		return 0, true
	case strings.HasPrefix(o.ID, id) && len(id) >= 2 && (o.ID[len(id)] == '.' || len(id) >= 4):
		return 1, true
	}
	name := strings.ToLower(o.Name)
	switch {
	case name == lower || (o.Shortname != "" && o.Shortname == lower):
		return 2, true
	case strings.HasPrefix(name, lower):
		return 3, true
	}
	if len(words) > 0 {
		all := true
		for _, w := range words {
			if !strings.Contains(name, w) {
				all = false
				break
			}
		}
		if all {
			return 4, true
		}
	}
	if idShaped {
		// An ID-like query ("T1059.01") is matched with IDs a typing
		// error away, never with names that merely look alike ("TA505").
		if d := textdist.Levenshtein(id, o.ID); d == 1 {
			return 5, true
		}
		return 0, false
	}
	if s, ok := nameScore(fold, o); ok && s > 0 {
		return 5 + s, true
	}
	return 0, false
}

// padSubtechnique writes a sub-technique number with three digits:
// "T1059.1" and "T1059.0001" become "T1059.001"; other IDs are returned as
// they are.
func padSubtechnique(id string) string {
	i := strings.IndexByte(id, '.')
	if i < 0 || i == len(id)-1 {
		return id
	}
	num := strings.TrimLeft(id[i+1:], "0")
	for _, r := range num {
		if r < '0' || r > '9' {
			return id
		}
	}
	if len(num) > 3 {
		return id
	}
	return id[:i+1] + strings.Repeat("0", 3-len(num)) + num
}
