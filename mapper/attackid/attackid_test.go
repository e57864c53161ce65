package attackid

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		kind Kind
	}{
		{"T1059.001", "T1059.001", Technique},
		{"attack.t1059.001", "T1059.001", Technique},
		{" t1059 ", "T1059", Technique},
		{"TA0002", "TA0002", Tactic},
		{"g0016", "G0016", Group},
		{"S0154", "S0154", Software},
		{"C0024", "C0024", Campaign},
		{"M1038", "M1038", Mitigation},
		{"DS0005", "DS0005", DataSource},
		{"dc0032", "DC0032", DataComponent},
		{"DET0103", "DET0103", DetectionStrategy},
		{"AN0110", "AN0110", Analytic},
		{"attack.a0001", "A0001", Asset},
	} {
		id, ok := Parse(tc.in)
		if !ok || id.String() != tc.want || id.Kind != tc.kind {
			t.Errorf("Parse(%q) = %v %v, want %s %s", tc.in, id, ok, tc.want, tc.kind)
		}
	}
	for _, bad := range []string{"", "T1059.1", "T105", "TA05", "TA0002.001", "G0016.001", "X1234", "T10590", "defense-evasion", "T1059.0011"} {
		if id, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) = %v, want not an ID", bad, id)
		}
	}
}

func TestPrefixKind(t *testing.T) {
	for in, want := range map[string]Kind{"T105": Technique, "ta05": Tactic, "DET1": DetectionStrategy, "a0001": Asset} {
		if k, ok := PrefixKind(in); !ok || k != want {
			t.Errorf("PrefixKind(%q) = %v %v, want %v", in, k, ok, want)
		}
	}
	for _, in := range []string{"stealth", "X1", "T", "T-1"} {
		if k, ok := PrefixKind(in); ok {
			t.Errorf("PrefixKind(%q) = %v", in, k)
		}
	}
}

func TestValidMitigationLegacy(t *testing.T) {
	if !Valid(Mitigation, "T1086") || Valid(Mitigation, "T1086.001") || Valid(Technique, "M1038") || !Valid(Technique, "t1086") {
		t.Error("Valid")
	}
}

func TestNearTechnique(t *testing.T) {
	for in, want := range map[string]string{
		"t1059.1": "T1059.001", "T1059-001": "T1059.001", "T1059,001": "T1059.001", "t1059_001": "T1059.001",
		"T1059 001": "T1059.001", "T1059 / 12": "T1059.012", "T1059.0": "T1059.000",
		"T1059.001": "T1059.001", "T1059": "", "T1059.1234": "", "T105.001": "", "X1059.001": "", "T1059.a": "",
	} {
		if got := NearTechnique(in); got != want {
			t.Errorf("NearTechnique(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitTag(t *testing.T) {
	for _, tc := range []struct {
		s, prefix, value string
		ok               bool
	}{
		{"attack.t1059.001", "attack.", "t1059.001", true},
		{"ATTACK.Execution", "ATTACK.", "Execution", true},
		{"Attack.", "Attack.", "", true}, // bare prefix
		{"attack", "", "attack", false},
		{"attack-t1059", "", "attack-t1059", false},
		{" attack.t1059", "", " attack.t1059", false}, // nothing before the prefix
		{"T1059", "", "T1059", false},
		{"", "", "", false},
	} {
		prefix, value, ok := SplitTag(tc.s)
		if prefix != tc.prefix || value != tc.value || ok != tc.ok {
			t.Errorf("SplitTag(%q) = %q, %q, %v; want %q, %q, %v", tc.s, prefix, value, ok, tc.prefix, tc.value, tc.ok)
		}
		if v, ok2 := CutTagPrefix(tc.s); v != tc.value || ok2 != tc.ok {
			t.Errorf("CutTagPrefix(%q) = %q, %v; want %q, %v", tc.s, v, ok2, tc.value, tc.ok)
		}
	}
}

func TestCutTagSuffix(t *testing.T) {
	for _, tc := range []struct {
		s, want string
		ok      bool
	}{
		{"see attack.", "see ", true},
		{"(ATTACK.", "(", true},
		{"attack.", "", true},
		{"see attack", "see attack", false},
		{"ttack.", "ttack.", false},
		{"", "", false},
	} {
		if got, ok := CutTagSuffix(tc.s); got != tc.want || ok != tc.ok {
			t.Errorf("CutTagSuffix(%q) = %q, %v; want %q, %v", tc.s, got, ok, tc.want, tc.ok)
		}
	}
}
