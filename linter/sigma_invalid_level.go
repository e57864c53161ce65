package linter

import "github.com/huntlint/huntlint/rules"

// sigmaInvalidLevel reports a Sigma level outside the specification's list.
type sigmaInvalidLevel struct{}

// sigmaLevels are the levels the Sigma specification defines.
var sigmaLevels = []string{"informational", "low", "medium", "high", "critical"}

var sigmaInvalidLevelDoc = &Doc{
	ID:       "sigma-invalid-level",
	Category: "sigma",
	Severity: SeverityError,
	Summary:  "a Sigma rule's level is not informational, low, medium, high or critical",
	Why: "The level becomes the alert severity in the SIEM and drives triage. An unknown level fails pySigma and the " +
		"Sigma schema; backends either reject the rule or fall back to a default severity.",
	Bad: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"level: severe\n",
	Good: "title: Whoami Execution\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        Image|endswith: '\\whoami.exe'\n" +
		"    condition: selection\n" +
		"level: high\n",
	Fix:     FixSafe,
	FixDoc:  "when the value is a listed level in the wrong case (`High`), the fix writes it in lower case; the meaning does not change",
	Formats: []rules.Format{rules.FormatSigma},
}

func (sigmaInvalidLevel) Doc() *Doc { return sigmaInvalidLevelDoc }

func (sigmaInvalidLevel) Run(ctx *Context) {
	checkSigmaEnum(ctx, sigmaInvalidLevelDoc, "level", sigmaLevels)
}
