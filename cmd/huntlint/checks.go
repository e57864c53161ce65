package main

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/linter"
)

func (a *app) checksCommand() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "checks [ID]",
		Short: "List the checks huntlint runs, or explain one",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(linter.ChecksFormats, format) {
				return usageErr(fmt.Errorf("invalid format %q: use text, markdown or json", format))
			}
			all := linter.Registry()
			if len(args) == 1 {
				for _, c := range all {
					if d := c.Doc(); d.ID == args[0] {
						if format == "text" {
							return linter.WriteCheckText(a.stdout, d)
						}
						return linter.WriteChecks(a.stdout, format, []linter.Check{c})
					}
				}
				return usageErr(fmt.Errorf("unknown check %q; run 'huntlint checks' for the list", args[0]))
			}
			return linter.WriteChecks(a.stdout, format, all)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown or json")
	choices(cmd.Flags(), "format", linter.ChecksFormats)
	return cmd
}
