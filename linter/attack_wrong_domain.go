package linter

var attackWrongDomainDoc = &Doc{
	ID:       "attack-wrong-domain",
	Category: "attack",
	Severity: SeverityWarning,
	Summary:  "an ID or tactic that exists only in an ATT&CK domain not loaded for this rule",
	Why: "Enterprise, Mobile and ICS ATT&CK are separate matrices. An ICS technique (T0800) in a " +
		"rule checked against Enterprise lands on no Enterprise layer; usually it is a typo, or " +
		"the rule belongs to another domain and should be checked with --domain.",
	Bad: "title: Firmware Update Mode\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.t0800\n",
	Good: "title: Firmware Update Mode\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.persistence\n" +
		"    - attack.t1542.001\n",
}

type attackWrongDomain struct{}

func (attackWrongDomain) Doc() *Doc { return attackWrongDomainDoc }

func (attackWrongDomain) Run(ctx *Context) {
	for _, ri := range ctx.Refs() {
		o := ri.Object
		if o == nil || ctx.Catalog.IsActive(o.Domain) {
			continue
		}
		ctx.Reportf(ri.Ref.Span, nil, "%s (%s) is %s of %s, not of %s; check the ID, or lint with --domain %s if the rule is meant for that domain",
			ri.Ref.Text, displayName(ctx.Catalog, o), withArticle(typeName(o.Type)), ReleaseName(ctx.Catalog, o.Domain), activeReleaseName(ctx.Catalog), o.Domain)
	}
}
