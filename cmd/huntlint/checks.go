package main

import (
	"fmt"

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
			if err := linter.WriteChecks(a.stdout, format, all); err != nil {
				return usageErr(err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown or json")
	return cmd
}
