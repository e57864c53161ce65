package linter

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaTagFormat reports tags outside the Sigma tag namespaces and malformed
// car, cve, d3fend, detection, stp and tlp tags. attack.* tags are left to the
// attack-* checks, which know the catalog.
type sigmaTagFormat struct{}

// sigmaTagNamespaces are the namespaces of the Sigma tags appendix (2.1).
var sigmaTagNamespaces = []string{"attack", "car", "cve", "d3fend", "detection", "stp", "tlp"}

var (
	sigmaCVETag    = regexp.MustCompile(`^\d{4}-\d{4,}$`)
	sigmaCARTag    = regexp.MustCompile(`^\d{4}-\d{2}-\d{3}$`)
	sigmaSTPTag    = regexp.MustCompile(`^[1-5][auk]?$`)
	sigmaD3FENDTag = regexp.MustCompile(`^(d3-[a-z0-9-]+|d3f-[A-Za-z0-9-]+|model|harden|detect|isolate|deceive|evict)$`)
)

// Values of the closed tag namespaces.
var (
	sigmaTLPTags       = []string{"red", "amber", "amber-strict", "green", "clear"}
	sigmaDetectionTags = []string{"dfir", "emerging-threats", "threat-hunting"}
)

var sigmaTagFormatDoc = &Doc{
	ID:       "sigma-tag-format",
	Category: "sigma",
	Severity: SeverityWarning,
	Summary:  "a Sigma tag is outside the attack, car, cve, d3fend, detection, stp and tlp namespaces, malformed, or repeated",
	Why: "Tags are how rule sets are filtered and reported on (coverage, TLP sharing, SigmaHQ's rule types). A tag " +
		"outside the Sigma namespaces, a TLP 1.0 level such as `tlp.white`, a CVE written `cve.CVE-2021-44228` or an " +
		"unknown `detection.` value is invisible to those tools. Formats: `car.YYYY-MM-NNN`, `cve.YYYY-NNNN`, " +
		"`d3fend.d3-…`/`d3fend.d3f-…` or a D3FEND tactic, `detection.dfir|emerging-threats|threat-hunting`, " +
		"`stp.` 1–5 with an optional a, u or k, `tlp.red|amber|amber-strict|green|clear`, all lower case.",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.discovery\n" +
		"    - tlp.white\n" +
		"    - cve.CVE-2021-44228\n" +
		"    - windows\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.discovery\n" +
		"    - tlp.clear\n" +
		"    - cve.2021-44228\n",
	Fix: FixSafe,
	FixDoc: "safe: a tag repeated verbatim is removed (the first stays; repeated attack.* tags are attack-duplicate-tag's), " +
		"tlp.white becomes tlp.clear (TLP 2.0's name for the same level), cve.CVE-… loses its prefix, a namespace in the wrong case " +
		"is lower-cased. Unsafe: a misspelt detection type is replaced by the nearest one, a guess",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaTagFormat) Doc() *Doc { return sigmaTagFormatDoc }

func (sigmaTagFormat) Run(ctx *Context) {
	_, seq := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "tags")
	seq = yamlsrc.Resolve(seq)
	if seq == nil || isNullNode(seq) {
		return
	}
	if seq.Kind != yaml.SequenceNode {
		ctx.Reportf(nodeSpan(ctx.Rule, seq), nil, "\"tags\" is %s; expected a list such as [attack.execution, attack.t1059]", nodeKindName(seq))
		return
	}
	seen := map[string]bool{}
	for _, item := range seq.Content {
		n := yamlsrc.Resolve(item)
		if !isScalar(n) {
			ctx.Reportf(nodeSpan(ctx.Rule, item), nil, "tag is %s; expected a string such as \"attack.execution\"", nodeKindName(n))
			continue
		}
		if seen[n.Value] {
			if ns, _, _ := strings.Cut(n.Value, "."); strings.EqualFold(ns, "attack") {
				continue // attack-duplicate-tag
			}
			var fix *Fix
			if edits := DeleteSeqItem(ctx.Rule.Source, seq, item); len(edits) > 0 {
				fix = &Fix{Applicability: FixSafe, Description: fmt.Sprintf("remove the repeated tag %q", n.Value), Edits: edits}
			}
			ctx.Reportf(nodeSpan(ctx.Rule, n), fix, "tag %q is listed twice; remove the repetition", n.Value)
			continue
		}
		seen[n.Value] = true
		if msg, to, app := sigmaTagProblem(n.Value); msg != "" {
			var fix *Fix
			if to != "" {
				fix = valueFix(ctx.Rule, n, to, app, fmt.Sprintf("replace tag %q with %q", n.Value, to))
			}
			ctx.Reportf(nodeSpan(ctx.Rule, n), fix, "%s", msg)
		}
	}
}

// sigmaTagProblem returns what is wrong with a tag ("" when nothing), and
// the tag to write instead with the applicability of that replacement ("" when
// there is none).
func sigmaTagProblem(tag string) (msg, to string, app Applicability) {
	ns, val, ok := strings.Cut(tag, ".")
	if !ok || ns == "" || val == "" {
		return fmt.Sprintf("tag %q has no namespace; write namespace.value with a namespace of %s", tag, quoteList(sigmaTagNamespaces)), "", FixNone
	}
	if strings.EqualFold(ns, "attack") {
		return "", "", FixNone // attack-* checks
	}
	if !slices.Contains(sigmaTagNamespaces, ns) {
		if slices.Contains(sigmaTagNamespaces, strings.ToLower(ns)) {
			to := strings.ToLower(ns) + "." + val
			return fmt.Sprintf("tag %q: namespace %q must be lower case; write %q", tag, ns, to), to, FixSafe
		}
		return fmt.Sprintf("tag %q has unknown namespace %q%s; Sigma defines %s", tag, ns, suggestName(ns, sigmaTagNamespaces), quoteList(sigmaTagNamespaces)), "", FixNone
	}
	switch ns {
	case "cve":
		if sigmaCVETag.MatchString(val) {
			return "", "", FixNone
		}
		if v := strings.TrimPrefix(strings.ToLower(val), "cve-"); sigmaCVETag.MatchString(v) {
			return fmt.Sprintf("tag %q: write the CVE without its prefix, in lower case: %q", tag, "cve."+v), "cve." + v, FixSafe
		}
		return fmt.Sprintf("tag %q is not a CVE tag; expected cve.YYYY-NNNN such as \"cve.2021-44228\"", tag), "", FixNone
	case "car":
		if !sigmaCARTag.MatchString(val) {
			return fmt.Sprintf("tag %q is not a CAR tag; expected car.YYYY-MM-NNN such as \"car.2016-04-005\"", tag), "", FixNone
		}
	case "stp":
		if !sigmaSTPTag.MatchString(val) {
			return fmt.Sprintf("tag %q is not a Summiting the Pyramid score; expected stp.N or stp.NX with N from 1 to 5 and X one of a, u, k (\"stp.3k\")", tag), "", FixNone
		}
	case "d3fend":
		if !sigmaD3FENDTag.MatchString(val) {
			return fmt.Sprintf("tag %q is not a D3FEND tag; expected d3fend.d3-<technique>, d3fend.d3f-<artifact> or a D3FEND tactic (model, harden, detect, isolate, deceive, evict)", tag), "", FixNone
		}
	case "tlp":
		if slices.Contains(sigmaTLPTags, val) {
			return "", "", FixNone
		}
		if val == "white" {
			return fmt.Sprintf("tag %q is a TLP 1.0 level; TLP 2.0 renamed it: write \"tlp.clear\"", tag), "tlp.clear", FixSafe
		}
		return fmt.Sprintf("tag %q is not a TLP level; expected one of %s", tag, quoteList(prefixAll("tlp.", sigmaTLPTags))), "", FixNone
	case "detection":
		if !slices.Contains(sigmaDetectionTags, val) {
			all := prefixAll("detection.", sigmaDetectionTags)
			return fmt.Sprintf("tag %q is not a detection type%s; expected one of %s", tag, suggestName(tag, all), quoteList(all)),
				nearestName(tag, all), FixUnsafe
		}
	}
	return "", "", FixNone
}

// prefixAll returns vs with p prepended to each.
func prefixAll(p string, vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = p + v
	}
	return out
}
