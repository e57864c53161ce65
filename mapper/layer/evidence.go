package layer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Evidence values of RuleInfo.Evidence.
const (
	EvidenceTested   = "tested"   // the rule's tests ran and passed (huntlint test)
	EvidenceUntested = "untested" // no passing test: none, failed, or not evaluable
)

// EvidenceWeights weigh rules by their test evidence: a rule's weight (its
// status weight) is multiplied by Tested or Untested.
type EvidenceWeights struct {
	Tested   float64
	Untested float64
}

// TestedOnly counts only the rules whose tests pass (--evidence tested).
var TestedOnly = EvidenceWeights{Tested: 1, Untested: 0}

// ParseEvidenceWeights parses "tested=1,untested=0.5"; an evidence left out
// keeps its TestedOnly weight.
func ParseEvidenceWeights(s string) (EvidenceWeights, error) {
	w := TestedOnly
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return w, fmt.Errorf("invalid evidence weight %q: write tested=N or untested=N", part)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 {
			return w, fmt.Errorf("invalid evidence weight %q: the weight must be a number, 0 or more", part)
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case EvidenceTested:
			w.Tested = f
		case EvidenceUntested:
			w.Untested = f
		default:
			return w, fmt.Errorf("invalid evidence weight %q: the evidences are tested and untested", part)
		}
	}
	return w, nil
}

func (w EvidenceWeights) String() string {
	return fmt.Sprintf("tested=%s,untested=%s", strconv.FormatFloat(w.Tested, 'g', -1, 64), strconv.FormatFloat(w.Untested, 'g', -1, 64))
}

// ApplyEvidence weighs the rules of cov by their test evidence after
// Aggregate: proven says whether the rule at a path (as loaded) and first
// line passed its tests. Each rule's Evidence is set and its StatusWeight
// multiplied by its evidence weight; cells are scored again, and cells
// left at score 0 (only unproven rules under TestedOnly) are dropped.
func ApplyEvidence(cov *Coverage, proven func(path string, line int) bool, w EvidenceWeights) {
	for _, r := range cov.Rules {
		if proven(r.Path, r.Line) {
			r.Evidence = EvidenceTested
			r.StatusWeight *= w.Tested
		} else {
			r.Evidence = EvidenceUntested
			r.StatusWeight *= w.Untested
		}
	}
	cov.EvidenceWeights = &w
	for _, dc := range cov.Domains {
		for id, c := range dc.Cells {
			c.Score = score(cov.Options.Score, c.AllRules())
			if c.Score == 0 {
				delete(dc.Cells, id)
			}
		}
	}
}

// proven counts the rules of rs whose tests passed.
func proven(rs []*RuleInfo) int {
	n := 0
	for _, r := range rs {
		if r.Evidence == EvidenceTested {
			n++
		}
	}
	return n
}

// evidenceCellMetadata is a technique's "proven rules" count, when the
// coverage carries test evidence.
func evidenceCellMetadata(rs []*RuleInfo) []Metadata {
	for _, r := range rs {
		if r.Evidence != "" {
			return []Metadata{{Name: "proven rules", Value: strconv.Itoa(proven(rs))}}
		}
	}
	return nil
}

// evidenceLayerMetadata names the evidence weights and the proven total.
func evidenceLayerMetadata(cov *Coverage) []Metadata {
	if cov.EvidenceWeights == nil {
		return nil
	}
	return []Metadata{
		{Name: "evidence", Value: "huntlint test (" + cov.EvidenceWeights.String() + ")"},
		{Name: "proven rules", Value: strconv.Itoa(proven(cov.Rules))},
	}
}

// evidenceMarkdown is the "Proven coverage" section of the Markdown report:
// per covered technique, its rules and how many of them are proven.
func evidenceMarkdown(cov *Coverage) string {
	if cov.EvidenceWeights == nil {
		return ""
	}
	var b strings.Builder
	n := proven(cov.Rules)
	fmt.Fprintf(&b, "\n## Proven coverage\n\n%d of %d %s passed their tests (huntlint test; weights %s).\n",
		n, len(cov.Rules), plural(len(cov.Rules), "rule", "rules"), cov.EvidenceWeights)
	for _, dc := range cov.Domains {
		cells := dc.Sorted()
		if len(cells) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s\n\n| Technique | Rules | Proven |\n| --- | ---: | ---: |\n", releaseName(dc))
		rows := make([]*Cell, len(cells))
		copy(rows, cells)
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Technique.ID < rows[j].Technique.ID })
		for _, c := range rows {
			rs := c.AllRules()
			fmt.Fprintf(&b, "| %s %s | %d | %d |\n", c.Technique.ID, mdEscape(c.Technique.Name), len(rs), proven(rs))
		}
	}
	return b.String()
}
