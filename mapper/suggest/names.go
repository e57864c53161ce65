package suggest

import (
	"regexp"
	"strings"
)

// namePhrase is one phrase of a technique name to look for in rule text:
// "Registry Run Keys / Startup Folder" gives "registry run keys" and
// "startup folder".
type namePhrase struct {
	tech   string
	phrase string // lower case, words joined by one space, with spaces around
	shown  string
	share  float64 // 1 / number of live techniques with this phrase
	first  string  // the phrase's first word
	single bool    // the phrase is one word
}

var (
	parenRe   = regexp.MustCompile(`\([^)]*\)`)
	nonWordRe = regexp.MustCompile(`[^a-z0-9]+`)
)

// normText lower-cases s and turns every run of non-alphanumerics into one
// space, with a space at both ends, so that phrases match whole words.
func normText(s string) string {
	return " " + strings.TrimSpace(nonWordRe.ReplaceAllString(strings.ToLower(s), " ")) + " "
}

// namePhrases builds the phrases of every live technique. A phrase is
// skipped when it is a single stop word or shorter than three letters
// ("At"), since it would match ordinary prose.
func namePhrases(ix *index) []namePhrase {
	var out []namePhrase
	for _, t := range ix.live {
		name := parenRe.ReplaceAllString(t.Name, " ")
		for _, part := range strings.Split(name, " / ") {
			p := normText(part)
			words := strings.Fields(p)
			if len(words) == 0 {
				continue
			}
			if len(words) == 1 && (len(words[0]) < 3 || stopwords[words[0]]) {
				continue
			}
			out = append(out, namePhrase{tech: t.ID, phrase: p, shown: strings.TrimSpace(part), first: words[0], single: len(words) == 1})
		}
	}
	// A phrase shared by several techniques ("Malware", "Domains"), or a
	// one-word name that other names contain too ("PowerShell" in
	// "PowerShell Profile"), says less about each.
	names := make([]string, 0, len(ix.live))
	for _, t := range ix.live {
		names = append(names, normText(parenRe.ReplaceAllString(t.Name, " ")))
	}
	count := map[string]int{}
	for _, p := range out {
		count[p.phrase]++
	}
	for i := range out {
		n := count[out[i].phrase]
		if out[i].single {
			n = 0
			for _, name := range names {
				if strings.Contains(name, out[i].phrase) {
					n++
				}
			}
		}
		out[i].share = 1 / float64(max(n, 1))
	}
	return out
}

// Weights of a technique name found in each part of a rule.
const (
	nameInTitle = 0.6
	nameInDescr = 0.35
	nameInBody  = 0.25
)

// nameHit is the name evidence for one technique.
type nameHit struct {
	score    float64
	evidence string
	prior    float64 // the score before calibration
}

// matchNames finds technique names in the rule's title, description and
// detection values.
func matchNames(phrases []namePhrase, f *features) map[string]*nameHit {
	title := normText(f.title)
	descr := normText(f.descr)
	body := normText(strings.Join(f.values, " "))
	words := map[string]bool{}
	for _, t := range []string{title, descr, body} {
		for _, w := range strings.Fields(t) {
			words[w] = true
		}
	}
	out := map[string]*nameHit{}
	for _, p := range phrases {
		if !words[p.first] {
			continue
		}
		var score float64
		var where string
		switch {
		case strings.Contains(title, p.phrase):
			score, where = nameInTitle, "title"
		case p.single:
			// one-word names ("Tool", "Proxy") are ordinary words outside
			// a title
			continue
		case strings.Contains(descr, p.phrase):
			score, where = nameInDescr, "description"
		case strings.Contains(body, p.phrase):
			score, where = nameInBody, "detection values"
		default:
			continue
		}
		score *= p.share
		if h := out[p.tech]; h == nil || h.score < score {
			out[p.tech] = &nameHit{score: score, prior: score, evidence: "name \"" + p.shown + "\" in " + where}
		}
	}
	return out
}
