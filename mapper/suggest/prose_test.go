package suggest

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/huntlint/huntlint/mapper"
)

// textsCatalog loads mapper/testdata/texts.json: T1140 with a description
// and a detection strategy, T1027 without either.
func textsCatalog(t testing.TB) *mapper.Catalog {
	t.Helper()
	cat, err := mapper.LoadFile(filepath.Join("..", "testdata", "texts.json"), "18.1")
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestMitreTextFromCatalog(t *testing.T) {
	ix := indexFromCatalog(textsCatalog(t))
	got := ix.techs["T1140"].Text
	for _, want := range []string{
		"Adversaries may decode payloads with certutil.",
		"Detection of Decoding with Built-in Tools",
		"Watch certutil started with -decode.",
		"WinEventLog:Security EventCode=4688",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("T1140 text lacks %q:\n%s", want, got)
		}
	}
	if ix.techs["T1027"].Text != "" {
		t.Errorf("T1027 has no text in the bundle, got %q", ix.techs["T1027"].Text)
	}
	if p := newProse(indexFromCatalog(embedded(t))); p != nil {
		t.Error("the embedded catalog has no texts: the prose signal must be off")
	}
}

func TestProseWords(t *testing.T) {
	got := proseWords("Adversaries use [Rundll32](https://attack.mitre.org/techniques/T1218/011) to run code.(Citation: Some Report 2020) <code>regsvr32</code>")
	for _, w := range []string{"rundll32", "run", "code", "regsvr32"} {
		if got[w] == 0 {
			t.Errorf("%q missing from %v", w, got)
		}
	}
	for _, w := range []string{"citation", "report", "https", "attack", "techniques", "t1218"} {
		if got[w] != 0 {
			t.Errorf("%q kept: citations, link targets and IDs are removed (%v)", w, got)
		}
	}
}

func TestProseScores(t *testing.T) {
	ix := &index{techs: map[string]*technique{}}
	ix.add(&technique{ID: "T1140", Name: "Deobfuscate/Decode Files or Information", Text: "Adversaries may decode payloads with certutil -decode."})
	ix.add(&technique{ID: "T1053.005", Name: "Scheduled Task", Text: "Adversaries may abuse the Windows Task Scheduler with schtasks."})
	ix.add(&technique{ID: "T1027", Name: "Obfuscated Files or Information"})
	ix.finish()
	p := newProse(ix)
	if p == nil || len(p.techs) != 2 {
		t.Fatalf("prose over %v, want the two techniques with a text", p)
	}
	f := newFeatures()
	f.title = "certutil decode"
	f.values = []string{`\certutil.exe`}
	got := p.scores(f)
	h := got["T1140"]
	if h == nil || h.score <= 0.1 || !slices.Contains(h.shared, "certutil") {
		t.Fatalf("T1140: %+v", h)
	}
	if o := got["T1053.005"]; o != nil && o.score >= h.score {
		t.Errorf("T1053.005 %.3f scores at least T1140 %.3f", o.score, h.score)
	}
	if got["T1027"] != nil {
		t.Error("a technique without a text scored")
	}
	f.title, f.values = "nothing in common", nil
	if got := p.scores(f); len(got) != 0 {
		t.Errorf("unrelated rule scored %v", got)
	}
}

// TestSuggestFromMitreText checks that with a catalog that has MITRE's
// texts, a rule no other signal knows gets the technique whose texts it
// shares, with that evidence.
func TestSuggestFromMitreText(t *testing.T) {
	s, err := New(textsCatalog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := sigma(t, "x", "Decoding with a built-in tool", nil, "    selection:\n        CommandLine|contains: 'watch decoding payloads'\n")
	sg := s.Suggest(r, 3)
	if len(sg) == 0 || sg[0].Technique != "T1140" {
		t.Fatalf("suggestions %+v, want T1140 first", sg)
	}
	ev := strings.Join(sg[0].Evidence, "\n")
	if !strings.Contains(ev, "ATT&CK's description and analytics of T1140 (similarity") {
		t.Errorf("evidence %q", ev)
	}
}

// TestFormerTacticName checks that a rule naming a tactic by its former
// name, under a newer catalog, names today's tactic for the suggester.
func TestFormerTacticName(t *testing.T) {
	cat, err := mapper.Open(mapper.Options{Paths: []string{filepath.Join("..", "..", "testdata", "attack", "mini-19.json")}, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	ix := indexFromCatalog(cat)
	for _, name := range []string{"defense-evasion", "DefenseEvasion", "attack.defense_evasion", "stealth"} {
		if tac := ix.tactic(name); tac == nil || tac.Shortname != "stealth" {
			t.Errorf("%s: %+v, want stealth", name, tac)
		}
	}
	if tac := ix.tactic("no-such-tactic"); tac != nil {
		t.Errorf("unknown name: %+v", tac)
	}
}
