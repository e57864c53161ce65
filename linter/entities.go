package linter

import (
	"fmt"
	"strings"
)

// sentinelEntity is one Sentinel entity type: the identifiers a field mapping
// may use, and the combinations of which at least one must be mapped.
type sentinelEntity struct {
	Type        string
	Identifiers []string
	Required    [][]string
}

// sentinelEntities is the entity/identifier table of Sentinel's analytic rule
// schema, as Azure-Sentinel's CI validates it; docs/checks.md prints it (see
// sentinelEntityMarkdown).
var sentinelEntities = []sentinelEntity{
	{"Account", []string{"Name", "FullName", "NTDomain", "DnsDomain", "UPNSuffix", "Sid", "AadTenantId", "AadUserId", "PUID", "IsDomainJoined", "DisplayName", "ObjectGuid"},
		[][]string{{"FullName"}, {"Sid"}, {"Name"}, {"AadUserId"}, {"PUID"}, {"ObjectGuid"}}},
	{"AzureResource", []string{"ResourceId"}, [][]string{{"ResourceId"}}},
	{"CloudApplication", []string{"AppId", "Name", "InstanceName"}, [][]string{{"AppId"}, {"Name"}}},
	{"DNS", []string{"DomainName"}, [][]string{{"DomainName"}}},
	{"File", []string{"Directory", "Name"}, [][]string{{"Name"}}},
	{"FileHash", []string{"Algorithm", "Value"}, [][]string{{"Algorithm", "Value"}}},
	{"Host", []string{"DnsDomain", "NTDomain", "HostName", "FullName", "NetBiosName", "AzureID", "OMSAgentID", "OSFamily", "OSVersion", "IsDomainJoined"},
		[][]string{{"FullName"}, {"HostName"}, {"NetBiosName"}, {"AzureID"}, {"OMSAgentID"}}},
	{"IoTDevice", []string{"DeviceId", "DeviceName", "Manufacturer", "Model", "FirmwareVersion", "OperatingSystem", "MacAddress", "Protocols", "SerialNumber", "Source", "IoTSecurityAgentId", "DeviceType"},
		[][]string{{"DeviceId"}}},
	{"IP", []string{"Address"}, [][]string{{"Address"}}},
	{"Mailbox", []string{"MailboxPrimaryAddress", "DisplayName", "Upn", "ExternalDirectoryObjectId", "RiskLevel"}, [][]string{{"MailboxPrimaryAddress"}}},
	{"MailCluster", []string{"NetworkMessageIds", "CountByDeliveryStatus", "CountByThreatType", "CountByProtectionStatus", "Threats", "Query", "QueryTime", "MailCount", "IsVolumeAnomaly", "Source", "ClusterSourceIdentifier", "ClusterSourceType", "ClusterQueryStartTime", "ClusterQueryEndTime", "ClusterGroup"},
		[][]string{{"Query"}, {"Source"}}},
	{"MailMessage", []string{"Recipient", "Urls", "Threats", "Sender", "P1Sender", "P1SenderDisplayName", "P1SenderDomain", "SenderIP", "P2Sender", "P2SenderDisplayName", "P2SenderDomain", "ReceivedDate", "NetworkMessageId", "InternetMessageId", "Subject", "BodyFingerprintBin1", "BodyFingerprintBin2", "BodyFingerprintBin3", "BodyFingerprintBin4", "BodyFingerprintBin5", "AntispamDirection", "DeliveryAction", "DeliveryLocation", "Language", "ThreatDetectionMethods"},
		[][]string{{"NetworkMessageId"}, {"Recipient"}}},
	{"Malware", []string{"Name", "Category"}, [][]string{{"Name"}}},
	{"Process", []string{"ProcessId", "CommandLine", "ElevationToken", "CreationTimeUtc"}, [][]string{{"CommandLine"}, {"ProcessId"}}},
	{"RegistryKey", []string{"Hive", "Key"}, [][]string{{"Key"}, {"Hive"}}},
	{"RegistryValue", []string{"Name", "Value", "ValueType"}, [][]string{{"Name"}}},
	{"SecurityGroup", []string{"DistinguishedName", "SID", "ObjectGuid"}, [][]string{{"DistinguishedName"}, {"SID"}, {"ObjectGuid"}}},
	{"SubmissionMail", []string{"NetworkMessageId", "Timestamp", "Recipient", "Sender", "SenderIp", "Subject", "ReportType", "SubmissionId", "SubmissionDate", "Submitter"},
		[][]string{{"SubmissionId"}, {"NetworkMessageId"}, {"Recipient"}, {"Submitter"}}},
	{"URL", []string{"Url"}, [][]string{{"Url"}}},
}

// Sentinel's limits on entity mappings.
const (
	sentinelMaxEntityMappings = 10
	sentinelMaxFieldMappings  = 3
	sentinelMaxColumnName     = 500
)

// sentinelEntityByType returns the table entry of an entity type.
func sentinelEntityByType(t string) (*sentinelEntity, bool) {
	for i := range sentinelEntities {
		if sentinelEntities[i].Type == t {
			return &sentinelEntities[i], true
		}
	}
	return nil, false
}

// sentinelEntityTypes returns the entity type names.
func sentinelEntityTypes() []string {
	out := make([]string, len(sentinelEntities))
	for i, e := range sentinelEntities {
		out[i] = e.Type
	}
	return out
}

// sentinelEntityMarkdown renders the entity table for docs/checks.md.
func sentinelEntityMarkdown() string {
	var b strings.Builder
	b.WriteString("### Sentinel entity types and identifiers\n\n")
	fmt.Fprintf(&b, "The table the check uses, from Sentinel's analytic rule schema as Azure-Sentinel's CI validates it. At most\n"+
		"%d entity mappings per rule and %d field mappings per entity mapping; column names start with a letter or\n"+
		"underscore, hold only letters, digits and underscores, and are at most %d characters long. An entity mapping\n"+
		"must map every identifier of at least one required combination.\n\n", sentinelMaxEntityMappings, sentinelMaxFieldMappings, sentinelMaxColumnName)
	b.WriteString("| entity type | identifiers | required (one of) |\n| --- | --- | --- |\n")
	for _, e := range sentinelEntities {
		var req []string
		for _, c := range e.Required {
			req = append(req, strings.Join(c, " + "))
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", e.Type, strings.Join(e.Identifiers, ", "), strings.Join(req, "; "))
	}
	return b.String()
}
