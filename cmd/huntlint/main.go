// Command huntlint validates MITRE ATT&CK tags in Sigma rules and KQL hunting
// queries, fixes them, suggests tags and draws coverage layers.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
