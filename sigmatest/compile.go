package sigmatest

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"sort"
	"strings"

	"github.com/bradleyjkemp/sigma-go"
	"github.com/bradleyjkemp/sigma-go/evaluator"
	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
)

// NotEvaluable says why a rule cannot be evaluated on single events with
// sigma-go v0.6.6, even with huntlint's equivalents.
type NotEvaluable struct {
	Reason string
	Line   int // the rule's line the reason is about; 0 when none
}

func (e *NotEvaluable) Error() string { return "not evaluable (" + e.Reason + ")" }

// Compiled is a rule ready to evaluate: sigma-go evaluators, one per
// logsource variant.
type Compiled struct {
	Rule     *rules.Rule
	Variants []Variant
	evals    []*evaluator.RuleEvaluator
	// Equivalents names each place huntlint rewrote the rule into a form
	// sigma-go v0.6.6 evaluates (see docs/test.md), one line each.
	Equivalents []string
	// Fields are the field names the detection names, as written.
	Fields []string
	// keywords is set when a keyword search reads keywordField.
	keywords bool
}

// keywordField is the field a keyword search is evaluated on: it holds
// every value of the event (a name no JSON field of an event has).
const keywordField = "\x00keywords"

// Compile turns a Sigma detection rule into evaluators for the logsource
// variants m gives. A *NotEvaluable error says why a rule cannot be
// evaluated; no other error is returned.
func Compile(r *rules.Rule, m *LogsourceMap) (*Compiled, error) {
	switch {
	case r.Format != rules.FormatSigma:
		return nil, &NotEvaluable{Reason: "not a Sigma rule"}
	case r.Kind == rules.KindCorrelation:
		return nil, &NotEvaluable{Reason: "a correlation rule joins the matches of other rules over time; huntlint test evaluates one detection rule on single events"}
	case r.Kind == rules.KindFilter:
		return nil, &NotEvaluable{Reason: "a filter rule only changes other rules; test the rules it applies to"}
	}
	if r.Doc == nil || len(r.Doc.Content) == 0 {
		return nil, &NotEvaluable{Reason: "the rule has no YAML document"}
	}
	_, det := yamlsrc.Lookup(r.Doc.Content[0], "detection")
	if det == nil || det.Kind != yaml.MappingNode {
		return nil, &NotEvaluable{Reason: "the rule has no detection mapping"}
	}
	c := &Compiled{Rule: r}
	sr := sigma.Rule{ID: r.ID, Title: r.Title, Logsource: sigma.Logsource{Category: r.Category, Product: r.Product, Service: r.Service}}
	sr.Detection.Searches = map[string]sigma.Search{}
	var condNode *yaml.Node
	fields := map[string]bool{}
	for i := 0; i+1 < len(det.Content); i += 2 {
		k, v := det.Content[i], det.Content[i+1]
		switch k.Value {
		case "condition":
			condNode = v
			continue
		case "timeframe":
			continue
		}
		var s sigma.Search
		if err := v.Decode(&s); err != nil {
			return nil, &NotEvaluable{Reason: fmt.Sprintf("search %s: sigma-go v0.6.6 cannot read it: %v", k.Value, err), Line: k.Line}
		}
		if len(s.Keywords) > 0 {
			// sigma-go v0.6.6 refuses keyword searches. Equivalent: one
			// contains-any match on a field that holds every value of the
			// event (see Match).
			vals := make([]any, len(s.Keywords))
			for i, kw := range s.Keywords {
				vals[i] = kw
			}
			s.EventMatchers = []sigma.EventMatcher{{{Field: keywordField, Modifiers: []string{"contains"}, Values: vals}}}
			s.Keywords = nil
			c.keywords = true
			c.Equivalents = append(c.Equivalents, fmt.Sprintf("search %s: keywords evaluated as contains on every value of the event", k.Value))
		}
		for mi, em := range s.EventMatchers {
			for fi := range em {
				fm := &s.EventMatchers[mi][fi]
				key := fieldKey(fm) // as written, before the rewrite
				if eq, err := rewriteMatcher(fm); err != nil {
					return nil, &NotEvaluable{Reason: fmt.Sprintf("search %s, field %s: %v", k.Value, key, err), Line: k.Line}
				} else if eq != "" {
					c.Equivalents = append(c.Equivalents, fmt.Sprintf("search %s, field %s: %s", k.Value, key, eq))
				}
				if fm.Field != "" && fm.Field != keywordField {
					fields[fm.Field] = true
				}
			}
		}
		sr.Detection.Searches[k.Value] = s
	}
	if condNode == nil {
		return nil, &NotEvaluable{Reason: "the detection has no condition"}
	}
	var conds []*yaml.Node
	switch condNode.Kind {
	case yaml.ScalarNode:
		conds = []*yaml.Node{condNode}
	case yaml.SequenceNode:
		conds = condNode.Content
	default:
		return nil, &NotEvaluable{Reason: "the condition is neither a string nor a list of strings", Line: condNode.Line}
	}
	for _, cn := range conds {
		if cn.Kind != yaml.ScalarNode {
			return nil, &NotEvaluable{Reason: "a condition is not a string", Line: cn.Line}
		}
		text := cn.Value
		if strings.Contains(text, "|") {
			return nil, &NotEvaluable{Reason: fmt.Sprintf("the condition %q aggregates events (count, min, max, avg, sum or near over a timeframe): one event at a time cannot prove it", text), Line: cn.Line}
		}
		parsed, err := sigma.ParseCondition(text)
		var expr sigma.SearchExpr
		if err == nil {
			expr = parsed.Search
		} else {
			e2, err2 := parseCondition(text)
			if err2 != nil {
				return nil, &NotEvaluable{Reason: fmt.Sprintf("the condition %q does not parse: %v", text, err2), Line: cn.Line}
			}
			expr = e2
			c.Equivalents = append(c.Equivalents, fmt.Sprintf("condition %q: parsed by huntlint, as sigma-go v0.6.6 rejects it (%v)", text, err))
		}
		sr.Detection.Conditions = append(sr.Detection.Conditions, sigma.Condition{Search: normalize(expr)})
	}
	for f := range fields {
		c.Fields = append(c.Fields, f)
	}
	sort.Strings(c.Fields)

	c.Variants = m.Resolve(r.Category, r.Product, r.Service)
	for _, v := range c.Variants {
		// Every field gets a mapping (itself when the map names none), so
		// that sigma-go looks values up through its mapping path, which
		// matches each element of a list value.
		fm := map[string]sigma.FieldMapping{keywordField: {TargetNames: []string{keywordField}}}
		for _, f := range c.Fields {
			if t, ok := v.FieldMappings[f]; ok {
				fm[f] = sigma.FieldMapping{TargetNames: t}
			} else {
				fm[f] = sigma.FieldMapping{TargetNames: []string{f}}
			}
		}
		c.evals = append(c.evals, evaluator.ForRule(sr,
			evaluator.WithConfig(sigma.Config{FieldMappings: fm}),
			evaluator.WithPlaceholderExpander(literalPlaceholder)))
	}
	return c, nil
}

// literalPlaceholder keeps a value such as %APPDATA% as the text it is:
// sigma-go v0.6.6 takes any value between percent signs for a placeholder,
// while Sigma makes a placeholder only with the expand modifier (which
// Compile reports as not evaluable).
func literalPlaceholder(_ context.Context, name string) ([]string, error) {
	return []string{name}, nil
}

// Match evaluates the rule on one event: it matches when the event meets
// one logsource variant's conditions and the detection matches it with that
// variant's field mappings.
func (c *Compiled) Match(ctx context.Context, ev Event) (matched bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sigma-go's evaluator failed on this rule: %v", p)
		}
	}()
	target := map[string]any(ev)
	if c.keywords {
		target = make(map[string]any, len(ev)+1)
		var all []any
		for k, v := range ev {
			target[k] = v
			switch x := v.(type) {
			case string:
				all = append(all, x)
			case []any:
				all = append(all, x...)
			}
		}
		target[keywordField] = all
	}
	for i, v := range c.Variants {
		if !v.holds(ev) {
			continue
		}
		res, err := c.evals[i].Matches(ctx, target)
		if err != nil {
			return false, err
		}
		if res.Match {
			return true, nil
		}
	}
	return false, nil
}

func fieldKey(fm *sigma.FieldMatcher) string {
	if len(fm.Modifiers) == 0 {
		return fm.Field
	}
	return fm.Field + "|" + strings.Join(fm.Modifiers, "|")
}

// rewriteMatcher puts one field matcher into a form sigma-go v0.6.6
// evaluates as Sigma means it, and says what it changed ("" for nothing):
//   - values with wildcards (* and ?) or escapes (\*, \?, \\) become
//     case-insensitive regular expressions anchored as the comparator says
//     (sigma-go compares them as plain text);
//   - windash values become regular expressions where each '-' or '/'
//     that starts a word may be any of - / – — ―;
//   - cased values become case-sensitive regular expressions;
//   - re with the i, m and s flags becomes re with (?i), (?m), (?s);
//   - a null value becomes sigma-go's "null" (the field is absent or null);
//   - exists: false becomes null; exists: true is not evaluable.
//
// Any other modifier sigma-go lacks, a regular expression Go's regexp
// cannot compile, or a value that is not a scalar is an error.
func rewriteMatcher(fm *sigma.FieldMatcher) (string, error) {
	var (
		comparator string
		all        bool
		windash    bool
		cased      bool
		base64     bool
		reFlags    string
		exists     bool
	)
	for _, mod := range fm.Modifiers {
		switch mod {
		case "contains", "startswith", "endswith", "re", "cidr", "gt", "gte", "lt", "lte":
			if comparator != "" {
				return "", fmt.Errorf("two comparison modifiers (%s and %s)", comparator, mod)
			}
			comparator = mod
		case "all":
			all = true
		case "windash":
			windash = true
		case "cased":
			cased = true
		case "base64":
			base64 = true
		case "i", "m", "s":
			reFlags += mod
		case "exists":
			exists = true
		case "expand":
			return "", fmt.Errorf("the expand modifier needs placeholder values from a configuration, which huntlint test does not take")
		default:
			return "", fmt.Errorf("the %s modifier is not supported by sigma-go v0.6.6", mod)
		}
	}
	if reFlags != "" && comparator != "re" {
		return "", fmt.Errorf("the modifiers %s apply only to re", strings.Join(strings.Split(reFlags, ""), ", "))
	}
	// Values as strings.
	vals := make([]string, 0, len(fm.Values))
	hasNull := false
	for _, v := range fm.Values {
		switch x := v.(type) {
		case nil:
			hasNull = true
			vals = append(vals, "null")
		case string:
			vals = append(vals, x)
		case int, int64, uint64, float64, bool:
			vals = append(vals, fmt.Sprint(x))
		default:
			return "", fmt.Errorf("a value is %T, not a scalar", v)
		}
	}
	if exists {
		if comparator != "" || windash || cased || base64 || all || len(vals) != 1 {
			return "", fmt.Errorf("exists takes one true or false and no other modifier")
		}
		switch strings.ToLower(vals[0]) {
		case "false":
			fm.Modifiers = nil
			fm.Values = []any{"null"}
			return "exists: false evaluated as null", nil
		case "true":
			return "", fmt.Errorf("exists: true needs a test for a present field, which sigma-go v0.6.6 lacks")
		}
		return "", fmt.Errorf("exists takes true or false, not %q", vals[0])
	}
	if hasNull && (comparator != "" || windash || cased || base64) {
		return "", fmt.Errorf("a null value takes no modifier")
	}
	var notes []string
	if hasNull {
		notes = append(notes, "null evaluated as sigma-go's \"null\" (field absent or null)")
	}
	out := fm.Values[:0:0]
	switch comparator {
	case "re":
		if windash || cased || base64 {
			return "", fmt.Errorf("re takes no windash, cased or base64 modifier")
		}
		for _, v := range vals {
			pat := v
			if reFlags != "" {
				pat = "(?" + reFlags + ")" + v
			}
			if _, err := regexp.Compile(pat); err != nil {
				return "", fmt.Errorf("the regular expression %q uses syntax Go's regexp (RE2) lacks: %v", v, reErr(err))
			}
			out = append(out, pat)
		}
		fm.Values = out
		fm.Modifiers = withAll([]string{"re"}, all)
		if reFlags != "" {
			notes = append(notes, "re flags "+reFlags+" evaluated as (?"+reFlags+")")
		}
		return strings.Join(notes, "; "), nil
	case "cidr":
		for _, v := range vals {
			if _, _, err := net.ParseCIDR(v); err != nil {
				return "", fmt.Errorf("%q is not a CIDR network", v)
			}
		}
		if windash || cased || base64 {
			return "", fmt.Errorf("cidr takes no windash, cased or base64 modifier")
		}
		return "", nil
	case "gt", "gte", "lt", "lte":
		if windash || cased || base64 {
			return "", fmt.Errorf("%s takes no windash, cased or base64 modifier", comparator)
		}
		return "", nil
	}
	// Plain, contains, startswith, endswith.
	needRE := windash || cased
	if !needRE {
		for _, v := range vals {
			if hasWildcard(v) {
				needRE = true
				break
			}
		}
	}
	if hasNull && len(vals) == 1 {
		fm.Values = []any{"null"}
		return strings.Join(notes, "; "), nil
	}
	if !needRE {
		if hasNull {
			return "", fmt.Errorf("null mixed with other values")
		}
		return "", nil
	}
	if base64 {
		return "", fmt.Errorf("base64 with wildcards, windash or cased has no sigma-go equivalent")
	}
	if hasNull {
		return "", fmt.Errorf("null mixed with values that need a regular expression")
	}
	for _, v := range vals {
		out = append(out, wildcardRegexp(v, comparator, windash, cased))
	}
	fm.Values = out
	fm.Modifiers = withAll([]string{"re"}, all)
	switch {
	case windash:
		notes = append(notes, "windash evaluated as a regular expression")
	case cased:
		notes = append(notes, "cased evaluated as a case-sensitive regular expression")
	default:
		notes = append(notes, "wildcards evaluated as a regular expression")
	}
	return strings.Join(notes, "; "), nil
}

func withAll(mods []string, all bool) []string {
	if all {
		return append(mods, "all")
	}
	return mods
}

func reErr(err error) string {
	return strings.TrimPrefix(err.Error(), "error parsing regexp: ")
}

// hasWildcard reports whether a Sigma value has a wildcard or an escape
// sequence.
func hasWildcard(v string) bool {
	return strings.ContainsAny(v, "*?") || strings.Contains(v, `\\`)
}

// windashChars are the characters a windash dash may be.
const windashChars = `[-/–—―]`

// wildcardRegexp translates a Sigma value to a regular expression: * is
// any text, ? any one character, \*, \? and \\ the characters themselves,
// any other backslash a backslash. Case-insensitive unless cased; the
// comparator decides the anchors.
func wildcardRegexp(v, comparator string, windash, cased bool) string {
	var b strings.Builder
	if cased {
		b.WriteString("(?s)")
	} else {
		b.WriteString("(?is)")
	}
	if comparator == "" || comparator == "startswith" {
		b.WriteString(`\A`)
	}
	rs := []rune(v)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs) && (rs[i+1] == '*' || rs[i+1] == '?' || rs[i+1] == '\\'):
			b.WriteString(regexp.QuoteMeta(string(rs[i+1])))
			i++
		case r == '*':
			b.WriteString(".*")
		case r == '?':
			b.WriteString(".")
		case windash && (r == '-' || r == '/') && (i == 0 || !isWordRune(rs[i-1])) && i+1 < len(rs) && isWordRune(rs[i+1]):
			b.WriteString(windashChars)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	if comparator == "" || comparator == "endswith" {
		b.WriteString(`\z`)
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}
