package linter

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/huntlint/huntlint/rules"
	"github.com/huntlint/huntlint/rules/yamlsrc"
	"gopkg.in/yaml.v3"
)

// sentinelInvalidSchedule reports queryFrequency/queryPeriod values that are
// not Sentinel durations or lie outside 5m..14d, a period shorter than the
// frequency, and invalid trigger operators and thresholds.
type sentinelInvalidSchedule struct{}

// Sentinel's limits on scheduled analytic rules.
const (
	sentinelMinInterval   = 5 * time.Minute
	sentinelMaxInterval   = 14 * 24 * time.Hour
	sentinelLongPeriod    = 2 * 24 * time.Hour // periods this long need...
	sentinelLongPeriodMin = time.Hour          // ...a frequency of at least this
	sentinelMaxThreshold  = 10000
)

var sentinelDuration = regexp.MustCompile(`^(\d+)([mhd])$`)

// sentinelTriggerOperators are the accepted triggerOperator spellings.
var sentinelTriggerOperators = []string{"gt", "lt", "eq", "ne", "GreaterThan", "LessThan", "Equal", "NotEqual"}

var sentinelInvalidScheduleDoc = &Doc{
	ID:       "sentinel-invalid-schedule",
	Category: "sentinel",
	Severity: SeverityError,
	Summary:  "a Sentinel rule's kind, schedule or trigger is invalid (Scheduled or NRT, durations 5m to 14d, period at least the frequency, operator, threshold 0 to 10000)",
	Why: "Sentinel refuses a scheduled rule whose queryFrequency or queryPeriod is not a duration of minutes, hours " +
		"or days (`5m`, `1h`, `14d`) between 5 minutes and 14 days, whose queryPeriod is shorter than its " +
		"queryFrequency (events would fall between runs), or whose period of 2 days or more runs more often than " +
		"hourly. triggerOperator must be gt, lt, eq or ne and triggerThreshold a whole number from 0 to 10000; kind is " +
		"Scheduled or NRT, spelt so.",
	Bad: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Rare process on host\n" +
		"description: Processes seen on one host only.\n" +
		"severity: Medium\n" +
		"requiredDataConnectors:\n" +
		"  - connectorId: MicrosoftThreatProtection\n" +
		"    dataTypes:\n" +
		"      - DeviceProcessEvents\n" +
		"queryFrequency: 1h\n" +
		"queryPeriod: 30m\n" +
		"triggerOperator: greater\n" +
		"triggerThreshold: -1\n" +
		"tactics:\n" +
		"  - Execution\n" +
		"relevantTechniques:\n" +
		"  - T1059\n" +
		"query: |\n" +
		"  DeviceProcessEvents\n" +
		"  | where FileName =~ \"rare.exe\"\n" +
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Good: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Rare process on host\n" +
		"description: Processes seen on one host only.\n" +
		"severity: Medium\n" +
		"requiredDataConnectors:\n" +
		"  - connectorId: MicrosoftThreatProtection\n" +
		"    dataTypes:\n" +
		"      - DeviceProcessEvents\n" +
		"queryFrequency: 1h\n" +
		"queryPeriod: 1h\n" +
		"triggerOperator: gt\n" +
		"triggerThreshold: 0\n" +
		"tactics:\n" +
		"  - Execution\n" +
		"relevantTechniques:\n" +
		"  - T1059\n" +
		"query: |\n" +
		"  DeviceProcessEvents\n" +
		"  | where FileName =~ \"rare.exe\"\n" +
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Fix:     FixSafe,
	FixDoc:  "a kind in the wrong case (`scheduled`) is written as Sentinel spells it; the meaning does not change",
	Formats: []rules.Format{rules.FormatSentinel},
}

func (sentinelInvalidSchedule) Doc() *Doc { return sentinelInvalidScheduleDoc }

func (sentinelInvalidSchedule) Run(ctx *Context) {
	root := yamlsrc.Root(ctx.Rule.Doc)
	freq, freqNode, okF := sentinelInterval(ctx, root, "queryFrequency")
	period, periodNode, okP := sentinelInterval(ctx, root, "queryPeriod")
	if okF && okP {
		switch {
		case period < freq:
			ctx.Reportf(nodeSpan(ctx.Rule, periodNode), nil, "queryPeriod %q is shorter than queryFrequency %q; events between runs would never be queried: make the period at least %q",
				periodNode.Value, freqNode.Value, freqNode.Value)
		case period >= sentinelLongPeriod && freq < sentinelLongPeriodMin:
			ctx.Reportf(nodeSpan(ctx.Rule, freqNode), nil, "queryFrequency %q is too frequent for queryPeriod %q; Sentinel requires a frequency of 1h or more when the period is 2d or longer",
				freqNode.Value, periodNode.Value)
		}
	}
	if _, v := yamlsrc.Lookup(root, "kind"); v != nil && !isNullNode(v) && ctx.Rule.Kind == rules.KindAnalytic {
		v = yamlsrc.Resolve(v)
		kinds := []string{"Scheduled", "NRT"}
		if !isScalar(v) || !slices.Contains(kinds, v.Value) {
			var fix *Fix
			for _, k := range kinds {
				if strings.EqualFold(k, v.Value) {
					fix = valueFix(ctx.Rule, v, k, FixSafe, fmt.Sprintf("write kind %q as %q", v.Value, k))
				}
			}
			ctx.Reportf(nodeSpan(ctx.Rule, v), fix, "kind must be \"Scheduled\" or \"NRT\", not %s", valueDesc(v))
		}
	}
	if _, v := yamlsrc.Lookup(root, "triggerOperator"); v != nil && !isNullNode(v) {
		v = yamlsrc.Resolve(v)
		if !isScalar(v) || !slices.Contains(sentinelTriggerOperators, v.Value) {
			ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "triggerOperator must be \"gt\", \"lt\", \"eq\" or \"ne\", not %s%s", valueDesc(v), suggestName(v.Value, sentinelTriggerOperators[:4]))
		}
	}
	if _, v := yamlsrc.Lookup(root, "triggerThreshold"); v != nil && !isNullNode(v) {
		v = yamlsrc.Resolve(v)
		n, err := strconv.Atoi(v.Value)
		if !isScalar(v) || err != nil || n < 0 || n > sentinelMaxThreshold {
			ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "triggerThreshold must be a whole number from 0 to %d, not %s", sentinelMaxThreshold, valueDesc(v))
		}
	}
}

// sentinelInterval validates one schedule duration and returns it.
func sentinelInterval(ctx *Context, root *yaml.Node, field string) (time.Duration, *yaml.Node, bool) {
	_, v := yamlsrc.Lookup(root, field)
	v = yamlsrc.Resolve(v)
	if v == nil || isNullNode(v) {
		return 0, nil, false
	}
	m := sentinelDuration.FindStringSubmatch(v.Value)
	if !isScalar(v) || m == nil {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "%s must be a duration such as \"5m\", \"1h\" or \"14d\" (a number and m, h or d), not %s", field, valueDesc(v))
		return 0, nil, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 1<<20 {
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "%s %q is longer than Sentinel's maximum of 14d", field, v.Value)
		return 0, nil, false
	}
	unit := map[string]time.Duration{"m": time.Minute, "h": time.Hour, "d": 24 * time.Hour}[m[2]]
	dur := time.Duration(n) * unit
	switch {
	case dur < sentinelMinInterval:
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "%s %q is shorter than Sentinel's minimum of 5m", field, v.Value)
		return 0, nil, false
	case dur > sentinelMaxInterval:
		ctx.Reportf(nodeSpan(ctx.Rule, v), nil, "%s %q is longer than Sentinel's maximum of 14d", field, v.Value)
		return 0, nil, false
	}
	return dur, v, true
}
