package linter

import (
	"fmt"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaMissingField reports Sigma rules that lack a field the specification
// makes mandatory for their kind.
type sigmaMissingField struct{}

var sigmaMissingFieldDoc = &Doc{
	ID:       "sigma-missing-field",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a Sigma rule lacks a mandatory field (title, logsource, detection, condition, correlation or filter parts)",
	Why: "Sigma converters refuse a rule without its mandatory fields, so the rule never reaches a SIEM. " +
		"Detection rules need title, logsource (with category, product or service) and detection with a condition; " +
		"correlation rules need title and correlation with type, rules, timespan and, for counting types, condition " +
		"(value_count and the value_* types also condition.field); filter rules need title, logsource and filter with rules and condition.",
	Bad:     "title: Whoami execution\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image|endswith: '\\whoami.exe'\n",
	Good:    "title: Whoami execution\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n    selection:\n        Image|endswith: '\\whoami.exe'\n    condition: selection\n",
	Formats: []rules.Format{rules.FormatSigma},
	Notes:   pySigmaParityMarkdown(),
}

func (sigmaMissingField) Doc() *Doc { return sigmaMissingFieldDoc }

func (sigmaMissingField) Run(ctx *Context) {
	r := ctx.Rule
	root := yamlsrc.Root(r.Doc)
	if root == nil {
		return // not a mapping: the loader reports it
	}
	missing := func(parentKey *yaml.Node, field, hint string) {
		sp := docSpan(r)
		where := ""
		if parentKey != nil {
			sp = nodeSpan(r, parentKey)
			where = fmt.Sprintf(" in %q", parentKey.Value)
		}
		ctx.Reportf(sp, nil, "missing required field %q%s; %s", field, where, hint)
	}
	// present reports whether the field exists with a non-empty value.
	present := func(m *yaml.Node, key string) (*yaml.Node, *yaml.Node, bool) {
		k, v := yamlsrc.Lookup(m, key)
		v = yamlsrc.Resolve(v)
		if k == nil || isNullNode(v) {
			return k, v, false
		}
		if v.Kind == yaml.ScalarNode && strings.TrimSpace(v.Value) == "" {
			return k, v, false
		}
		if (v.Kind == yaml.SequenceNode || v.Kind == yaml.MappingNode) && len(v.Content) == 0 {
			return k, v, false
		}
		return k, v, true
	}
	// notMapping reports a section that is absent, or present but not a
	// mapping.
	notMapping := func(k, v *yaml.Node, ok bool, field, hint string) {
		if !ok {
			missing(nil, field, hint)
			return
		}
		ctx.Reportf(nodeSpan(r, v), nil, "%q is %s; expected a mapping: %s", field, nodeKindName(v), hint)
	}
	if _, _, ok := present(root, "title"); !ok {
		missing(nil, "title", "add a short title that says what the rule detects")
	}
	switch r.Kind {
	case rules.KindCorrelation:
		k, v, ok := present(root, "correlation")
		if !ok || v.Kind != yaml.MappingNode {
			notMapping(k, v, ok, "correlation", "a correlation rule needs a correlation mapping with type, rules, timespan and condition")
			return
		}
		typ := ""
		if _, tv, ok := present(v, "type"); !ok {
			missing(k, "type", "set one of event_count, value_count, temporal, temporal_ordered")
		} else {
			typ = tv.Value
		}
		if _, _, ok := present(v, "rules"); !ok {
			missing(k, "rules", "list the ids or names of the rules this correlation combines")
		}
		_, _, ok1 := present(v, "timespan")
		_, _, ok2 := present(v, "timeframe")
		if !ok1 && !ok2 {
			missing(k, "timespan", "set the correlation window, such as \"5m\" or \"1h\"")
		}
		if typ == "event_count" || typ == "value_count" || strings.HasPrefix(typ, "value_") {
			ck, cv, ok := present(v, "condition")
			if !ok {
				missing(k, "condition", fmt.Sprintf("a %s correlation needs a condition such as \"gte: 10\"", typ))
			} else if typ != "event_count" && cv.Kind == yaml.MappingNode {
				if _, _, ok := present(cv, "field"); !ok {
					missing(ck, "field", fmt.Sprintf("a %s correlation needs the field whose values it aggregates", typ))
				}
			}
		}
	case rules.KindFilter:
		sigmaRequireLogsource(ctx, root, missing, present)
		k, v, ok := present(root, "filter")
		if !ok || v.Kind != yaml.MappingNode {
			notMapping(k, v, ok, "filter", "a filter rule needs a filter mapping with rules, a selection and a condition")
			return
		}
		if _, _, ok := present(v, "rules"); !ok {
			missing(k, "rules", "list the ids or names of the rules this filter applies to")
		}
		if _, _, ok := present(v, "condition"); !ok {
			missing(k, "condition", "add a condition over the filter's selections, such as \"not selection\"")
		}
	default:
		sigmaRequireLogsource(ctx, root, missing, present)
		k, v, ok := present(root, "detection")
		if !ok || v.Kind != yaml.MappingNode {
			notMapping(k, v, ok, "detection", "add a detection mapping with search identifiers and a condition")
			return
		}
		if _, _, ok := present(v, "condition"); !ok {
			missing(k, "condition", "add a condition over the search identifiers, such as \"selection and not filter\"")
		}
		s := sigmaSearchSection(r)
		if s != nil && len(s.Searches) == 0 {
			ctx.Reportf(nodeSpan(r, k), nil, "\"detection\" defines no search identifier; add one, such as \"selection:\" with field values")
		}
	}
}

// sigmaRequireLogsource reports a missing or empty logsource.
func sigmaRequireLogsource(ctx *Context, root *yaml.Node,
	missing func(*yaml.Node, string, string),
	present func(*yaml.Node, string) (*yaml.Node, *yaml.Node, bool)) {
	k, v, ok := present(root, "logsource")
	if !ok {
		missing(nil, "logsource", "add a logsource with category, product or service")
		return
	}
	if v.Kind != yaml.MappingNode {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "\"logsource\" is %s; expected a mapping with category, product or service", nodeKindName(v))
		return
	}
	for _, f := range []string{"category", "product", "service"} {
		if _, _, ok := present(v, f); ok {
			return
		}
	}
	ctx.Reportf(nodeSpan(ctx.Rule, k), nil, "\"logsource\" has none of \"category\", \"product\" or \"service\"; set at least one so converters can map the rule to log data")
}
