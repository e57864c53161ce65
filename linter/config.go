package linter

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/huntlint/huntlint/internal/textdist"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// ConfigFileName is the name of the configuration file searched for from
// the working folder up to the file system root.
const ConfigFileName = ".huntlint.hcl"

// Config is the effective configuration (from .huntlint.hcl and flags).
// The zero value is the default configuration.
type Config struct {
	// Path is the file the configuration was read from; "" for defaults.
	Path string

	Catalog CatalogConfig
	Paths   PathsConfig
	// Checks holds the per-check settings by check ID.
	Checks map[string]CheckConfig
	Sigma  SigmaConfig
	Lint   LintConfig
}

// LintConfig is the lint block.
type LintConfig struct {
	// Preset names the set of checks that runs when --select names none:
	// "default" ("" too) or a group of opt-in checks ("coverage") added to
	// the default set.
	Preset string
}

// Presets returns the lint presets: "default", then the groups of the
// opt-in checks of the registry.
func Presets() []string {
	return append([]string{"default"}, OptInGroups(Registry())...)
}

// OptInGroups returns the groups of the opt-in checks among checks, in
// order.
func OptInGroups(checks []Check) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range checks {
		if g := c.Doc().Group; g != "" && !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// optedIn reports whether the configuration turns on the opt-in check d:
// its lint preset names d's group, or its check block says enabled = true.
func (c *Config) optedIn(d *Doc) bool {
	if c == nil {
		return false
	}
	if d.Group != "" && c.Lint.Preset == d.Group {
		return true
	}
	cc, ok := c.Checks[d.ID]
	return ok && cc.Enabled != nil && *cc.Enabled
}

// CatalogConfig is the catalog block. Relative paths are resolved against
// the configuration file's folder.
type CatalogConfig struct {
	Paths   []string
	Domains []string
	Offline bool
	// MaxAge is how old the catalog in use may be before lint says it is
	// outdated; 0 means DefaultMaxAge.
	MaxAge time.Duration
	// AutoUpdate refreshes the download cache when it is older than this
	// and the network answers; 0 means never.
	AutoUpdate time.Duration
}

// DefaultMaxAge is the catalog age past which lint says the catalog is
// outdated: ATT&CK ships a release about every six months.
const DefaultMaxAge = 200 * 24 * time.Hour

// MaxAgeOrDefault returns MaxAge, or DefaultMaxAge when unset.
func (c CatalogConfig) MaxAgeOrDefault() time.Duration {
	if c.MaxAge > 0 {
		return c.MaxAge
	}
	return DefaultMaxAge
}

// ParseAge parses an age such as "200d", "7d", "36h" or "90m": a whole
// number of days (d), or anything time.ParseDuration takes. It must be
// positive.
func ParseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		days, err = strconv.Atoi(n)
		d = time.Duration(days) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("invalid age %q: use a positive number of days (\"200d\") or hours (\"36h\")", s)
	}
	return d, nil
}

// PathsConfig is the paths block: doublestar patterns relative to the
// configuration file's folder.
type PathsConfig struct {
	Include []string
	Exclude []string
}

// CheckConfig is one check block.
type CheckConfig struct {
	Enabled  *bool    // nil: as the check's default (enabled)
	Severity Severity // 0: the check's default severity
}

// SigmaConfig is the sigma block.
type SigmaConfig struct {
	TacticStyle TacticStyle
}

// Enabled reports whether the configuration leaves check id enabled.
func (c *Config) Enabled(id string) bool {
	if c == nil {
		return true
	}
	cc, ok := c.Checks[id]
	return !ok || cc.Enabled == nil || *cc.Enabled
}

// SeverityOf returns the configured severity of a check, or def.
func (c *Config) SeverityOf(id string, def Severity) Severity {
	if c == nil {
		return def
	}
	if cc, ok := c.Checks[id]; ok && cc.Severity != 0 {
		return cc.Severity
	}
	return def
}

// ParseSeverity parses "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return SeverityError, nil
	case "warning":
		return SeverityWarning, nil
	case "info":
		return SeverityInfo, nil
	}
	return 0, fmt.Errorf("invalid severity %q: use error, warning or info", s)
}

// FindConfig looks for .huntlint.hcl in dir and its parents and returns
// its path, or "" when there is none.
func FindConfig(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		p := filepath.Join(dir, ConfigFileName)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// ConfigError is a configuration file problem with HCL diagnostics; its
// message lists each as file:line:col: message.
type ConfigError struct {
	Diags hcl.Diagnostics
}

func (e *ConfigError) Error() string {
	var b []string
	for _, d := range e.Diags {
		msg := d.Summary
		if d.Detail != "" {
			msg += "; " + strings.TrimSuffix(d.Detail, ".")
		}
		msg = strings.TrimSuffix(msg, ".")
		if d.Subject != nil {
			b = append(b, fmt.Sprintf("%s:%d:%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, msg))
		} else {
			b = append(b, msg)
		}
	}
	return strings.Join(b, "\n")
}

// hclFile mirrors .huntlint.hcl for gohcl; attributes whose values need
// checking are kept as expressions so that errors carry their position.
type hclFile struct {
	Catalog *struct {
		Path       hcl.Expression `hcl:"path,optional"`
		Domains    hcl.Expression `hcl:"domains,optional"`
		Offline    *bool          `hcl:"offline,optional"`
		MaxAge     hcl.Expression `hcl:"max_age,optional"`
		AutoUpdate hcl.Expression `hcl:"auto_update,optional"`
	} `hcl:"catalog,block"`
	Paths *struct {
		Include []string `hcl:"include,optional"`
		Exclude []string `hcl:"exclude,optional"`
	} `hcl:"paths,block"`
	Checks []struct {
		ID       string         `hcl:"id,label"`
		Enabled  *bool          `hcl:"enabled,optional"`
		Severity hcl.Expression `hcl:"severity,optional"`
	} `hcl:"check,block"`
	Sigma *struct {
		TacticStyle hcl.Expression `hcl:"tactic_style,optional"`
	} `hcl:"sigma,block"`
	Lint *struct {
		Preset hcl.Expression `hcl:"preset,optional"`
	} `hcl:"lint,block"`
}

// LoadConfig reads a configuration file. known lists the valid check IDs
// (nil: any); a check block naming another ID is an error.
func LoadConfig(path string, known []string) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return ParseConfig(path, src, known)
}

// ParseConfig parses the text of a configuration file; see LoadConfig.
func ParseConfig(path string, src []byte, known []string) (*Config, error) {
	f, diags := hclsyntax.ParseConfig(src, path, hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		return nil, &ConfigError{diags}
	}
	var raw hclFile
	if diags := gohcl.DecodeBody(f.Body, nil, &raw); diags.HasErrors() {
		return nil, &ConfigError{diags}
	}
	cfg := &Config{Path: path, Checks: map[string]CheckConfig{}}
	dir := filepath.Dir(path)
	var errs hcl.Diagnostics
	bad := func(rng hcl.Range, summary string) {
		r := rng
		errs = append(errs, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Subject: &r})
	}
	if c := raw.Catalog; c != nil {
		paths, d := stringList(c.Path)
		errs = append(errs, d...)
		for _, p := range paths {
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			cfg.Catalog.Paths = append(cfg.Catalog.Paths, p)
		}
		domains, d := stringList(c.Domains)
		errs = append(errs, d...)
		for _, dom := range domains {
			switch dom {
			case "enterprise-attack", "mobile-attack", "ics-attack":
				cfg.Catalog.Domains = append(cfg.Catalog.Domains, dom)
			default:
				bad(c.Domains.Range(), fmt.Sprintf("invalid domain %q: use enterprise-attack, mobile-attack or ics-attack", dom))
			}
		}
		if c.Offline != nil {
			cfg.Catalog.Offline = *c.Offline
		}
		for _, a := range []struct {
			e   hcl.Expression
			dst *time.Duration
		}{{c.MaxAge, &cfg.Catalog.MaxAge}, {c.AutoUpdate, &cfg.Catalog.AutoUpdate}} {
			s, ok, d := stringValue(a.e)
			errs = append(errs, d...)
			if !ok {
				continue
			}
			age, err := ParseAge(s)
			if err != nil {
				bad(a.e.Range(), err.Error())
				continue
			}
			*a.dst = age
		}
	}
	if p := raw.Paths; p != nil {
		cfg.Paths.Include, cfg.Paths.Exclude = p.Include, p.Exclude
	}
	knownSet := map[string]bool{}
	for _, id := range known {
		knownSet[id] = true
	}
	for _, c := range raw.Checks {
		if known != nil && !knownSet[c.ID] {
			rng := f.Body.(*hclsyntax.Body).Blocks
			var r hcl.Range
			for _, b := range rng {
				if b.Type == "check" && len(b.Labels) == 1 && b.Labels[0] == c.ID {
					r = b.LabelRanges[0]
				}
			}
			bad(r, fmt.Sprintf("unknown check %q%s; see 'huntlint checks'", c.ID, didYouMean(c.ID, known)))
			continue
		}
		cc := CheckConfig{Enabled: c.Enabled}
		if s, ok, d := stringValue(c.Severity); ok {
			sev, err := ParseSeverity(s)
			if err != nil {
				bad(c.Severity.Range(), err.Error())
			}
			cc.Severity = sev
		} else {
			errs = append(errs, d...)
		}
		if _, dup := cfg.Checks[c.ID]; dup {
			bad(c.Severity.Range(), fmt.Sprintf("check %q is configured twice", c.ID))
		}
		cfg.Checks[c.ID] = cc
	}
	if s := raw.Sigma; s != nil {
		if v, ok, d := stringValue(s.TacticStyle); ok {
			switch TacticStyle(v) {
			case TacticHyphen, TacticUnderscore, TacticAny:
				cfg.Sigma.TacticStyle = TacticStyle(v)
			default:
				bad(s.TacticStyle.Range(), fmt.Sprintf("invalid tactic_style %q: use hyphen, underscore or any", v))
			}
		} else {
			errs = append(errs, d...)
		}
	}
	if l := raw.Lint; l != nil {
		if v, ok, d := stringValue(l.Preset); ok {
			presets := Presets()
			if slices.Contains(presets, v) {
				cfg.Lint.Preset = v
			} else {
				bad(l.Preset.Range(), fmt.Sprintf("invalid preset %q%s: use %s", v, didYouMean(v, presets), strings.Join(presets, " or ")))
			}
		} else {
			errs = append(errs, d...)
		}
	}
	if errs.HasErrors() {
		return nil, &ConfigError{errs}
	}
	return cfg, nil
}

// stringValue evaluates an optional string attribute; ok is false when it
// is absent or invalid (then diags says why).
func stringValue(e hcl.Expression) (string, bool, hcl.Diagnostics) {
	if e == nil || isNull(e) {
		return "", false, nil
	}
	var s string
	if d := gohcl.DecodeExpression(e, nil, &s); d.HasErrors() {
		return "", false, d
	}
	return s, true, nil
}

// stringList evaluates an optional attribute that is a string or a list of
// strings.
func stringList(e hcl.Expression) ([]string, hcl.Diagnostics) {
	if e == nil || isNull(e) {
		return nil, nil
	}
	var one string
	if d := gohcl.DecodeExpression(e, nil, &one); !d.HasErrors() {
		return []string{one}, nil
	}
	var list []string
	d := gohcl.DecodeExpression(e, nil, &list)
	return list, d
}

// isNull reports whether an optional attribute was left out.
func isNull(e hcl.Expression) bool {
	v, d := e.Value(nil)
	return !d.HasErrors() && v.IsNull()
}

// didYouMean returns "; did you mean \"x\"" for the known name nearest to s,
// or "" when none is near.
func didYouMean(s string, known []string) string {
	best, ok := textdist.Nearest(s, known, 3, false)
	if !ok {
		return ""
	}
	return fmt.Sprintf("; did you mean %q", best)
}

// errNoConfig is returned by ResolveConfig when an explicit file is missing.
var errNoConfig = errors.New("config file not found")

// ResolveConfig loads the configuration: explicit (from --config) when not
// empty, else the nearest .huntlint.hcl from dir upwards, else defaults.
func ResolveConfig(explicit, dir string, known []string) (*Config, error) {
	path := explicit
	if path == "" {
		path = FindConfig(dir)
		if path == "" {
			return &Config{}, nil
		}
	} else if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%w: %s", errNoConfig, path)
	}
	return LoadConfig(path, known)
}
