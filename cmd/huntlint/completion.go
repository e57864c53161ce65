package main

import (
	"fmt"

	"github.com/spf13/cobra"
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
