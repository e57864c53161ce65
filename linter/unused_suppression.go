package linter

// UnusedSuppressionID is the ID of the unused-suppression check.
const UnusedSuppressionID = "unused-suppression"

var unusedSuppressionDoc = &Doc{
	ID:       UnusedSuppressionID,
	Category: "meta",
	Severity: SeverityInfo,
	Summary:  "a huntlint:ignore directive without a reason, naming an unknown check, or suppressing nothing",
	Why: "Suppressions are exceptions a reviewer must be able to judge: each needs a reason after " +
		"\" -- \". A suppression that silences nothing has outlived the problem it was written for " +
		"(the tag was fixed, the check renamed) and would hide the next real problem on that line.",
	Bad: "title: Suspicious Encoded PowerShell\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.execution\n" +
		"    - # huntlint:ignore attack-revoked\n" +
		"    - attack.t1059.001\n",
	Good: "title: Suspicious Encoded PowerShell\n" +
		"logsource:\n" +
		"    category: process_creation\n" +
		"    product: windows\n" +
		"detection:\n" +
		"    selection:\n" +
		"        CommandLine|contains: ' -enc '\n" +
		"    condition: selection\n" +
		"tags:\n" +
		"    - attack.execution\n" +
		"    - attack.t1059.001\n",
}

// unusedSuppression reports directives that silence nothing; the runner
// produces its findings after all other checks ran (see suppress.go).
type unusedSuppression struct{}

func (unusedSuppression) Doc() *Doc        { return unusedSuppressionDoc }
func (unusedSuppression) Run(ctx *Context) {}
