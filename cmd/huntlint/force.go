package main

import "github.com/spf13/pflag"

// declareForce adds --force to f: the commands that change files refuse
// read-only ones (chmod 444, a deliberate "do not touch") unless it is
// given; see internal/atomicfile.
func declareForce(f *pflag.FlagSet, p *bool, usage string) {
	f.BoolVar(p, "force", false, usage+" (refused otherwise)")
}
