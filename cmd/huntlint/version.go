package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/mapper"
)

// Set by the linker: -ldflags "-X main.version=… -X main.commit=…".
var (
	version = "dev"
	commit  = "none"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the huntlint version and the ATT&CK release of each catalog domain",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "huntlint %s (commit %s)\n", version, commit)
			cat, err := a.openCatalog()
			if err != nil {
				return err
			}
			maxAge, err := a.catalogMaxAge()
			if err != nil {
				return err
			}
			now := cat.Now()
			for _, r := range cat.Releases() {
				src := r.Source
				if r.Path != "" {
					src += " " + r.Path
				}
				if d, ok := r.Date(); ok {
					age, _ := r.Age(now)
					src += fmt.Sprintf("; released %s, %s ago", d.Format("2006-01-02"), mapper.AgeText(age))
					if r.Outdated(now, maxAge) && cat.IsActive(r.Domain) {
						src += "; outdated: run huntlint catalog update"
					}
				}
				fmt.Fprintf(a.stdout, "%s %s (%s)\n", r.Domain, r.Version, src)
			}
			return nil
		},
	}
}
