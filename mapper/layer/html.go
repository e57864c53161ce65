package layer

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// WriteHTML writes one self-contained page (inline CSS and script, no
// network access) with a matrix per domain, details of the rules behind a
// cell on hover (click pins them; so does a link to page.html#T1059), and a
// filter box matching technique IDs, names and rule titles and paths.
func WriteHTML(w io.Writer, cov *Coverage, o WriteOptions) error {
	return htmlTemplate.Execute(w, htmlPageOf(cov, o))
}

// htmlPageOf is the page WriteHTML writes, before the template.
func htmlPageOf(cov *Coverage, o WriteOptions) htmlPage {
	o = o.withDefaults()
	page := htmlPage{
		Title:     o.Name,
		Generator: o.Generator,
		Date:      o.Date.UTC().Format("2006-01-02"),
		Score:     string(cov.Options.Score),
		Rules:     len(cov.Rules),
		Details:   map[string]htmlDetail{},
		MinColor:  o.MinColor,
		MaxColor:  o.MaxColor,
	}
	if f := filterSummary(cov.Options); f != "" {
		page.Filters = f
	}
	for _, dc := range cov.Domains {
		page.Domains = append(page.Domains, htmlDomain(cov, dc, o, page.Details))
	}
	return page
}

type htmlPage struct {
	Title, Generator, Date, Score, Filters string
	MinColor, MaxColor                     string
	Rules                                  int
	Domains                                []htmlDom
	Details                                map[string]htmlDetail // by "domain/ID"
	Overlay                                *htmlOverlay          // threats painted on (threat.go)
}

type htmlDom struct {
	Name, Summary string
	Lo, Hi        string
	Columns       []htmlCol
}

type htmlCol struct {
	Name, ID string
	Covered  int
	Total    int
	Cells    []htmlCell
	// With an overlay: used techniques, and those of them covered.
	Used, UsedCovered int
}

type htmlCell struct {
	Key, ID, Name string
	Fill, Text    string
	Stripe        string // colour of the sub-technique stripe, "" for none
	Subs          string // "covered/live" sub-techniques, "" when none
	Search        string // lower-case text the filter box matches
	Covered       bool
	Score         string
}

type htmlDetail struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	Score   string      `json:"score"`
	Tactics []string    `json:"tactics"`
	Rules   []htmlRule  `json:"rules"`
	Rolled  []htmlRule  `json:"rolled,omitempty"`
	Revoked []string    `json:"revoked,omitempty"`
	Subs    []htmlSubDt `json:"subs,omitempty"`
	// With an overlay: the state, the threats that use the technique and
	// those of its sub-techniques ("T1059.001: G0016 APT29").
	State    string   `json:"state,omitempty"`
	Users    []string `json:"users,omitempty"`
	SubUsers []string `json:"sub_users,omitempty"`
}

type htmlSubDt struct {
	ID    string     `json:"id"`
	Name  string     `json:"name"`
	Score string     `json:"score"`
	Rules []htmlRule `json:"rules"`
}

type htmlRule struct {
	Title  string `json:"title"`
	Path   string `json:"path"`
	URL    string `json:"url,omitempty"`
	Level  string `json:"level,omitempty"`
	Format string `json:"format"`
}

func htmlRules(rs []*RuleInfo, base string) []htmlRule {
	out := make([]htmlRule, 0, len(rs))
	for _, r := range rs {
		h := htmlRule{Title: r.Title, Path: r.Path, Level: r.Level, Format: string(r.Format)}
		if base != "" {
			h.URL = RuleURL(base, r.Path)
		}
		out = append(out, h)
	}
	return out
}

func htmlDomain(cov *Coverage, dc *DomainCoverage, o WriteOptions, details map[string]htmlDetail) htmlDom {
	lo, hi := gradientRange(dc)
	_, total := stats(dc)
	d := htmlDom{
		Name: releaseName(dc),
		Summary: fmt.Sprintf("%d of %d rules · %d of %d techniques and sub-techniques covered (%.0f%%)",
			dc.Rules, len(cov.Rules), total.TechCov+total.SubsCov, total.Techniques+total.Subtechniques, total.percent()),
		Lo: fmtNum(lo), Hi: fmtNum(hi),
	}
	for _, col := range matrix(dc) {
		hc := htmlCol{Name: col.Tactic.Name, ID: col.Tactic.ID, Total: len(col.Rows)}
		for _, r := range col.Rows {
			key := string(dc.Domain) + "/" + r.Technique.ID
			fill := parseHex(emptyColor)
			if r.Score() > 0 {
				fill = gradientColor(lo, hi, o.MinColor, o.MaxColor, r.Score())
				hc.Covered++
			}
			c := htmlCell{Key: key, ID: r.Technique.ID, Name: r.Technique.Name, Fill: fill.hex(), Text: "#222", Covered: r.Score() > 0, Score: fmtNum(r.Score())}
			if fill.dark() {
				c.Text = "#fff"
			}
			if r.SubTotal > 0 {
				c.Subs = fmt.Sprintf("%d/%d", len(r.Subs), r.SubTotal)
			}
			if len(r.Subs) > 0 {
				c.Stripe = gradientColor(lo, hi, o.MinColor, o.MaxColor, r.BestSub()).hex()
			}
			// The tactic too: typing "exfiltration" or "TA0010" keeps its column.
			search := []string{r.Technique.ID, r.Technique.Name, col.Tactic.Name, col.Tactic.ID, col.Tactic.Shortname}
			if _, ok := details[key]; !ok {
				dt := htmlDetail{ID: r.Technique.ID, Name: r.Technique.Name, Score: fmtNum(r.Score()), Tactics: dc.tacticsOf(r.Technique)}
				if r.Cell != nil {
					dt.Rules = htmlRules(r.Cell.Rules, o.LinkBase)
					dt.Rolled = htmlRules(r.Cell.Rolled, o.LinkBase)
					dt.Revoked = revokedSummary(r.Cell)
				}
				for _, s := range r.Subs {
					dt.Subs = append(dt.Subs, htmlSubDt{ID: s.Technique.ID, Name: s.Technique.Name, Score: fmtNum(s.Score), Rules: htmlRules(s.Rules, o.LinkBase)})
				}
				details[key] = dt
			}
			dt := details[key]
			for _, r := range dt.Rules {
				search = append(search, r.Title, r.Path)
			}
			for _, s := range dt.Subs {
				search = append(search, s.ID, s.Name)
				for _, r := range s.Rules {
					search = append(search, r.Title, r.Path)
				}
			}
			c.Search = strings.ToLower(strings.Join(search, "\n"))
			hc.Cells = append(hc.Cells, c)
		}
		d.Columns = append(d.Columns, hc)
	}
	return d
}

var htmlTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;margin:16px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:16px;margin:20px 0 4px}
.meta{color:#555;font-size:13px;margin:0 0 8px}
.bar{display:flex;gap:16px;align-items:center;flex-wrap:wrap;font-size:12px;margin:8px 0}
#filter{font-size:14px;padding:4px 8px;width:320px}
.grad{display:inline-block;width:160px;height:14px;border:1px solid #c8c8c8;vertical-align:middle;background:linear-gradient(to right,{{.MinColor}},{{.MaxColor}})}
.sw{display:inline-block;width:14px;height:14px;border:1px solid #c8c8c8;vertical-align:middle;background:#fff;position:relative}
.sw i{position:absolute;left:0;top:0;bottom:0;width:4px;background:{{.MaxColor}}}
.matrix{display:flex;gap:4px;align-items:flex-start;overflow-x:auto;padding-bottom:8px;max-width:100%}
.col{flex:1 1 0;min-width:92px;max-width:150px}
.head{background:#eee;text-align:center;padding:3px 2px;font-size:11px;height:30px;box-sizing:border-box}
.head b{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.cell{position:relative;height:20px;margin-top:2px;border:1px solid #c8c8c8;font-size:10px;line-height:20px;padding:0 4px 0 7px;box-sizing:border-box;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;cursor:pointer}
.cell .st{position:absolute;left:0;top:0;bottom:0;width:4px}
.cell .sub{float:right;font-size:9px;margin-left:4px}
.cell.dim{opacity:.15}
.cell.pin{outline:2px solid #d62728}
.cell:focus{outline:2px solid #1f77b4;outline-offset:-2px}
.cell.pin:focus{outline-color:#d62728}
#details{position:fixed;right:16px;top:16px;width:360px;max-height:90vh;overflow:auto;background:#fff;border:1px solid #999;box-shadow:0 2px 8px rgba(0,0,0,.2);padding:10px;font-size:12px;display:none}
#details h3{font-size:14px;margin:0 0 4px}
#details ul{margin:4px 0;padding-left:18px}
#details li{overflow-wrap:anywhere}
#details .lv{color:#555}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">{{.Generator}} · {{.Date}} · {{.Rules}} rules · score: {{.Score}}{{if .Filters}} · filters: {{.Filters}}{{end}}</p>
<div class="bar">
<input id="filter" type="search" placeholder="filter: technique ID, name, rule title or path" aria-label="filter">
{{if .Overlay}}<span><span class="sw" style="background:{{.Overlay.Covered}}"></span> used and covered</span>
<span><span class="sw" style="background:{{.Overlay.Uncovered}}"></span> used, not covered</span>
<span><span class="sw" style="background:{{.Overlay.Unused}}"></span> covered, not used</span>
<span><span class="sw"></span> neither</span>
<span><span class="sw"><i style="background:{{.Overlay.Uncovered}}"></i></span> stripe: the state of used sub-techniques</span>
{{else}}<span><span class="sw"></span> not covered</span>
<span><span class="sw"><i></i></span> sub-techniques covered (covered/live at right)</span>
{{end}}</div>{{with .Overlay}}
<p class="meta">threats: {{.Title}} · column heads: used techniques covered / used</p>{{end}}
{{range .Domains}}
<h2>{{.Name}}</h2>
<p class="meta">{{.Summary}}{{if not $.Overlay}} · score {{.Lo}} <span class="grad"></span> {{.Hi}} (log scale){{end}}</p>
<div class="matrix">
{{range .Columns}}<div class="col"><div class="head"><b>{{.Name}}</b>{{.ID}} · {{if $.Overlay}}{{.UsedCovered}}/{{.Used}} used{{else}}{{.Covered}}/{{.Total}}{{end}}</div>
{{range .Cells}}<div class="cell" tabindex="0" role="button" aria-label="{{.ID}} {{.Name}}, score {{.Score}}" data-k="{{.Key}}" data-s="{{.Search}}" style="background:{{.Fill}};color:{{.Text}}">{{if .Stripe}}<span class="st" style="background:{{.Stripe}}"></span>{{end}}{{if .Subs}}<span class="sub">{{.Subs}}</span>{{end}}{{.Name}}</div>
{{end}}</div>
{{end}}</div>
{{end}}
<div id="details"></div>
<script>
(function(){
var data = {{.Details}};
var box = document.getElementById("details"), pinned = null;
function el(tag, text){var e=document.createElement(tag); if(text!==undefined){e.textContent=text;} return e;}
function ruleList(rs){
  var ul = el("ul");
  rs.forEach(function(r){
    var li = el("li"), t;
    if(r.url){t = el("a", r.title); t.href = r.url;} else {t = el("span", r.title);}
    li.appendChild(t);
    li.appendChild(el("span", " " + r.path + (r.level ? " · " + r.level : "") + " · " + r.format)).className = "lv";
    ul.appendChild(li);
  });
  return ul;
}
function show(k){
  var d = data[k]; if(!d){return;}
  box.textContent = "";
  box.appendChild(el("h3", d.id + " " + d.name));
  box.appendChild(el("div", "score " + d.score + " · " + d.tactics.join(", ")));{{if .Overlay}}
  if(d.state){box.appendChild(el("div", d.state));}
  if(d.users && d.users.length){box.appendChild(el("div", "used by " + d.users.join(", ")));}
  (d.sub_users||[]).forEach(function(s){box.appendChild(el("div", "used: " + s));});{{end}}
  var n = (d.rules||[]).length;
  box.appendChild(el("div", n + (n === 1 ? " rule" : " rules")));
  if(n){box.appendChild(ruleList(d.rules));}
  if(d.rolled && d.rolled.length){box.appendChild(el("div", d.rolled.length + " more from sub-techniques")); box.appendChild(ruleList(d.rolled));}
  (d.revoked||[]).forEach(function(s){box.appendChild(el("div", s));});
  (d.subs||[]).forEach(function(s){box.appendChild(el("div", s.id + " " + s.name + ": score " + s.score)); box.appendChild(ruleList(s.rules));});
  box.style.display = "block";
}
var cells = Array.prototype.slice.call(document.querySelectorAll(".cell"));
// Keyboard: Tab reaches every cell, Enter or Space pins it, arrows move
// within a column (up, down) and to the same row of the next one (left, right).
function move(c, key){
  var col = c.parentNode, list = Array.prototype.slice.call(col.querySelectorAll(".cell")), i = list.indexOf(c), t = null;
  if(key === "ArrowDown"){t = list[i+1];}
  if(key === "ArrowUp"){t = list[i-1];}
  if(key === "ArrowRight" || key === "ArrowLeft"){
    var other = key === "ArrowRight" ? col.nextElementSibling : col.previousElementSibling;
    if(other){var ol = other.querySelectorAll(".cell"); t = ol[Math.min(i, ol.length-1)];}
  }
  if(t){t.focus(); return true;}
  return false;
}
cells.forEach(function(c){
  c.addEventListener("focus", function(){ if(!pinned){show(c.dataset.k);} });
  c.addEventListener("blur", function(){ if(!pinned){box.style.display = "none";} });
  c.addEventListener("keydown", function(e){
    if(e.key === "Enter" || e.key === " "){e.preventDefault(); c.click(); return;}
    if(e.key === "Escape" && pinned){pinned.classList.remove("pin"); pinned = null; box.style.display = "none"; return;}
    if(move(c, e.key)){e.preventDefault();}
  });
  c.addEventListener("mouseenter", function(){ if(!pinned){show(c.dataset.k);} });
  c.addEventListener("mouseleave", function(){ if(!pinned){box.style.display = "none";} });
  c.addEventListener("click", function(){
    if(pinned){pinned.classList.remove("pin");}
    if(pinned === c){pinned = null; box.style.display = "none"; return;}
    pinned = c; c.classList.add("pin"); show(c.dataset.k);
  });
});
// A link to page.html#T1059 or #T1059.001 opens with that technique's
// details pinned (a sub-technique's are its parent's); so does a changed hash.
function fromHash(){
  if(location.hash.length < 2){return;}
  var id = decodeURIComponent(location.hash.slice(1)).toUpperCase();
  var find = function(id){ return cells.find(function(c){ return c.dataset.k.slice(-id.length-1) === "/" + id; }); };
  var hit = find(id) || (id.indexOf(".") > 0 ? find(id.split(".")[0]) : null);
  if(!hit){return;}
  if(pinned !== hit){if(pinned){pinned.classList.remove("pin");} pinned = null; hit.click();}
  // A sub-technique: mark its part of the parent's panel.
  if(id.indexOf(".") > 0){
    Array.prototype.forEach.call(box.children, function(e){
      if(e.textContent.indexOf(id + " ") === 0){e.style.fontWeight = "bold"; e.scrollIntoView({block: "nearest"});}
    });
  }
  hit.scrollIntoView({block: "nearest", inline: "nearest"});
  hit.focus({preventScroll: true});
}
fromHash();
window.addEventListener("hashchange", fromHash);
document.getElementById("filter").addEventListener("input", function(e){
  var q = e.target.value.trim().toLowerCase();
  document.querySelectorAll(".cell").forEach(function(c){
    c.classList.toggle("dim", q !== "" && c.dataset.s.indexOf(q) < 0);
  });
});
})();
</script>
</body>
</html>
`))
