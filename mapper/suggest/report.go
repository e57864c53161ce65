package suggest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/huntlint/huntlint/internal/parallel"
	"github.com/huntlint/huntlint/rules"
)

// RuleInfo names a rule in a Result.
type RuleInfo struct {
	ID     string       `json:"id"`
	Title  string       `json:"title"`
	Format rules.Format `json:"format"`
}

// Result is the suggestions for one rule.
type Result struct {
	Path      string       `json:"path"`
	Rule      RuleInfo     `json:"rule"`
	Existing  []string     `json:"existing"`  // techniques the rule is tagged with
	Suggested []Suggestion `json:"suggested"` // best first

	rule *rules.Rule
	line int
}

// TagOptions configure Tag.
type TagOptions struct {
	Top            int     // suggestions per rule (default 3)
	MinScore       float64 // drop suggestions scoring below
	UntaggedOnly   bool    // only rules without technique tags
	IgnoreExisting bool    // predict as if rules had no tags
}

// Tag suggests techniques for every rule of rs, in order.
func (s *Suggester) Tag(rs []*rules.Rule, opts TagOptions) []Result {
	if opts.Top == 0 {
		opts.Top = 3
	}
	s.prime(rs)
	var idx []int
	for i, r := range rs {
		if opts.UntaggedOnly && len(s.Existing(r)) > 0 {
			continue
		}
		idx = append(idx, i)
	}
	out := make([]Result, len(idx))
	parallel.For(len(idx), 0, func(j int) {
		r := rs[idx[j]]
		res := Result{
			Path:      r.Path,
			Rule:      RuleInfo{ID: r.ID, Title: r.Title, Format: r.Format},
			Existing:  s.Existing(r),
			Suggested: []Suggestion{},
			rule:      r,
			line:      r.Start.Line,
		}
		if res.Existing == nil {
			res.Existing = []string{}
		}
		res.Suggested = append(res.Suggested, Cut(s.SuggestFor(r, opts.Top, opts.IgnoreExisting), opts.MinScore)...)
		out[j] = res
	})
	return out
}

// Cut applies the cut-off minScore to a rule's suggestions, best first: a
// rule whose first suggestion scores below it gets none (the evidence is too
// thin to suggest anything), otherwise every suggestion is kept, each with
// its own score, for a reviewer to choose from. This is the operating point
// of tag and of its evaluation.
func Cut(list []Suggestion, minScore float64) []Suggestion {
	if len(list) == 0 || list[0].Score < minScore {
		return nil
	}
	return list
}

// cut is Cut returning the techniques and their scores.
func cut(list []Suggestion, minScore float64) ([]string, []float64) {
	var ids []string
	var scores []float64
	for _, sg := range Cut(list, minScore) {
		ids, scores = append(ids, sg.Technique), append(scores, sg.Score)
	}
	return ids, scores
}

// WriteJSON writes results as {"suggestions":[…]}.
func WriteJSON(w io.Writer, results []Result) error {
	if results == nil {
		results = []Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Suggestions []Result `json:"suggestions"`
	}{results})
}

// WriteText writes results for people: per rule its position and title,
// existing techniques, then each suggestion with score and evidence.
// WriteSummary adds the counts.
func WriteText(w io.Writer, results []Result) error {
	for _, r := range results {
		title := r.Rule.Title
		if title == "" {
			title = "(untitled)"
		}
		fmt.Fprintf(w, "%s:%d: %s [%s]\n", r.Path, max(r.line, 1), title, r.Rule.Format)
		if len(r.Existing) > 0 {
			fmt.Fprintf(w, "  tagged: %s\n", strings.Join(r.Existing, ", "))
		}
		if len(r.Suggested) == 0 {
			fmt.Fprintf(w, "  no suggestion\n")
		}
		for _, sg := range r.Suggested {
			fmt.Fprintf(w, "  %.2f %s %s\n", sg.Score, sg.Technique, sg.Name)
			for _, ev := range sg.Evidence {
				fmt.Fprintf(w, "       %s\n", ev)
			}
		}
	}
	return nil
}

// WriteSummary writes the closing line of the text output: how many rules,
// and how many got a suggestion.
func WriteSummary(w io.Writer, results []Result) error {
	_, err := fmt.Fprintf(w, "%d rules, %d with suggestions\n", len(results), countWith(results))
	return err
}

func countWith(results []Result) int {
	n := 0
	for _, r := range results {
		if len(r.Suggested) > 0 {
			n++
		}
	}
	return n
}

// WriteMetricsText writes evaluation figures for people.
func WriteMetricsText(w io.Writer, m *Metrics) error {
	folds := fmt.Sprintf("%d-fold cross-validation", m.Folds)
	if m.Folds == 1 {
		folds = "no folds: learned from --train only"
	}
	fmt.Fprintf(w, "%d tagged files (%d rules) evaluated at cut-off %.2f, each file once (%s; %d learned from)\n", m.Files, m.Rules, m.MinScore, folds, m.Trained)
	fmt.Fprintf(w, "top1_precision         %.3f\n", m.Top1Precision)
	fmt.Fprintf(w, "top3_recall            %.3f\n", m.Top3Recall)
	fmt.Fprintf(w, "parent_top1_precision  %.3f\n", m.ParentTop1Precision)
	fmt.Fprintf(w, "parent_top3_recall     %.3f\n", m.ParentTop3Recall)
	fmt.Fprintf(w, "coverage               %.3f\n", m.Coverage)
	if m.TacticRules > 0 {
		fmt.Fprintf(w, "tactic_top3_recall     %.3f (%d files naming tactics)\n", m.TacticTop3Recall, m.TacticRules)
	}
	writeCalibrationText(w, m)
	fmt.Fprintf(w, "per_tactic_recall\n")
	for _, t := range sortedKeys(m.PerTacticRecall) {
		fmt.Fprintf(w, "  %-22s %.3f\n", t, m.PerTacticRecall[t])
	}
	return nil
}

// WriteMetricsJSON writes evaluation figures as one JSON object.
func WriteMetricsJSON(w io.Writer, m *Metrics) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}
