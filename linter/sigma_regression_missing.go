package linter

import (
	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"github.com/huntlint/huntlint/sigmatest"
)

var sigmaRegressionMissingDoc = &Doc{
	ID:       "sigma-regression-missing",
	Category: "sigma",
	Group:    CoverageGroup,
	Severity: SeverityInfo,
	Summary:  "a Sigma rule's regression_tests_path names a file that does not exist (opt-in: coverage group)",
	Why: "regression_tests_path points at the info.yml that lists a rule's test events. When the file is " +
		"missing, `huntlint test` reports an error for the rule and a layer built with `--evidence tested` " +
		"does not count it as proven. The path is read from the rule's folder and each folder above it, as " +
		"SigmaHQ writes it from its repository's root (regression_data/...).",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"regression_tests_path: regression_data/rules/windows/process_creation/proc_creation_win_whoami/info.yml\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n",
	Notes: "Opt-in: the check is in the `coverage` group and does not run by default; turn it on with " +
		"`huntlint lint --select sigma-regression-missing` (or `--select coverage`). `huntlint test` " +
		"(docs/test.md) runs the tests the path names.",
	Formats: []rules.Format{rules.FormatSigma},
}

type sigmaRegressionMissing struct{}

func (sigmaRegressionMissing) Doc() *Doc { return sigmaRegressionMissingDoc }

func (sigmaRegressionMissing) Run(ctx *Context) {
	rel, _ := sigmatest.RegressionPath(ctx.Rule)
	if rel == "" {
		return
	}
	if _, ok := sigmatest.FindRegression(ctx.Rule.Path, rel); ok {
		return
	}
	_, v := yamlsrc.Lookup(yamlsrc.Root(ctx.Rule.Doc), "regression_tests_path")
	ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "regression_tests_path %s does not exist in the rule's folder or any folder above it; add the regression data (its info.yml and JSON events) or fix the path", rel)
}
