package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// EnvVar is one environment variable that sets a flag.
type EnvVar struct {
	Name    string // HUNTLINT_LINT_FAIL_ON
	Command string // "huntlint lint"
	Flag    string // "fail-on"
	Shared  bool   // HUNTLINT_<FLAG>, for every command with the flag
}

// commandEnvName is the variable of flag in command path "huntlint a b".
func commandEnvName(cmd *cobra.Command, flag string) string {
	parts := strings.Fields(cmd.CommandPath())[1:]
	parts = append(parts, flag)
	return envName(strings.Join(parts, "_"))
}

func envName(s string) string {
	return "HUNTLINT_" + strings.ToUpper(strings.NewReplacer("-", "_", " ", "_").Replace(s))
}

// envVarsOf lists the variables that may set the local flags of cmd, most
// specific first for each flag.
func envVarsOf(cmd *cobra.Command) []EnvVar {
	var out []EnvVar
	cmd.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" || cmd == cmd.Root() {
			return
		}
		out = append(out, EnvVar{Name: commandEnvName(cmd, f.Name), Command: cmd.CommandPath(), Flag: f.Name})
		if sharedEnvFlags[f.Name] {
			out = append(out, EnvVar{Name: envName(f.Name), Command: cmd.CommandPath(), Flag: f.Name, Shared: true})
		}
	})
	return out
}

// EnvVars lists every environment variable that sets a command flag, by
// command and flag (the global flags read theirs in rootCommand).
func EnvVars(root *cobra.Command) []EnvVar {
	var out []EnvVar
	walkCommands(root, func(c *cobra.Command) {
		if c.Runnable() && !c.Hidden {
			out = append(out, envVarsOf(c)...)
		}
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Command != out[j].Command {
			return out[i].Command < out[j].Command
		}
		return out[i].Flag < out[j].Flag
	})
	return out
}

// applyEnv sets the flags of cmd not given on the command line from their
// environment variables. An empty variable counts as unset.
func applyEnv(cmd *cobra.Command) error {
	seen := map[string]bool{}
	for _, v := range envVarsOf(cmd) {
		if seen[v.Flag] {
			continue
		}
		f := cmd.Flags().Lookup(v.Flag)
		if f == nil || f.Changed {
			continue
		}
		val, ok := os.LookupEnv(v.Name)
		if !ok || strings.TrimSpace(val) == "" {
			continue
		}
		seen[v.Flag] = true
		if err := setFromEnv(f, val); err != nil {
			return usageErr(fmt.Errorf("invalid %s=%q for --%s of '%s': %v", v.Name, val, v.Flag, cmd.CommandPath(), err))
		}
	}
	return nil
}

// globalEnv names the variable of each global flag.
var globalEnv = []struct{ flag, env string }{
	{"log-level", "HUNTLINT_LOG_LEVEL"},
	{"log-format", "HUNTLINT_LOG_FORMAT"},
	{"catalog", "HUNTLINT_CATALOG"},
	{"catalog-release", "HUNTLINT_CATALOG_RELEASE"},
	{"domain", "HUNTLINT_DOMAIN"},
	{"offline", "HUNTLINT_OFFLINE"},
	{"quiet", "HUNTLINT_QUIET"},
}

// applyGlobalEnv sets the global flags not given on the command line from
// their variables (globalEnv), parsed as strictly as the flags.
func applyGlobalEnv(root *cobra.Command) error {
	for _, g := range globalEnv {
		f := root.PersistentFlags().Lookup(g.flag)
		if f == nil || f.Changed {
			continue
		}
		val, ok := os.LookupEnv(g.env)
		if !ok || strings.TrimSpace(val) == "" {
			continue
		}
		if err := setFromEnv(f, val); err != nil {
			return usageErr(fmt.Errorf("invalid %s=%q for --%s: %v", g.env, val, g.flag, err))
		}
	}
	return nil
}

// boolEnvValues are the values a boolean variable takes, in any case; the
// same as its flag takes after "=" (--quiet=true).
var boolEnvValues = map[string]bool{"true": true, "1": true, "false": false, "0": false}

// orList joins values as "a, b or c".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// setFromEnv sets flag f from an environment value, parsed like the flag's
// own: booleans take true, false, 1 or 0; numbers must be numbers; flags
// that list their values take one of them (any case); list flags take a
// comma-separated list. The error says what is accepted.
func setFromEnv(f *pflag.Flag, val string) error {
	val = strings.TrimSpace(val)
	var items []string
	sv, isList := f.Value.(pflag.SliceValue)
	if isList {
		for _, s := range strings.Split(val, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
	} else {
		items = []string{val}
	}
	if choices := flagChoices(f); choices != nil {
	items:
		for i, it := range items {
			for _, c := range choices {
				if strings.EqualFold(it, c) {
					items[i] = c
					continue items
				}
			}
			if isList {
				return fmt.Errorf("%q is not one of %s (comma-separated)", it, orList(choices))
			}
			return fmt.Errorf("use %s", orList(choices))
		}
	}
	switch f.Value.Type() {
	case "bool":
		b, ok := boolEnvValues[strings.ToLower(val)]
		if !ok {
			return fmt.Errorf("use true or false (or 1 or 0)")
		}
		items[0] = fmt.Sprint(b)
	case "int", "int64", "uint", "count":
		if _, err := strconv.ParseInt(val, 10, 64); err != nil {
			return fmt.Errorf("use a whole number")
		}
	case "float64", "float32":
		if _, err := strconv.ParseFloat(val, 64); err != nil {
			return fmt.Errorf("use a number")
		}
	case "duration":
		if _, err := time.ParseDuration(val); err != nil {
			return fmt.Errorf("use a duration such as 30s, 5m or 2h")
		}
	}
	var err error
	if isList {
		err = sv.Replace(items)
	} else {
		err = f.Value.Set(items[0])
	}
	if err != nil {
		return err
	}
	f.Changed = true
	return nil
}
