package layer

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestSVGIsWellFormed parses the SVG golden as XML: a browser refuses to
// draw a malformed SVG file.
func TestSVGIsWellFormed(t *testing.T) {
	data, err := os.ReadFile("testdata/golden/coverage.svg")
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var root string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("coverage.svg is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
			if se.Name.Space != "http://www.w3.org/2000/svg" {
				t.Errorf("root namespace = %q", se.Name.Space)
			}
		}
	}
	if root != "svg" {
		t.Errorf("root element = %q", root)
	}
}

// TestHTMLIsSelfContained checks that the page loads nothing from the
// network or the disk: no external scripts, styles, images or fonts.
func TestHTMLIsSelfContained(t *testing.T) {
	data, err := os.ReadFile("testdata/golden/coverage.html")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, re := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script[^>]+src=`),
		regexp.MustCompile(`(?i)<link\b`),
		regexp.MustCompile(`(?i)<img\b`),
		regexp.MustCompile(`(?i)<iframe\b`),
		regexp.MustCompile(`(?i)@import|url\(`),
	} {
		if loc := re.FindStringIndex(s); loc != nil {
			t.Errorf("coverage.html loads an external resource: %q", s[loc[0]:min(len(s), loc[1]+40)])
		}
	}
	for _, want := range []string{`<style>`, `<script>`, `id="filter"`, `id="details"`, `var data = {`} {
		if !strings.Contains(s, want) {
			t.Errorf("coverage.html has no %s", want)
		}
	}
}

// TestHTMLEscapesRuleText keeps rule titles from breaking out of the page.
func TestHTMLEscapesRuleText(t *testing.T) {
	cat := testCatalog(t)
	r := rule("x.yml", `</script><script>alert(1)</script>`, "high", "", "T1082")
	cov, err := Aggregate(cat, rulesOf(r), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, cov, goldenOptions()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>alert(1)") {
		t.Error("a rule title was written into the page unescaped")
	}
	buf.Reset()
	if err := WriteSVG(&buf, cov, goldenOptions()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "<script>") {
		t.Error("a rule title was written into the SVG unescaped")
	}
}
