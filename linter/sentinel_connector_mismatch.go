package linter

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/huntlint/huntlint/queries"
	"github.com/huntlint/huntlint/rules"
)

// sentinelConnectorMismatch reports tables a Sentinel query reads that no
// requiredDataConnectors dataType names.
type sentinelConnectorMismatch struct{}

var sentinelConnectorMismatchDoc = &Doc{
	ID:       "sentinel-connector-mismatch",
	Category: "sentinel",
	Severity: SeverityWarning,
	Summary:  "a Sentinel query reads a table that no requiredDataConnectors dataType names",
	Why: "Sentinel uses requiredDataConnectors to tell a customer which connectors a rule needs and to flag rules " +
		"whose data is missing. A table the query reads but no dataType names (a join added later, a copied " +
		"connector block) makes the rule look ready on workspaces where it can never match. Tables are taken from " +
		"huntlint's KQL parser; names bound by let are not tables. A dataType matches a table when it is the table " +
		"name, alone or followed by a qualifier (`CommonSecurityLog (Fortinet)`). Queries with no " +
		"requiredDataConnectors are not judged, nor ASIM parser calls (names starting with _Im_, _ASim_, im or " +
		"ASim followed by a capital letter), which resolve to whatever tables the workspace has.",
	Bad: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Sign-in followed by an audit change\n" +
		"description: Sign-ins joined with the audit events of the same operation.\n" +
		"severity: Medium\n" +
		"requiredDataConnectors:\n" +
		"  - connectorId: AzureActiveDirectory\n" +
		"    dataTypes:\n" +
		"      - SigninLogs\n" +
		"queryFrequency: 1h\n" +
		"queryPeriod: 1h\n" +
		"triggerOperator: gt\n" +
		"triggerThreshold: 0\n" +
		"tactics:\n" +
		"  - InitialAccess\n" +
		"relevantTechniques:\n" +
		"  - T1078\n" +
		"query: |\n" +
		"  SigninLogs\n" +
		"  | join AuditLogs on CorrelationId\n" +
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Good: "id: 5d9b1e7a-3c2f-4e8d-9a6b-1f0e2d3c4b5a\n" +
		"name: Sign-in followed by an audit change\n" +
		"description: Sign-ins joined with the audit events of the same operation.\n" +
		"severity: Medium\n" +
		"requiredDataConnectors:\n" +
		"  - connectorId: AzureActiveDirectory\n" +
		"    dataTypes:\n" +
		"      - SigninLogs\n" +
		"      - AuditLogs\n" +
		"queryFrequency: 1h\n" +
		"queryPeriod: 1h\n" +
		"triggerOperator: gt\n" +
		"triggerThreshold: 0\n" +
		"tactics:\n" +
		"  - InitialAccess\n" +
		"relevantTechniques:\n" +
		"  - T1078\n" +
		"query: |\n" +
		"  SigninLogs\n" +
		"  | join AuditLogs on CorrelationId\n" +
		"version: 1.0.0\n" +
		"kind: Scheduled\n",
	Formats: []rules.Format{rules.FormatSentinel},
}

func (sentinelConnectorMismatch) Doc() *Doc { return sentinelConnectorMismatchDoc }

func (sentinelConnectorMismatch) Run(ctx *Context) {
	r := ctx.Rule
	if r == nil || len(r.Queries) == 0 {
		return
	}
	var dataTypes []string
	for _, c := range r.Connectors {
		dataTypes = append(dataTypes, c.DataTypes...)
	}
	if len(dataTypes) == 0 {
		return
	}
	for _, q := range r.Queries {
		res := queries.Parse(q.Text)
		for _, table := range res.Facts.Tables {
			if isASIMParser(table) || dataTypeNames(dataTypes, table) {
				continue
			}
			sp := docSpan(r)
			if off := findWord(q.Text, table); off >= 0 && q.Map != nil {
				p := q.Map.Position(off)
				sp = posSpan(r.Source, p.Line, p.Column, utf8.RuneCountInString(table))
			}
			ctx.Reportf(sp, nil, "the query reads table %q but no requiredDataConnectors dataType names it (dataTypes: %s); add it to the dataTypes of the connector that provides it",
				table, strings.Join(dataTypes, ", "))
		}
	}
}

// dataTypeNames reports whether one of dataTypes names table: equal to it,
// or equal to it followed by a space and a qualifier (case-insensitive).
func dataTypeNames(dataTypes []string, table string) bool {
	for _, dt := range dataTypes {
		dt = strings.TrimSpace(dt)
		if strings.EqualFold(dt, table) {
			return true
		}
		if len(dt) > len(table) && strings.EqualFold(dt[:len(table)], table) && (dt[len(table)] == ' ' || dt[len(table)] == '(') {
			return true
		}
	}
	return false
}

// isASIMParser reports whether name is an ASIM parser function rather than
// a table.
func isASIMParser(name string) bool {
	for _, p := range []string{"_Im_", "_ASim_", "_im_", "_asim_"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	for _, p := range []string{"im", "ASim", "vim"} {
		if strings.HasPrefix(name, p) && len(name) > len(p) {
			r, _ := utf8.DecodeRuneInString(name[len(p):])
			if unicode.IsUpper(r) {
				return true
			}
		}
	}
	return false
}

// findWord returns the byte offset of the first occurrence of word in text
// that is not part of a longer identifier, or -1.
func findWord(text, word string) int {
	isIdent := func(b byte) bool {
		return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	}
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(word)
		if (i == 0 || !isIdent(text[i-1])) && (end >= len(text) || !isIdent(text[end])) {
			return i
		}
		from = i + 1
	}
	return -1
}
