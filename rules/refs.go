package rules

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/huntlint/huntlint/mapper/attackid"
)

var reTacticWord = regexp.MustCompile(`^[A-Za-z][A-Za-z_\- ]*[A-Za-z]$`)

// classifyAttack judges what an ATT&CK value ("T1059.001", "g0016",
// "defense_evasion") names from its spelling alone: an ID by its prefix
// (package attackid), else a single word as a tactic.
func classifyAttack(v string) RefKind {
	if id, ok := attackid.Exact(v); ok {
		return RefKind(id.Kind)
	}
	if reTacticWord.MatchString(v) && !strings.Contains(v, " ") {
		return RefTactic
	}
	return RefUnknown
}

// sigmaTagRef returns the ATT&CK reference of a Sigma tag, if it is one
// ("attack.*", prefix in any case).
func sigmaTagRef(t Tag) (Ref, bool) {
	v, ok := attackid.CutTagPrefix(t.Text)
	if !ok {
		return Ref{}, false
	}
	return Ref{Text: t.Text, Value: v, Kind: classifyAttack(v), Source: SourceSigmaTag, Span: t.Span, Node: t.Node}, true
}

// Free-text recognisers. IDs must stand alone: no letter, digit or
// underscore directly before or after.
var (
	reFreeURL = regexp.MustCompile(`(?i)(?:https?://)?attack\.mitre\.org/(?:(techniques|wiki/technique)/(T\d{4})(?:[/.](\d{3}))?|(tactics|wiki/tactic)/(TA\d{4})|(groups)/(G\d{4})|(software)/(S\d{4})|(campaigns)/(C\d{4})|(mitigations)/(M\d{4})|(datasources)/(DS\d{4}))/?`)
	reFreeID  = regexp.MustCompile(`(?i)\b(T\d{4})(?:[./_-](\d{3}))?\b|\b(TA\d{4})\b`)
	// "Tactic: Execution, Initial Access" / "MITRE Tactics - Persistence".
	reFreeTactics = regexp.MustCompile(`(?i)\btactics?\b\s*(?:\*\*)?\s*[:=]\s*(?:\*\*)?`)
	// reListLead is what may precede "Tactics:" on its line: punctuation
	// (comment slashes, list bullets, table bars, bold) and the words MITRE
	// and ATT&CK.
	maxListLead = 40 // longest lead before "Tactics:" that is looked at
	reListLead  = regexp.MustCompile(`(?i)^[\s/#*>|_\-]*(?:(?:mitre|att&ck|attack)[\s:*_\-]*)*$`)
)

// scanFree finds ATT&CK references in free text: the file bytes [start, end)
// (a comment or a run of Markdown prose). src is the reference source for
// plain IDs and tactic lists; links get SourceURL.
func scanFree(li *lineIndex, start, end int, src RefSource) []Ref {
	text := string(li.src[start:end])
	var refs []Ref
	var masked [][2]int
	var urls [][]int
	if containsFold(text, "mitre.org") {
		urls = reFreeURL.FindAllStringSubmatchIndex(text, -1)
	}
	for _, m := range urls {
		ref := Ref{Text: text[m[0]:m[1]], Source: SourceURL, Span: li.span(start+m[0], start+m[1])}
		ref.Text = strings.TrimSuffix(ref.Text, "/")
		ref.Span = li.span(start+m[0], start+m[0]+len(ref.Text))
		switch {
		case m[4] >= 0:
			ref.Kind = RefTechnique
			ref.Value = strings.ToUpper(text[m[4]:m[5]])
			if m[6] >= 0 {
				ref.Value += "." + text[m[6]:m[7]]
			}
		default:
			for g := 4; g < len(m)/2; g += 2 {
				if m[2*g] < 0 {
					continue
				}
				ref.Value = strings.ToUpper(text[m[2*g+2]:m[2*g+3]])
				ref.Kind = urlKind(strings.ToLower(text[m[2*g]:m[2*g+1]]))
				break
			}
		}
		if ref.Value == "" {
			continue
		}
		refs = append(refs, ref)
		masked = append(masked, [2]int{m[0], m[1]})
	}
	inMask := func(a, b int) bool {
		// masked is sorted; find the first link ending after a.
		i := sort.Search(len(masked), func(i int) bool { return masked[i][1] > a })
		return i < len(masked) && masked[i][0] < b
	}
	var ids [][]int
	if strings.ContainsAny(text, "0123456789") {
		ids = reFreeID.FindAllStringSubmatchIndex(text, -1)
	}
	for _, m := range ids {
		a := m[0]
		if before, ok := attackid.CutTagSuffix(text[:a]); ok {
			a = len(before) // Sigma style in prose: attack.t1059.001
		}
		if inMask(a, m[1]) || !standsAlone(text, a, m[1]) {
			continue
		}
		ref := Ref{Text: text[a:m[1]], Source: src, Span: li.span(start+a, start+m[1])}
		if m[2] >= 0 {
			ref.Kind = RefTechnique
			ref.Value = strings.ToUpper(text[m[2]:m[3]])
			if m[4] >= 0 {
				ref.Value += "." + text[m[4]:m[5]]
			}
		} else {
			ref.Kind = RefTactic
			ref.Value = strings.ToUpper(text[m[6]:m[7]])
		}
		refs = append(refs, ref)
	}
	var lists [][]int
	if containsFold(text, "tactic") {
		lists = reFreeTactics.FindAllStringIndex(text, -1)
	}
	for _, m := range lists {
		lo := max(0, m[0]-maxListLead-1)
		lineStart := strings.LastIndexByte(text[lo:m[0]], '\n') + 1 + lo
		if lineStart == lo && lo > 0 || !reListLead.MatchString(text[lineStart:m[0]]) {
			continue // "the tactic: …" inside a sentence is no list
		}
		lineEnd := strings.IndexByte(text[m[1]:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text) - m[1]
		}
		refs = append(refs, tacticList(li, text, start, m[1], m[1]+lineEnd, src, inMask)...)
	}
	sortRefs(refs)
	return refs
}

// tacticList splits "Execution, Initial Access and Persistence" into tactic
// references. Items that are IDs or links are left to the other recognisers;
// items that do not look like names (digits, punctuation, more than four
// words) end the list.
func tacticList(li *lineIndex, text string, base, from, to int, src RefSource, inMask func(a, b int) bool) []Ref {
	var refs []Ref
	i := from
	for i < to {
		j := i
		for j < to && !strings.ContainsRune(",;|/", rune(text[j])) {
			j++
		}
		item := text[i:j]
		// split "A and B"
		parts := splitAnd(item)
		off := i
		for _, p := range parts {
			pi := strings.Index(text[off:j], p)
			if pi < 0 {
				continue
			}
			a := off + pi
			b := a + len(p)
			off = b
			name := strings.Trim(p, " \t*_`'\"()[].")
			if name == "" {
				continue
			}
			a += strings.Index(p, name)
			b = a + len(name)
			if inMask(a, b) || reFreeID.MatchString(name) {
				continue
			}
			if !reTacticWord.MatchString(name) || len(strings.Fields(name)) > 4 {
				return refs
			}
			refs = append(refs, Ref{Text: name, Value: name, Kind: RefTactic, Source: src, Span: li.span(base+a, base+b)})
		}
		i = j + 1
	}
	return refs
}

func splitAnd(s string) []string {
	var out []string
	for {
		k := strings.Index(strings.ToLower(s), " and ")
		if k < 0 {
			return append(out, s)
		}
		out = append(out, s[:k])
		s = s[k+5:]
	}
}

func urlKind(path string) RefKind {
	switch path {
	case "tactics", "wiki/tactic":
		return RefTactic
	case "groups":
		return RefGroup
	case "software":
		return RefSoftware
	case "campaigns":
		return RefCampaign
	case "mitigations":
		return RefMitigation
	case "datasources":
		return RefDataSource
	}
	return RefUnknown
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// standsAlone reports whether text[a:b] has no word character or dot-digit
// continuation around it ("T1059.0011" and "xT1059" are not IDs).
func standsAlone(text string, a, b int) bool {
	if a > 0 && (isWordByte(text[a-1]) || text[a-1] == '-' || text[a-1] == '.') {
		return false
	}
	if b < len(text) && (isWordByte(text[b]) || text[b] == '-') {
		return false
	}
	if b+1 < len(text) && (text[b] == '.' || text[b] == '/') && text[b+1] >= '0' && text[b+1] <= '9' {
		return false
	}
	return true
}

func sortRefs(refs []Ref) {
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].Span.StartOffset < refs[j].Span.StartOffset })
}

// containsFold reports whether text contains the lower-case ASCII word sub
// in any case, without allocating.
func containsFold(text, sub string) bool {
	for i := 0; i+len(sub) <= len(text); i++ {
		j := 0
		for j < len(sub) && text[i+j]|0x20 == sub[j] {
			j++
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}

// PascalCase joins the words of a name, split at spaces, hyphens and
// underscores, each capitalised, as Sentinel writes tactics: "Command and
// Control" -> "CommandAndControl".
func PascalCase(name string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }) {
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	return b.String()
}

// URLIDPath finds the ID path of an attack.mitre.org link, as the loaders
// read links: in "https://attack.mitre.org/techniques/T1059/001/" it is
// "/techniques/T1059/001". It returns the path's start (its first slash) and
// end in u and its folder, lower case ("techniques", "wiki/technique",
// "tactics", …); ok is false when u holds no such link.
func URLIDPath(u string) (start, end int, folder string, ok bool) {
	m := reFreeURL.FindStringSubmatchIndex(u)
	if m == nil {
		return 0, 0, "", false
	}
	// reFreeURL's groups: each folder, then its ID; group 3 is a
	// technique's sub-technique number.
	for _, g := range []int{1, 4, 6, 8, 10, 12, 14} {
		if m[2*g] < 0 {
			continue
		}
		end = m[2*g+3] // the end of the ID
		if g == 1 && m[6] >= 0 {
			end = m[7]
		}
		return m[2*g] - 1, end, strings.ToLower(u[m[2*g]:m[2*g+1]]), true
	}
	return 0, 0, "", false
}
