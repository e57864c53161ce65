package main

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/huntlint/huntlint/linter"
)

// fileFlags are the flags of the commands that read and write many rule
// files: how many at once, the configuration file, and whether folders'
// symbolic links are followed.
type fileFlags struct {
	jobs           int
	config         string
	followSymlinks bool
}

// declare adds --jobs, --config and --follow-symlinks; configUse says what
// the configuration is used for.
func (fl *fileFlags) declare(f *pflag.FlagSet, configUse string) {
	f.IntVarP(&fl.jobs, "jobs", "j", 0, "files handled at once (default: all processors)")
	f.StringVar(&fl.config, "config", "", configUse+" (default: the nearest "+linter.ConfigFileName+" from the current folder up)")
	f.BoolVar(&fl.followSymlinks, "follow-symlinks", false, followSymlinksUsage)
}

// declareConfig adds --config to a command that reads rules but has no
// fileFlags (inspect, layer, tag, ...): config (project.go) reads it.
func declareConfig(f *pflag.FlagSet) {
	f.String("config", "", "configuration file for the paths and catalog blocks (default: the nearest "+linter.ConfigFileName+" from the current folder up)")
}

// followSymlinksUsage is the usage of --follow-symlinks in every command.
const followSymlinksUsage = "follow symbolic links when walking folders (without it, each link is reported at info level and skipped)"

// checkFlags choose the checks that lint and fix run.
type checkFlags struct {
	selectIDs []string
	ignoreIDs []string
}

// declare adds --select and --ignore; selectUse says what selecting does
// ("run only", "fix only the findings of").
func (fl *checkFlags) declare(f *pflag.FlagSet, selectUse string) {
	f.StringSliceVar(&fl.selectIDs, "select", nil, selectUse+" these checks or categories (comma-separated IDs or "+strings.Join(checkCategories(), ", ")+")")
	f.StringSliceVar(&fl.ignoreIDs, "ignore", nil, "skip these checks or categories")
}

// checkCategories returns the categories of the registered checks, in
// registry order.
func checkCategories() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range linter.Registry() {
		if cat := c.Doc().Category; !seen[cat] {
			seen[cat] = true
			out = append(out, cat)
		}
	}
	// then the groups of opt-in checks (coverage), which --select also takes
	return append(out, linter.OptInGroups(linter.Registry())...)
}

// choicesAnnotation is the flag annotation that holds the values a flag
// accepts, set by choices.
const choicesAnnotation = "huntlint/choices"

// choices records that flag name of fs takes one of values: completion
// offers them, and its environment variable is checked against them (in
// any case). The values are the data the command checks the flag with
// (linter.Formats, layer.Levels, ...), so help, completion and checking
// cannot drift apart; TestFlagChoicesInUsage checks the usage names them.
func choices[T ~string](fs *pflag.FlagSet, name string, values []T) {
	vs := make([]string, len(values))
	for i, v := range values {
		vs[i] = string(v)
	}
	if err := fs.SetAnnotation(name, choicesAnnotation, vs); err != nil {
		panic(err) // a flag name mistyped in code; every test run catches it
	}
}

// flagChoices are the values flag f accepts, or nil when any value goes.
func flagChoices(f *pflag.Flag) []string {
	return f.Annotations[choicesAnnotation]
}

// textOrJSON are the formats of the commands that write text or JSON.
var textOrJSON = []string{"text", "json"}
