package suggest

import (
	"fmt"
	"io"
	"sort"
)

// DefaultWritePrecision is the score a suggestion needs for tag --write to
// write it: with a stacker, scores are probabilities measured on held-out
// rules, so the written tags are right (at parent level) at least this often.
const DefaultWritePrecision = 0.8

// ForWrite returns results with only the suggestions scoring at least
// precision: what tag --write writes. results is not changed.
func ForWrite(results []Result, precision float64) []Result {
	out := make([]Result, len(results))
	for i, r := range results {
		keep := []Suggestion{}
		for _, sg := range r.Suggested {
			if sg.Score >= precision {
				keep = append(keep, sg)
			}
		}
		r.Suggested = keep
		out[i] = r
	}
	return out
}

// ReliabilityBin is one row of a reliability table: the rules whose first
// suggestion scores in [From, To), and how often that suggestion is right.
type ReliabilityBin struct {
	From      float64 `json:"from"`
	To        float64 `json:"to"`
	Rules     int     `json:"rules"`
	MeanScore float64 `json:"mean_score"`
	Parent    float64 `json:"parent_precision"` // right at parent level
	Exact     float64 `json:"precision"`        // right technique
}

// AtPrecision is what a score threshold chosen for a precision gives.
type AtPrecision struct {
	Precision float64 `json:"precision"` // the precision asked for, at parent level
	// Threshold is the lowest score whose first suggestions, taken from it
	// up, are right at parent level at least Precision of the time; 0
	// with Rules 0 when no threshold reaches it.
	Threshold float64 `json:"threshold"`
	Rules     int     `json:"rules"`    // rules whose first suggestion clears it
	Measured  float64 `json:"measured"` // their parent precision
	// Recall is the share of all evaluated rules whose first suggestion
	// clears the threshold and is right at parent level.
	Recall float64 `json:"recall"`
}

// calibrationFigures computes the reliability table, the recall at
// precision and the figures at DefaultWritePrecision from each rule's first
// suggestion and its score.
func calibrationFigures(m *Metrics, gold, pred [][]string, scores [][]float64) {
	type obs struct {
		score        float64
		parent, tech bool
	}
	var os []obs
	for i, g := range gold {
		if len(pred[i]) == 0 {
			continue
		}
		os = append(os, obs{scores[i][0], set(parents(g))[parentOf(pred[i][0])], set(g)[pred[i][0]]})
	}
	m.Reliability = nil
	for b := range 10 {
		lo, hi := float64(b)/10, float64(b+1)/10
		bin := ReliabilityBin{From: lo, To: hi}
		var sum float64
		var par, ex int
		for _, o := range os {
			if o.score >= lo && (o.score < hi || b == 9) {
				bin.Rules++
				sum += o.score
				if o.parent {
					par++
				}
				if o.tech {
					ex++
				}
			}
		}
		if bin.Rules > 0 {
			bin.MeanScore = round3(sum / float64(bin.Rules))
			bin.Parent = ratio(par, bin.Rules)
			bin.Exact = ratio(ex, bin.Rules)
			m.Reliability = append(m.Reliability, bin)
		}
	}
	// recall at a fixed precision: walk the first suggestions from the best
	// score down and keep the lowest threshold whose cumulative precision
	// still reaches the target
	sort.Slice(os, func(a, b int) bool { return os[a].score > os[b].score })
	at := AtPrecision{Precision: DefaultWritePrecision}
	right := 0
	for i, o := range os {
		if o.parent {
			right++
		}
		if i+1 < len(os) && os[i+1].score == o.score {
			continue // a threshold takes every rule of its score
		}
		if float64(right) >= DefaultWritePrecision*float64(i+1) {
			at.Threshold, at.Rules, at.Measured = o.score, i+1, ratio(right, i+1)
			at.Recall = ratio(right, len(gold))
		}
	}
	m.AtPrecision = at
	// what tag --write writes by default
	w := AtPrecision{Precision: DefaultWritePrecision, Threshold: DefaultWritePrecision}
	right = 0
	for _, o := range os {
		if o.score >= DefaultWritePrecision {
			w.Rules++
			if o.parent {
				right++
			}
		}
	}
	w.Measured = ratio(right, w.Rules)
	w.Recall = ratio(right, len(gold))
	m.Written = w
}

// perFormat computes the figures of each file format on its own: pred are
// the suggestions at the cut-off, all and scores those at any score.
func perFormat(formats []string, gold, pred, all [][]string, scores [][]float64, tacticsOf func(string) []string) map[string]*Metrics {
	byFormat := map[string][]int{}
	for i, f := range formats {
		byFormat[f] = append(byFormat[f], i)
	}
	out := map[string]*Metrics{}
	for f, idx := range byFormat {
		var g, p, a [][]string
		var s [][]float64
		for _, i := range idx {
			g, p, a, s = append(g, gold[i]), append(p, pred[i]), append(a, all[i]), append(s, scores[i])
		}
		m := score(g, p, tacticsOf)
		m.Files = len(g)
		calibrationFigures(m, g, a, s)
		m.PerTacticRecall = nil
		out[f] = m
	}
	return out
}

// writeCalibrationText writes the figures of calibrationFigures and the
// per-format figures for people.
func writeCalibrationText(w io.Writer, m *Metrics) {
	a := m.AtPrecision
	if a.Rules > 0 {
		fmt.Fprintf(w, "parent_recall_at_precision_%.1f  %.3f (first suggestion scoring %.3f or more: %d files, %.3f right)\n", a.Precision, a.Recall, a.Threshold, a.Rules, a.Measured)
	} else {
		fmt.Fprintf(w, "parent_recall_at_precision_%.1f  0 (no score threshold reaches that precision)\n", a.Precision)
	}
	wr := m.Written
	fmt.Fprintf(w, "written_at_%.1f         %d files, parent precision %.3f, recall %.3f\n", wr.Threshold, wr.Rules, wr.Measured, wr.Recall)
	if len(m.Reliability) > 0 {
		fmt.Fprintf(w, "reliability (first suggestion's score: files, mean score, parent precision, precision)\n")
		for _, b := range m.Reliability {
			fmt.Fprintf(w, "  %.1f-%.1f  %5d  %.3f  %.3f  %.3f\n", b.From, b.To, b.Rules, b.MeanScore, b.Parent, b.Exact)
		}
	}
	if len(m.PerFormat) > 1 {
		fmt.Fprintf(w, "per_format (files: top1 / top3 / parent top1 / parent top3 / recall at precision %.1f)\n", DefaultWritePrecision)
		for _, f := range sortedKeys(m.PerFormat) {
			x := m.PerFormat[f]
			fmt.Fprintf(w, "  %-10s %5d: %.3f / %.3f / %.3f / %.3f / %.3f\n", f, x.Rules, x.Top1Precision, x.Top3Recall, x.ParentTop1Precision, x.ParentTop3Recall, x.AtPrecision.Recall)
		}
	}
}
