package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/huntlint/huntlint/linter"
)

// completionShells are the shells `huntlint completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

func (a *app) completionCommand() *cobra.Command {
	var noDesc bool
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Write the shell completion script of huntlint",
		Long: `Completion writes a script that completes huntlint's commands, flags and
values in your shell. Load it for the current session, or install it:

  bash:        source <(huntlint completion bash)
               huntlint completion bash > /etc/bash_completion.d/huntlint
  zsh:         huntlint completion zsh > "${fpath[1]}/_huntlint"
  fish:        huntlint completion fish > ~/.config/fish/completions/huntlint.fish
  powershell:  huntlint completion powershell | Out-String | Invoke-Expression`,
		ValidArgs:             completionShells,
		DisableFlagsInUseLine: true,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr(fmt.Errorf("completion needs one shell: bash, zsh, fish or powershell"))
			}
			for _, s := range completionShells {
				if args[0] == s {
					return nil
				}
			}
			return usageErr(fmt.Errorf("unsupported shell %q: use bash, zsh, fish or powershell", args[0]))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			var err error
			switch args[0] {
			case "bash":
				err = root.GenBashCompletionV2(a.stdout, !noDesc)
			case "zsh":
				if noDesc {
					err = root.GenZshCompletionNoDesc(a.stdout)
				} else {
					err = root.GenZshCompletion(a.stdout)
				}
			case "fish":
				err = root.GenFishCompletion(a.stdout, !noDesc)
			case "powershell":
				if noDesc {
					err = root.GenPowerShellCompletion(a.stdout)
				} else {
					err = root.GenPowerShellCompletionWithDesc(a.stdout)
				}
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&noDesc, "no-descriptions", false, "complete without descriptions")
	return cmd
}

// registerCompletions adds shell completion of flag values: the values each
// flag declares with choices (formats, severities, levels, domains, ...),
// check IDs and categories for --select and --ignore, and check IDs for
// `huntlint checks`. Every value comes from the same data the flag is
// checked against.
func registerCompletions(root *cobra.Command) {
	checks := checkCompletions()
	walkCommands(root, func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if _, ok := c.GetFlagCompletionFunc(f.Name); ok {
				return
			}
			if f.Name == "select" || f.Name == "ignore" {
				_ = c.RegisterFlagCompletionFunc(f.Name, completeFrom(checks))
			} else if vals := flagChoices(f); vals != nil {
				_ = c.RegisterFlagCompletionFunc(f.Name, completeFrom(vals))
			}
		})
		if c.Name() == "checks" && c.ValidArgsFunction == nil && len(c.ValidArgs) == 0 {
			for _, ch := range linter.Registry() {
				c.ValidArgs = append(c.ValidArgs, ch.Doc().ID)
			}
		}
	})
}

// checkCompletions are the values of --select and --ignore: every check ID,
// each followed by its category the first time it appears, then the groups
// of opt-in checks.
func checkCompletions() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range linter.Registry() {
		d := c.Doc()
		out = append(out, d.ID)
		if !seen[d.Category] && d.Category != "" {
			seen[d.Category] = true
			out = append(out, d.Category)
		}
	}
	return append(out, linter.OptInGroups(linter.Registry())...)
}

// completeFrom completes one of values; in a comma-separated list, the item
// after the last comma.
func completeFrom(values []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		done, part := "", toComplete
		if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
			done, part = toComplete[:i+1], toComplete[i+1:]
		}
		var out []string
		for _, v := range values {
			if strings.HasPrefix(v, part) {
				out = append(out, done+v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
