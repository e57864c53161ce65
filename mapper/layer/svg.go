package layer

import (
	"fmt"
	"html"
	"io"
	"strings"
	"unicode/utf8"
)

// SVG geometry, in pixels.
const (
	svgMargin  = 16
	svgColW    = 150
	svgColGap  = 4
	svgCellH   = 20
	svgCellGap = 2
	svgHeadH   = 34
	svgFont    = `font-family="Helvetica, Arial, sans-serif"`
	emptyColor = "#ffffff"
	lineColor  = "#c8c8c8"
)

// WriteSVG writes a self-contained heatmap per domain, stacked: tactics as
// columns in matrix order, live parent techniques as cells coloured by
// score, a stripe on the left of a cell coloured by its best covered
// sub-technique with "covered/live" sub-techniques on the right, a legend, and
// a title with the ATT&CK release and date. Every cell has a tooltip.
func WriteSVG(w io.Writer, cov *Coverage, o WriteOptions) error {
	o = o.withDefaults()
	var body strings.Builder
	width, y := 0, 0
	for i, dc := range cov.Domains {
		wd, h := svgDomain(&body, cov, dc, o, y, i)
		width = max(width, wd)
		y += h
	}
	width = max(width, 520)
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" %s>
<rect width="100%%" height="100%%" fill="#ffffff"/>
%s</svg>
`, width, y, width, y, svgFont, body.String())
	return err
}

func svgDomain(b *strings.Builder, cov *Coverage, dc *DomainCoverage, o WriteOptions, top, idx int) (width, height int) {
	cols := matrix(dc)
	lo, hi := gradientRange(dc)
	_, total := stats(dc)
	x0 := svgMargin
	y := top + svgMargin
	esc := html.EscapeString

	fmt.Fprintf(b, "<g>\n<text x=\"%d\" y=\"%d\" font-size=\"18\" font-weight=\"bold\" fill=\"#222\">%s: %s</text>\n", x0, y+16, esc(o.Name), esc(releaseName(dc)))
	fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#555\">%s · %s · %d of %d rules · %d of %d techniques and sub-techniques covered (%.0f%%) · score: %s</text>\n",
		x0, y+34, esc(o.Generator), o.Date.UTC().Format("2006-01-02"), dc.Rules, len(cov.Rules),
		total.TechCov+total.SubsCov, total.Techniques+total.Subtechniques, total.percent(), esc(string(cov.Options.Score)))

	// Legend: the gradient, an uncovered swatch and the sub-technique stripe.
	ly := y + 46
	gid := fmt.Sprintf("huntlint-gradient-%d", idx)
	fmt.Fprintf(b, "<defs><linearGradient id=\"%s\"><stop offset=\"0\" stop-color=\"%s\"/><stop offset=\"1\" stop-color=\"%s\"/></linearGradient></defs>\n", gid, o.MinColor, o.MaxColor)
	fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#222\" text-anchor=\"end\">%s</text>\n", x0+40, ly+11, fmtNum(lo))
	fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"160\" height=\"14\" fill=\"url(#%s)\" stroke=\"%s\"/>\n", x0+46, ly, gid, lineColor)
	fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#222\">%s</text>\n", x0+212, ly+11, fmtNum(hi)+" (log scale)")
	fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"%s\"/>\n", x0+300, ly, emptyColor, lineColor)
	fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#222\">not covered</text>\n", x0+318, ly+11)
	fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\" stroke=\"%s\"/><rect x=\"%d\" y=\"%d\" width=\"4\" height=\"14\" fill=\"%s\"/>\n",
		x0+400, ly, emptyColor, lineColor, x0+400, ly, o.MaxColor)
	fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#222\">sub-techniques covered (covered/live at right)</text>\n", x0+418, ly+11)

	my := ly + 28
	maxRows := 0
	for ci, col := range cols {
		x := x0 + ci*(svgColW+svgColGap)
		covered := 0
		for _, r := range col.Rows {
			if r.Score() > 0 {
				covered++
			}
		}
		fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eeeeee\"/>\n", x, my, svgColW, svgHeadH-4)
		fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" font-weight=\"bold\" fill=\"#222\" text-anchor=\"middle\">%s</text>\n", x+svgColW/2, my+13, esc(truncate(col.Tactic.Name, 24)))
		fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#555\" text-anchor=\"middle\">%s · %d/%d techniques</text>\n", x+svgColW/2, my+25, col.Tactic.ID, covered, len(col.Rows))
		for ri, r := range col.Rows {
			cy := my + svgHeadH + ri*(svgCellH+svgCellGap)
			svgCell(b, r, x, cy, lo, hi, o)
		}
		maxRows = max(maxRows, len(col.Rows))
	}
	fmt.Fprintf(b, "</g>\n")
	width = x0*2 + len(cols)*(svgColW+svgColGap)
	height = (my - top) + svgHeadH + maxRows*(svgCellH+svgCellGap) + svgMargin
	return width, height
}

func svgCell(b *strings.Builder, r *row, x, y int, lo, hi float64, o WriteOptions) {
	esc := html.EscapeString
	fill := parseHex(emptyColor)
	if r.Score() > 0 {
		fill = gradientColor(lo, hi, o.MinColor, o.MaxColor, r.Score())
	}
	text := "#222"
	if fill.dark() {
		text = "#fff"
	}
	fmt.Fprintf(b, "<g><title>%s</title>", esc(rowTooltip(r)))
	fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"%s\"/>", x, y, svgColW, svgCellH, fill.hex(), lineColor)
	nameChars := 27
	if r.SubTotal > 0 {
		nameChars = 21
		if len(r.Subs) > 0 {
			fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"4\" height=\"%d\" fill=\"%s\"/>", x, y, svgCellH, gradientColor(lo, hi, o.MinColor, o.MaxColor, r.BestSub()).hex())
		}
		fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"9\" fill=\"%s\" text-anchor=\"end\">%d/%d</text>", x+svgColW-4, y+14, text, len(r.Subs), r.SubTotal)
	}
	fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"%s\">%s</text></g>\n", x+7, y+14, text, esc(truncate(r.Technique.Name, nameChars)))
}

// rowTooltip is the hover text of a matrix cell.
func rowTooltip(r *row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", r.Technique.ID, r.Technique.Name)
	if r.Cell != nil {
		fmt.Fprintf(&b, "\nscore %s", fmtNum(r.Cell.Score))
		b.WriteString("\n" + cellComment(r.Cell))
	} else {
		b.WriteString("\nnot covered")
	}
	for _, s := range r.Subs {
		fmt.Fprintf(&b, "\n%s %s: score %s, %d %s", s.Technique.ID, s.Technique.Name, fmtNum(s.Score), len(s.Rules), plural(len(s.Rules), "rule", "rules"))
	}
	return b.String()
}

// truncate shortens s to n characters with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
