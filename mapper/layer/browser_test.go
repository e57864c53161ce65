package layer

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// browserProbe runs in the page after its own script: it measures the
// layout at the window's width, drives the filter box and the keyboard, and
// writes what it found as JSON into <pre id="probe">.
const browserProbe = `<script>
(function(){
var out = {}, cells = document.querySelectorAll(".cell");
out.viewport = window.innerWidth;
out.scrollWidth = document.documentElement.scrollWidth;
var heads = document.querySelectorAll(".head b");
out.columns = heads.length;
var last = heads[heads.length-1].parentNode.parentNode.getBoundingClientRect();
out.lastColumn = heads[heads.length-1].textContent;
out.lastRight = Math.round(last.right);
out.pinnedByHash = (document.querySelector(".cell.pin")||{dataset:{}}).dataset.k || "";
out.detailsShown = document.getElementById("details").style.display === "block";
out.focusable = Array.prototype.every.call(cells, function(c){ return c.tabIndex === 0; });
var f = document.getElementById("filter");
f.value = "exfiltration"; f.dispatchEvent(new Event("input"));
var lit = Array.prototype.filter.call(cells, function(c){ return !c.classList.contains("dim"); });
out.filterLit = lit.length;
out.filterOneColumn = lit.every(function(c){ return c.parentNode.querySelector(".head b").textContent === "Exfiltration"; });
f.value = ""; f.dispatchEvent(new Event("input"));
var first = cells[0];
first.focus();
out.focusShows = document.getElementById("details").style.display === "block";
first.dispatchEvent(new KeyboardEvent("keydown", {key: "ArrowDown", bubbles: true}));
out.arrowMoved = document.activeElement !== first && document.activeElement.classList.contains("cell");
var before = document.querySelector(".cell.pin");
document.activeElement.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter", bubbles: true}));
out.enterPins = document.activeElement.classList.contains("pin") && before !== document.activeElement;
var p = document.createElement("pre"); p.id = "probe"; p.textContent = JSON.stringify(out);
document.body.appendChild(p);
})();
</script>`

// TestHTMLInChromium loads the HTML page in headless Chromium at 1920 px:
// every tactic column fits on screen, #T1003.001 pins T1003, a tactic name
// in the filter box keeps its column, and cells are reachable and usable
// by keyboard. Skipped when chromium is not installed. With
// HUNTLINT_SCREENSHOT=path it also writes a screenshot there.
func TestHTMLInChromium(t *testing.T) {
	bin := ""
	for _, b := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(b); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("chromium is not installed (apt-get install chromium)")
	}
	cat := embeddedCatalog(t)
	cov, err := Aggregate(cat, loadFixtures(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := WriteHTML(&page, cov, goldenOptions()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	html := strings.Replace(page.String(), "</body>", browserProbe+"</body>", 1)
	path := filepath.Join(dir, "page.html")
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(extra ...string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
			"--disable-extensions", "--no-first-run", "--disable-sync", "--hide-scrollbars",
			"--user-data-dir=" + filepath.Join(dir, "profile"), "--window-size=1920,1080", "--virtual-time-budget=3000"}, extra...)
		out, err := exec.CommandContext(ctx, bin, args...).Output()
		if err != nil {
			t.Fatalf("chromium: %v", err)
		}
		return string(out)
	}
	dom := run("--dump-dom", "file://"+path+"#T1003.001")
	m := regexp.MustCompile(`<pre id="probe">([^<]*)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no probe result in the page:\n%.2000s", dom)
	}
	var got struct {
		Viewport, ScrollWidth, Columns, LastRight, FilterLit int
		LastColumn, PinnedByHash                             string
		DetailsShown, Focusable, FilterOneColumn             bool
		FocusShows, ArrowMoved, EnterPins                    bool
	}
	if err := json.Unmarshal([]byte(strings.ReplaceAll(m[1], "&quot;", `"`)), &got); err != nil {
		t.Fatalf("%v: %s", err, m[1])
	}
	t.Logf("%+v", got)
	if got.Columns != len(cat.Tactics("enterprise-attack")) {
		t.Errorf("columns = %d", got.Columns)
	}
	if got.ScrollWidth > got.Viewport || got.LastRight > got.Viewport {
		t.Errorf("the page is %d px wide and %s ends at %d px in a %d px window", got.ScrollWidth, got.LastColumn, got.LastRight, got.Viewport)
	}
	if got.PinnedByHash != "enterprise-attack/T1003" || !got.DetailsShown {
		t.Errorf("#T1003.001 pinned %q (details shown %v)", got.PinnedByHash, got.DetailsShown)
	}
	if !got.Focusable || !got.FocusShows || !got.ArrowMoved || !got.EnterPins {
		t.Errorf("keyboard: focusable %v, focus shows details %v, arrow moves %v, enter pins %v", got.Focusable, got.FocusShows, got.ArrowMoved, got.EnterPins)
	}
	if got.FilterLit == 0 || !got.FilterOneColumn {
		t.Errorf("filter \"exfiltration\": %d cells lit, all in Exfiltration: %v", got.FilterLit, got.FilterOneColumn)
	}
	if shot := os.Getenv("HUNTLINT_SCREENSHOT"); shot != "" {
		if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		run("--screenshot="+shot, "file://"+path+"#T1059.001")
	}
}
