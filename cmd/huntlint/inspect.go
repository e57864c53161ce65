package main

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

func (a *app) inspectCommand() *cobra.Command {
	var (
		format string
		disc   rules.DiscoverOptions
	)
	cmd := &cobra.Command{
		Use:   "inspect [PATH...]",
		Short: "Show the rules, ATT&CK references and queries huntlint reads from files",
		Long: `Inspect loads Sigma rules, Sentinel YAML, KQL and Markdown files (the current
folder when no PATH is given) and shows per rule its path, format, kind, id,
title and line, every ATT&CK reference with its position, kind and the catalog
ID it resolves to, and the position of every query; then the load problems.
The JSON form is documented in docs/inspect.md. Exit 1 when a file has load
problems.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(textOrJSON, format) {
				return usageErr(fmt.Errorf("invalid --format %q: use text or json", format))
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			cat, err := a.openCatalog()
			if err != nil {
				return err
			}
			files, problems, err := a.discover(args, disc)
			if err != nil {
				return err
			}
			loaded, loadProblems := rules.LoadAll(files, 0)
			problems = append(problems, loadProblems...)
			rep := rules.NewReport(loaded, problems, func(r rules.Ref) string { return resolvedID(cat, r) })
			if format == "json" {
				err = rep.WriteJSON(a.stdout)
			} else if err = rep.WriteText(a.stdout); err == nil {
				err = rep.WriteSummary(summaryWriter(cmd, a.stdout))
			}
			if err != nil {
				return err
			}
			if len(problems) > 0 {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: text or json")
	choices(f, "format", textOrJSON)
	f.StringArrayVar(&disc.Include, "include", nil, "glob of files to take from folders, replacing the defaults; repeatable")
	f.StringArrayVar(&disc.Exclude, "exclude", nil, "glob of files or folders to skip; repeatable")
	f.BoolVar(&disc.FollowSymlinks, "follow-symlinks", false, followSymlinksUsage)
	declareConfig(f)
	return cmd
}

// resolvedID is the catalog ID a reference names, "" when it names nothing.
func resolvedID(cat *mapper.Catalog, r rules.Ref) string {
	if res := cat.ResolveRef(r); res.Object != nil {
		return res.Object.ID
	}
	return ""
}
