package linter

import (
	"fmt"
	"strings"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sigmaConditionError reports condition syntax errors and references to
// search identifiers that do not exist.
type sigmaConditionError struct{}

var sigmaConditionErrorDoc = &Doc{
	ID:       "sigma-condition-error",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a Sigma condition does not parse or names a search identifier (or pattern) that matches nothing",
	Why: "The condition decides what the rule matches. A syntax error makes every converter reject the rule; a " +
		"reference to a missing search identifier (often a typo such as `selection_img` for `selection_image`) or a " +
		"pattern like `filter_*` that matches nothing makes the rule fail to convert or silently drop the intended logic.",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    filter_main:\n" +
		"        User: SYSTEM\n" +
		"    condition: selection and not 1 of filters_*\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    filter_main:\n" +
		"        User: SYSTEM\n" +
		"    condition: selection and not 1 of filter_*\n",
	Fix:     FixSafe,
	FixDoc:  "a keyword in the wrong case (`AND`) is lower-cased, one per run; Sigma keywords are lower case, so the meaning is the one intended",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaConditionError) Doc() *Doc { return sigmaConditionErrorDoc }

func (sigmaConditionError) Run(ctx *Context) {
	s := sigmaSearchSection(ctx.Rule)
	if s == nil || s.CondKey == nil {
		return
	}
	_, cv := yamlsrc.Lookup(s.Node, "condition")
	cv = yamlsrc.Resolve(cv)
	if cv.Kind == yaml.MappingNode || (cv.Kind == yaml.SequenceNode && len(s.Conditions) != len(cv.Content)) {
		ctx.Reportf(nodeSpan(ctx.Rule, cv), nil, "\"condition\" must be a string (or a list of strings) such as \"selection and not filter\"")
		return
	}
	names := s.searchNames()
	defined := definedNames(names)
	budget := suggestBudget // name comparisons left for "did you mean"
	for i, c := range s.Conditions {
		refs, err := s.Parsed[i].Refs, s.Parsed[i].Err
		if err != nil {
			var fix *Fix
			if err.Lower {
				v := c.Value[:err.Off] + strings.ToLower(c.Value[err.Off:err.Off+err.Width]) + c.Value[err.Off+err.Width:]
				fix = valueFix(ctx.Rule, c, v, FixSafe, fmt.Sprintf("write %q in lower case", c.Value[err.Off:err.Off+err.Width]))
			}
			ctx.Reportf(scalarSubSpan(ctx.Rule, c, err.Off, min(err.Width, len(c.Value)-err.Off)), fix, "condition %q: %s", c.Value, err.Msg)
			continue
		}
		for _, ref := range refs {
			if len(s.selects(ref, names)) > 0 {
				continue
			}
			sp := scalarSubSpan(ctx.Rule, c, ref.Off, len(ref.Text))
			switch {
			case ref.Them:
				ctx.Reportf(sp, nil, "\"them\" matches no search identifier; define at least one selection in the section")
			case ref.Pattern:
				ctx.Reportf(sp, nil, "pattern %q matches no search identifier; defined: %s", ref.Text, defined)
			default:
				hint := ""
				if budget >= len(names) {
					budget -= len(names)
					hint = suggestName(ref.Text, names)
				}
				ctx.Reportf(sp, nil, "unknown search identifier %q in condition%s; defined: %s",
					ref.Text, hint, defined)
			}
		}
	}
}

// maxDefinedNames is how many search identifiers a message lists; a rule
// with more gets the first ones and a count, so that a hostile rule with
// many searches and many unknown references does not make output grow with
// their product.
const maxDefinedNames = 20

// suggestBudget bounds the name comparisons of one rule's "did you mean"
// hints; past it, unknown identifiers are reported without one.
const suggestBudget = 10_000

// definedNames lists the search identifiers for messages.
func definedNames(names []string) string {
	if len(names) <= maxDefinedNames {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:maxDefinedNames], ", "), len(names)-maxDefinedNames)
}
