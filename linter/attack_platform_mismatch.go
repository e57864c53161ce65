package linter

import (
	"sort"
	"strings"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// ProductPlatforms maps Sigma logsource products to the ATT&CK platforms
// their logs can show. It is the one piece of configuration knowledge the
// ATT&CK checks hold: Sigma's product names on one side, ATT&CK's platform
// names on the other (a test verifies every platform name against the
// catalog). Products not listed are not checked.
var ProductPlatforms = map[string][]string{
	"windows":    {"Windows"},
	"linux":      {"Linux", "ESXi"},
	"macos":      {"macOS"},
	"azure":      {"IaaS", "Identity Provider", "SaaS", "Office Suite"},
	"aws":        {"IaaS", "Identity Provider", "SaaS"},
	"gcp":        {"IaaS", "Identity Provider", "SaaS", "Office Suite"},
	"m365":       {"Office Suite", "Identity Provider", "SaaS"},
	"okta":       {"Identity Provider", "SaaS"},
	"onelogin":   {"Identity Provider", "SaaS"},
	"github":     {"SaaS"},
	"bitbucket":  {"SaaS"},
	"kubernetes": {"Containers"},
	"esxi":       {"ESXi"},
	"cisco":      {"Network Devices"},
	"juniper":    {"Network Devices"},
	"fortios":    {"Network Devices"},
	"paloalto":   {"Network Devices"},
}

// AnyPlatform lists ATT&CK platforms whose techniques are observed from
// any log source: PRE holds reconnaissance and resource development, which
// happen before and outside the victim's platforms.
var AnyPlatform = []string{"PRE"}

var attackPlatformMismatchDoc = &Doc{
	ID:       "attack-platform-mismatch",
	Category: "attack",
	Severity: SeverityInfo,
	Summary:  "a Sigma rule's logsource product shares no ATT&CK platform with a tagged technique",
	Why: "A Windows rule tagged with a macOS-only technique usually carries a copied or mistyped " +
		"tag, and puts the rule on the wrong platform's coverage layer. The product-to-platform " +
		"table is documented below; the technique platforms come from the catalog.",
	Bad: "title: Plist Modified\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.defense-evasion\n" +
		"    - attack.t1647\n",
	Good: "title: Plist Modified\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: macos\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.defense-evasion\n" +
		"    - attack.t1647\n",
	Formats: []rules.Format{rules.FormatSigma},
	Notes:   productPlatformsMarkdown(),
}

type attackPlatformMismatch struct{}

func (attackPlatformMismatch) Doc() *Doc { return attackPlatformMismatchDoc }

func (attackPlatformMismatch) Run(ctx *Context) {
	r := ctx.Rule
	platforms := ProductPlatforms[strings.ToLower(r.Product)]
	if len(platforms) == 0 {
		return
	}
	for _, ri := range ctx.listedCurrent(mapper.TypeTechnique) {
		o := ri.Live()
		if len(o.Platforms) == 0 || sharesPlatform(o.Platforms, platforms) || sharesPlatform(o.Platforms, AnyPlatform) {
			continue
		}
		ps := append([]string(nil), o.Platforms...)
		sort.Strings(ps)
		ctx.Reportf(ri.Ref.Span, nil, "%s (%s) applies to %s in %s, not to logsource product %q (%s); check the tag or the logsource",
			ri.Ref.Text, displayName(ctx.Catalog, o), strings.Join(ps, ", "), ReleaseName(ctx.Catalog, o.Domain), r.Product, strings.Join(platforms, ", "))
	}
}

// sharesPlatform reports whether a and b have a platform in common.
func sharesPlatform(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(x, y) {
				return true
			}
		}
	}
	return false
}
