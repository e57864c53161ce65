package layer

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ScoreFunc names how a technique's score is computed from its rules.
type ScoreFunc string

// Score functions.
const (
	// ScoreCount is the number of rules (each weighted by its status weight).
	ScoreCount ScoreFunc = "count"
	// ScoreLevel is the sum of the rules' level weights.
	ScoreLevel ScoreFunc = "level"
	// ScoreMax is the highest level weight among the rules.
	ScoreMax ScoreFunc = "max"
)

// ScoreFuncs lists the score functions in documentation order.
var ScoreFuncs = []ScoreFunc{ScoreCount, ScoreLevel, ScoreMax}

// ParseScoreFunc checks a --score value.
func ParseScoreFunc(s string) (ScoreFunc, error) {
	for _, f := range ScoreFuncs {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("invalid score function %q: use count, level or max", s)
}

// Levels lists rule levels from lowest to highest. Sentinel severities
// (Informational, Low, Medium, High) use the same names.
var Levels = []string{"informational", "low", "medium", "high", "critical"}

// levelWeights are the weights of the level and max score functions.
var levelWeights = map[string]float64{
	"informational": 1,
	"low":           2,
	"medium":        4,
	"high":          8,
	"critical":      12,
}

// NormalizeLevel returns the level name for a Sigma level or Sentinel
// severity in any case, or "" when s is not a known level.
func NormalizeLevel(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if _, ok := levelWeights[s]; ok {
		return s
	}
	return ""
}

// LevelWeight is the weight of a level; a rule without a (known) level
// weighs 1.
func LevelWeight(level string) float64 {
	if w, ok := levelWeights[NormalizeLevel(level)]; ok {
		return w
	}
	return 1
}

func levelRank(level string) int {
	level = NormalizeLevel(level)
	for i, l := range Levels {
		if l == level {
			return i
		}
	}
	return -1
}

// Statuses lists Sigma rule statuses from lowest to highest for --min-status;
// deprecated and unsupported rank lowest.
var Statuses = []string{"unsupported", "deprecated", "experimental", "test", "stable"}

// MinStatuses are the statuses --min-status offers: deprecated and
// unsupported rank lowest, so as a minimum they keep every rule.
var MinStatuses = Statuses[2:]

func statusRank(status string) int {
	status = strings.ToLower(strings.TrimSpace(status))
	switch status {
	case "unsupported", "deprecated":
		return 0
	case "experimental":
		return 1
	case "test":
		return 2
	case "stable":
		return 3
	}
	return -1
}

// ParseLevel checks a --min-level value.
func ParseLevel(s string) (string, error) {
	if l := NormalizeLevel(s); l != "" {
		return l, nil
	}
	return "", fmt.Errorf("invalid level %q: use %s", s, strings.Join(Levels, ", "))
}

// ParseStatus checks a --min-status value.
func ParseStatus(s string) (string, error) {
	if statusRank(s) >= 0 {
		return strings.ToLower(strings.TrimSpace(s)), nil
	}
	return "", fmt.Errorf("invalid status %q: use %s", s, strings.Join(Statuses, ", "))
}

// ParseStatusWeights reads "stable=1,test=0.75,experimental=0.5". Statuses
// not listed weigh 1.
func ParseStatusWeights(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || k == "" {
			return nil, fmt.Errorf("invalid status weight %q: expected status=weight, e.g. test=0.75", part)
		}
		if statusRank(k) < 0 {
			return nil, fmt.Errorf("invalid status weight %q: unknown status %q; use %s", part, k, strings.Join(Statuses, ", "))
		}
		w, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || w < 0 {
			return nil, fmt.Errorf("invalid status weight %q: %q is not a number of at least 0", part, strings.TrimSpace(v))
		}
		out[k] = w
	}
	return out, nil
}

// FormatStatusWeights writes weights back as "status=weight,…" in status order.
func FormatStatusWeights(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return statusRank(keys[i]) > statusRank(keys[j]) || statusRank(keys[i]) == statusRank(keys[j]) && keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.FormatFloat(m[k], 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

// score computes f over rules.
func score(f ScoreFunc, rs []*RuleInfo) float64 {
	var s float64
	for _, r := range rs {
		switch f {
		case ScoreLevel:
			s += r.StatusWeight * LevelWeight(r.Level)
		case ScoreMax:
			if w := r.StatusWeight * LevelWeight(r.Level); w > s {
				s = w
			}
		default:
			s += r.StatusWeight
		}
	}
	return round(s)
}

// round trims floating-point noise from sums of fractional weights.
func round(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 6, 64), 64)
	return v
}
