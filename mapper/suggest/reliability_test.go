package suggest

import (
	"bytes"
	"strings"
	"testing"
)

func TestCalibrationFigures(t *testing.T) {
	// ten rules: first suggestions scoring 0.95 .. 0.05, right (parent
	// level) for the five best and for one more at 0.25
	var gold, pred [][]string
	var scores [][]float64
	for i := range 10 {
		s := 0.95 - 0.1*float64(i)
		p := "T1003.001"
		if i < 5 || i == 7 {
			p = "T1059.003" // a sibling of the gold T1059.001: right at parent level
		}
		gold = append(gold, []string{"T1059.001"})
		pred = append(pred, []string{p})
		scores = append(scores, []float64{s})
	}
	gold = append(gold, []string{"T1105"}) // a rule without any suggestion
	pred = append(pred, nil)
	scores = append(scores, nil)
	m := &Metrics{}
	calibrationFigures(m, gold, pred, scores)
	if len(m.Reliability) != 10 {
		t.Fatalf("reliability %+v", m.Reliability)
	}
	if b := m.Reliability[9]; b.Rules != 1 || b.Parent != 1 || b.Exact != 0 {
		t.Errorf("top bin %+v", b)
	}
	// cumulative precision: 5/5 down to 0.55, 5/6, 5/7, 6/8 = 0.75 < 0.8
	a := m.AtPrecision
	if a.Rules != 6 || round3(a.Threshold) != 0.45 || a.Recall != ratio(5, 11) {
		t.Errorf("at precision %+v", a)
	}
	if w := m.Written; w.Rules != 2 || w.Measured != 1 || w.Recall != ratio(2, 11) {
		t.Errorf("written %+v", w)
	}
	var buf bytes.Buffer
	writeCalibrationText(&buf, m)
	for _, want := range []string{"parent_recall_at_precision_0.8  0.455", "written_at_0.8", "0.9-1.0"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestForWrite(t *testing.T) {
	in := []Result{{Path: "a", Suggested: []Suggestion{{Technique: "T1105", Score: 0.9}, {Technique: "T1140", Score: 0.5}}}}
	out := ForWrite(in, 0.8)
	if len(out[0].Suggested) != 1 || out[0].Suggested[0].Technique != "T1105" {
		t.Errorf("ForWrite: %+v", out)
	}
	if len(in[0].Suggested) != 2 {
		t.Errorf("ForWrite changed its input")
	}
}
