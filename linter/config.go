package linter

// Config is the effective configuration (from .huntlint.hcl and flags).
type Config struct {
	// filled by the config loader
}
