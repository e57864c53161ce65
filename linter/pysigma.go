package linter

import (
	"fmt"
	"strings"
)

// pySigmaValidator is one pySigma core validator and huntlint's answer to it.
type pySigmaValidator struct {
	Class, Name string // pySigma class and configuration identifier
	Checks      []string
	Note        string // how huntlint differs, or why it has no equivalent
}

// pySigmaValidators lists pySigma's core validators (sigma.validators.core)
// with the huntlint checks that cover them. TestPySigmaParity keeps the check
// IDs honest.
var pySigmaValidators = []pySigmaValidator{
	{"IdentifierExistenceValidator", "identifier_existence", nil,
		"none: the Sigma specification makes `id` optional, so a rule without one is valid; a malformed id is sigma-invalid-id"},
	{"IdentifierUniquenessValidator", "identifier_uniqueness", []string{"sigma-duplicate-id"}, "reports every place, ids compared case-insensitively"},
	{"DuplicateTitleValidator", "duplicate_title", []string{"sigma-duplicate-title"}, ""},
	{"DuplicateReferencesValidator", "duplicate_references", []string{"sigma-duplicate-reference"}, "with a safe fix"},
	{"DuplicateFilenameValidator", "duplicate_filename", nil,
		"none: file names are a SigmaHQ repository convention, not part of the specification; huntlint identifies rules by id"},
	{"FilenameLengthValidator", "filename_length", nil, "none: a SigmaHQ repository convention, not part of the specification"},
	{"CustomAttributesValidator", "custom_attributes", []string{"sigma-unknown-field"}, "also for misspelt logsource keys"},
	{"DanglingDetectionValidator", "dangling_detection", []string{"sigma-unused-search"}, "also in filter rules"},
	{"DanglingConditionValidator", "dangling_condition", []string{"sigma-condition-error"},
		"plus condition syntax errors with their column, and `x*` patterns that match nothing"},
	{"AllOfThemConditionValidator", "all_of_them_condition", []string{"sigma-them-condition"}, ""},
	{"ThemConditionWithSingleDetectionValidator", "them_condition_with_single_detection", []string{"sigma-them-condition"}, ""},
	{"TagFormatValidator", "tag_format", []string{"sigma-tag-format", "attack-malformed-tag"}, ""},
	{"ATTACKTagValidator", "attack_tag", []string{"attack-unknown-technique", "attack-unknown-tactic", "attack-unknown-object", "attack-revoked", "attack-deprecated"},
		"against the loaded ATT&CK release, with revocation chains and fixes"},
	{"D3FENDTagValidator", "d3fend_tag", []string{"sigma-tag-format"}, "shape only (d3-…, d3f-… or a D3FEND tactic): huntlint ships no D3FEND catalog"},
	{"TLPTagValidator", "tlp_tag", []string{"sigma-tag-format"}, "TLP 2.0 levels; `tlp.white` is reported with its TLP 2.0 name"},
	{"TLPv1TagValidator", "tlpv1_tag", []string{"sigma-tag-format"}, "TLP 1.0's `white` is reported, since the specification lists TLP 2.0"},
	{"TLPv2TagValidator", "tlpv2_tag", []string{"sigma-tag-format"}, ""},
	{"DuplicateTagValidator", "duplicate_tag", []string{"sigma-tag-format", "attack-duplicate-tag"}, "with a safe fix"},
	{"NamespaceTagValidator", "namespace_tag", []string{"sigma-tag-format"}, "namespaces that differ only in case get the right spelling"},
	{"CARTagValidator", "car_tag", []string{"sigma-tag-format"}, ""},
	{"CVETagValidator", "cve_tag", []string{"sigma-tag-format"}, "`cve.CVE-…` gets the corrected tag"},
	{"DetectionTagValidator", "detection_tag", []string{"sigma-tag-format"}, ""},
	{"STPTagValidator", "stp_tag", []string{"sigma-tag-format"}, ""},
	{"InvalidModifierCombinationsValidator", "invalid_modifier_combinations", []string{"sigma-modifier-misuse", "sigma-unknown-modifier"},
		"also `all` on one value, base64offset without contains, exists without a boolean, numeric modifiers on text"},
	{"DoubleWildcardValidator", "double_wildcard", []string{"sigma-suspicious-value"}, ""},
	{"NumberAsStringValidator", "number_as_string", []string{"sigma-value-hint"},
		"as a hint (info), and only for fields whose values are all quoted numbers: registry `Details: '2'` and `IpPort: '0'` are strings on purpose"},
	{"ControlCharacterValidator", "control_character", []string{"sigma-suspicious-value"}, ""},
	{"WildcardsInsteadOfModifiersValidator", "wildcards_instead_of_modifiers", []string{"sigma-wildcard-modifier"}, "with a safe fix"},
	{"EscapedWildcardValidator", "escaped_wildcard", nil,
		"none: `\\*` is the only way to write a literal star and SigmaHQ's clean rules use it on purpose over 70 times (`\\\\*\\IPC$` share names, `-Filter \\*`, regular expressions); sigma-wildcard-modifier treats it as literal"},
	{"SpecificInsteadOfGenericLogsourceValidator", "specific_instead_of_generic_logsource", nil,
		"none: a SigmaHQ taxonomy preference (event IDs that a generic category covers); the specification allows both"},
	{"FieldnameLogsourceValidator", "fieldname_logsource", []string{"sigma-unknown-field"}, "misspelt category, product, service or definition keys"},
}

// pySigmaParityMarkdown renders pySigmaValidators for docs/checks.md.
func pySigmaParityMarkdown() string {
	var b strings.Builder
	b.WriteString("### pySigma core validators and their huntlint equivalents\n\n")
	b.WriteString("Every validator of pySigma's `sigma.validators.core` (what `sigma check` runs), with the huntlint\n")
	b.WriteString("checks that find the same problems, or why huntlint has none.\n\n")
	b.WriteString("| pySigma validator | identifier | huntlint | notes |\n| --- | --- | --- | --- |\n")
	for _, v := range pySigmaValidators {
		var links []string
		for _, c := range v.Checks {
			links = append(links, fmt.Sprintf("[%s](#%s)", c, c))
		}
		checks := strings.Join(links, ", ")
		if checks == "" {
			checks = "—"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", v.Class, v.Name, checks, mdCell(v.Note))
	}
	return b.String()
}
