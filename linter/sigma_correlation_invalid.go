package linter

import (
	"regexp"
	"slices"
	"strconv"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaCorrelationInvalid reports correlation sections with values the
// specification does not allow: unknown types, condition operators or
// timespans, non-numeric thresholds, malformed group-by and generate.
type sigmaCorrelationInvalid struct{}

// sigmaCorrelationTypes are the correlation types of the specification
// (event_count, value_count, temporal, temporal_ordered) and the metric
// types of Sigma 2.1 that pySigma implements.
var sigmaCorrelationTypes = []string{"event_count", "value_count", "temporal", "temporal_ordered",
	"value_sum", "value_avg", "value_percentile", "value_median"}

// sigmaCorrelationOperators are the condition keys of a correlation.
var sigmaCorrelationOperators = []string{"gt", "gte", "lt", "lte", "eq", "neq"}

var sigmaTimespan = regexp.MustCompile(`^\d+[smhdwMy]$`)

var sigmaCorrelationInvalidDoc = &Doc{
	ID:       "sigma-correlation-invalid",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a Sigma correlation has an unknown type, condition operator or timespan, a non-numeric threshold, or a malformed group-by or generate",
	Why: "Correlation rules are converted into aggregations; every part must be one the specification defines or " +
		"the converter rejects the rule. Types: event_count, value_count, temporal, temporal_ordered and the " +
		"Sigma 2.1 metrics value_sum, value_avg, value_percentile, value_median. The condition maps gt, gte, lt, " +
		"lte, eq or neq to numbers (plus field for value types); timespan is a number and one of s, m, h, d, w, " +
		"M, y (`90m`); group-by is a list of field names; generate is true or false.",
	Bad: "title: Failed Logon\n" +
		"name: failed_logon\n" +
		"logsource:\n" +
		"    product: windows\n" +
		"    service: security\n" +
		"detection:\n" +
		"    selection:\n" +
		"        EventID: 4625\n" +
		"    condition: selection\n" +
		"---\n" +
		"title: Many Failed Logons\n" +
		"correlation:\n" +
		"    type: event_counts\n" +
		"    rules:\n" +
		"        - failed_logon\n" +
		"    group-by: TargetUserName, IpAddress\n" +
		"    timespan: 1 hour\n" +
		"    condition:\n" +
		"        greater: 10\n",
	Good: "title: Failed Logon\n" +
		"name: failed_logon\n" +
		"logsource:\n" +
		"    product: windows\n" +
		"    service: security\n" +
		"detection:\n" +
		"    selection:\n" +
		"        EventID: 4625\n" +
		"    condition: selection\n" +
		"---\n" +
		"title: Many Failed Logons\n" +
		"correlation:\n" +
		"    type: event_count\n" +
		"    rules:\n" +
		"        - failed_logon\n" +
		"    group-by:\n" +
		"        - TargetUserName\n" +
		"        - IpAddress\n" +
		"    timespan: 1h\n" +
		"    condition:\n" +
		"        gt: 10\n",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaCorrelationInvalid) Doc() *Doc { return sigmaCorrelationInvalidDoc }

func (sigmaCorrelationInvalid) Run(ctx *Context) {
	if ctx.Rule.Kind != rules.KindCorrelation {
		return
	}
	root := yamlsrc.Root(ctx.Rule.Doc)
	_, c := yamlsrc.Lookup(root, "correlation")
	c = yamlsrc.Resolve(c)
	if c == nil || c.Kind != yaml.MappingNode {
		return // sigma-missing-field
	}
	r := ctx.Rule
	bad := func(n *yaml.Node, format string, args ...any) {
		ctx.Reportf(nodeSpan(r, n), nil, format, args...)
	}
	if _, t := yamlsrc.Lookup(c, "type"); isScalar(t) {
		if t = yamlsrc.Resolve(t); !slices.Contains(sigmaCorrelationTypes, t.Value) {
			bad(t, "unknown correlation type %q%s; expected one of %s", t.Value, suggestName(t.Value, sigmaCorrelationTypes), quoteList(sigmaCorrelationTypes))
		}
	} else if t != nil && !isNullNode(t) {
		bad(t, "correlation \"type\" is %s; expected one of %s", nodeKindName(t), quoteList(sigmaCorrelationTypes))
	}
	for _, key := range []string{"timespan", "timeframe"} {
		if _, ts := yamlsrc.Lookup(c, key); ts != nil && !isNullNode(ts) {
			if ts = yamlsrc.Resolve(ts); !isScalar(ts) || !sigmaTimespan.MatchString(ts.Value) {
				bad(ts, "%s must be a time span such as \"90m\" or \"1h\" (a number and one of s, m, h, d, w, M, y), not %s", key, valueDesc(ts))
			}
		}
	}
	if _, gb := yamlsrc.Lookup(c, "group-by"); gb != nil && !isNullNode(gb) {
		gb = yamlsrc.Resolve(gb)
		if gb.Kind == yaml.MappingNode || (gb.Kind == yaml.SequenceNode && len(scalarList(gb)) != len(gb.Content)) {
			bad(gb, "\"group-by\" must be a list of field names")
		}
	}
	if _, g := yamlsrc.Lookup(c, "generate"); g != nil && !isNullNode(g) {
		if g = yamlsrc.Resolve(g); g.Kind != yaml.ScalarNode || g.Tag != "!!bool" {
			bad(g, "generate must be true or false, not %s", valueDesc(g))
		}
	}
	_, cond := yamlsrc.Lookup(c, "condition")
	cond = yamlsrc.Resolve(cond)
	if cond == nil || isNullNode(cond) {
		return
	}
	if cond.Kind != yaml.MappingNode {
		bad(cond, "correlation \"condition\" is %s; expected a mapping such as \"gte: 10\"", nodeKindName(cond))
		return
	}
	for i := 0; i+1 < len(cond.Content); i += 2 {
		k, v := cond.Content[i], yamlsrc.Resolve(cond.Content[i+1])
		switch {
		case k.Value == "field":
			if v.Kind == yaml.MappingNode {
				bad(v, "condition \"field\" must name a field (or a list of fields)")
			}
		case slices.Contains(sigmaCorrelationOperators, k.Value):
			if _, err := strconv.ParseFloat(v.Value, 64); !isScalar(v) || err != nil {
				bad(v, "condition %s must be a number, not %s", k.Value, valueDesc(v))
			}
		default:
			bad(k, "unknown condition operator %q%s; expected one of %s or field", k.Value, suggestName(k.Value, sigmaCorrelationOperators), quoteList(sigmaCorrelationOperators))
		}
	}
}
