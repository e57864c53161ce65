package layer

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// CSVHeader is the header row of the CSV format.
var CSVHeader = []string{"technique_id", "technique", "tactic", "score", "rule_count", "rules", "domain"}

// WriteCSV writes one row per covered technique and tactic (the same
// entries as the Navigator layer), domains in layer order, techniques by ID,
// tactics in matrix order. rules holds the rule titles separated by "; ".
func WriteCSV(w io.Writer, cov *Coverage) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, dc := range cov.Domains {
		for _, c := range dc.Sorted() {
			rs := c.AllRules()
			titles := make([]string, len(rs))
			for i, r := range rs {
				titles[i] = r.Title
			}
			for _, tac := range c.Tactics {
				row := []string{
					c.Technique.ID,
					c.Technique.Name,
					tac,
					fmtNum(c.Score),
					strconv.Itoa(len(rs)),
					strings.Join(titles, "; "),
					string(dc.Domain),
				}
				if err := cw.Write(row); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
