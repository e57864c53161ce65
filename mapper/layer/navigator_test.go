package layer

import "testing"

func TestRuleURL(t *testing.T) {
	for _, tc := range []struct{ base, path, want string }{
		{"https://github.com/o/r/blob/main/", "rules/windows/a.yml", "https://github.com/o/r/blob/main/rules/windows/a.yml"},
		{"https://github.com/o/r/blob/main", "./rules/a.yml", "https://github.com/o/r/blob/main/rules/a.yml"},
		{"https://example.com/x", "my rules/a#1.yml", "https://example.com/x/my%20rules/a%231.yml"},
	} {
		if got := RuleURL(tc.base, tc.path); got != tc.want {
			t.Errorf("RuleURL(%q, %q) = %q, want %q", tc.base, tc.path, got, tc.want)
		}
	}
}

func TestNavigatorGradientWhenScoresAreEqual(t *testing.T) {
	cov, err := Aggregate(testCatalog(t), rulesOf(rule("a.yml", "A", "", "", "T1082")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := Navigator(cov, goldenOptions())[0]
	if g := l.Gradient; g.MinValue != 0 || g.MaxValue != 1 {
		t.Errorf("gradient %v..%v, want 0..1 (maxValue must exceed minValue)", g.MinValue, g.MaxValue)
	}
	if err := l.Validate(nil); err != nil {
		t.Error(err)
	}
	empty, _ := Aggregate(testCatalog(t), nil, Options{})
	l = Navigator(empty, goldenOptions())[0]
	if err := l.Validate(nil); err != nil || len(l.Techniques) != 0 {
		t.Errorf("empty layer: %v, %d entries", err, len(l.Techniques))
	}
}
