package suggest

// calibration learns from tagged rules how often each piece of knowledge-base
// and name evidence goes with the technique it points to, and turns the
// written weight into a measured one: an indicator that fires on many rules
// tagged otherwise ("/add" inside "/addfile") loses weight, one that is always
// right gains. The written weight acts as a prior worth calPrior rules.
type calibration struct {
	seen map[string]*calCount // "T1197|process \"bitsadmin.exe\"" -> counts
}

type calCount struct{ fired, right float64 }

// calPrior is how many rules' worth of belief the written weight carries.
const calPrior = 4

func calKey(tech, ev string) string { return tech + "|" + ev }

// learnCalibration counts, over training rules with their gold techniques,
// how often each evidence fired and how often its technique (or its parent)
// was among the rule's.
func learnCalibration(fs []*features, docs []*doc) *calibration {
	cal := &calibration{seen: map[string]*calCount{}}
	for i, f := range fs {
		gold := set(docs[i].labels)
		goldP := set(parents(docs[i].labels))
		note := func(tech, ev string) {
			c := cal.seen[calKey(tech, ev)]
			if c == nil {
				c = &calCount{}
				cal.seen[calKey(tech, ev)] = c
			}
			c.fired++
			switch {
			case gold[tech]:
				c.right++
			case goldP[parentOf(tech)]:
				c.right += 0.5
			}
		}
		for tech, h := range f.kbHits {
			for _, ev := range h.evidence {
				note(tech, ev)
			}
		}
		for tech, h := range f.nameHits {
			note(tech, h.evidence)
		}
	}
	return cal
}

// weight returns the calibrated weight of evidence ev for tech, whose
// written weight is prior.
func (cal *calibration) weight(tech, ev string, prior float64) float64 {
	if cal == nil {
		return prior
	}
	c := cal.seen[calKey(tech, ev)]
	if c == nil {
		return prior
	}
	return (c.right + calPrior*prior) / (c.fired + calPrior)
}
