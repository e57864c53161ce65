package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper"
	"github.com/huntlint/huntlint/rules"
)

// The one place where commands resolve the configuration and open the
// catalog. Every command that reads rules or the catalog (lint, fix, layer,
// tag, inspect, gaps, test, migrate, catalog info, version, ...) calls these,
// so that they all see the same .huntlint.hcl, exclude the same paths and
// check against the same ATT&CK release:
//
//	cfg, err := a.config()                 // .huntlint.hcl, or defaults
//	cat, err := a.openCatalog()            // catalog of the flags + config
//	disc, err := a.discoverOptions(flags)  // config include/exclude + flags
//
// A broken configuration is a usage error (exit 2) that names it with
// file:line:col. The configuration is read once per run.

// configEnv is the variable that names the configuration file of the
// commands without a --config flag (version, catalog info); the commands
// with one read it through the flag's environment variables.
const configEnv = "HUNTLINT_CONFIG"

// configPath is the configuration file the running command names: its
// --config flag when it has one, else HUNTLINT_CONFIG; "" means the nearest
// .huntlint.hcl from the current folder up.
func (a *app) configPath() string {
	if a.cmd != nil {
		if f := a.cmd.Flags().Lookup("config"); f != nil {
			return f.Value.String()
		}
	}
	return os.Getenv(configEnv)
}

// config resolves the configuration of the running command (see
// configPath); the defaults when there is no file.
func (a *app) config() (*linter.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	cfg, err := linter.ResolveConfig(a.configPath(), ".", linter.CheckIDs(linter.Registry()))
	if err != nil {
		return nil, usageErr(err)
	}
	a.cfg = cfg
	return cfg, nil
}

// openCatalog opens the catalog of the global flags, completed by the
// configuration's catalog block where the flags say nothing, refreshed first
// when its auto_update (or HUNTLINT_CATALOG_AUTO_UPDATE) says so.
func (a *app) openCatalog() (*mapper.Catalog, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	opts, err := a.catalogOptions()
	if err != nil {
		return nil, err
	}
	if len(opts.Paths) == 0 {
		opts.Paths = cfg.Catalog.Paths
	}
	if len(opts.Domains) == 0 {
		for _, d := range cfg.Catalog.Domains {
			opts.Domains = append(opts.Domains, mapper.Domain(d))
		}
	}
	opts.Offline = opts.Offline || cfg.Catalog.Offline
	if err := a.autoUpdate(opts, cfg.Catalog.AutoUpdate); err != nil {
		return nil, err
	}
	cat, err := mapper.Open(opts)
	if err != nil {
		where := ""
		if cfg.Path != "" && len(a.catalogs) == 0 && len(cfg.Catalog.Paths) > 0 {
			where = fmt.Sprintf(" (catalog block of %s)", filepath.Clean(cfg.Path))
		}
		return nil, usageErr(fmt.Errorf("load catalog%s: %w", where, err))
	}
	return cat, nil
}

// openCatalogTexts is openCatalog, with the texts the download cache keeps
// read too (mapper.Catalog.LoadTexts), for the commands that use them.
func (a *app) openCatalogTexts() (*mapper.Catalog, error) {
	cat, err := a.openCatalog()
	if err != nil {
		return nil, err
	}
	if err := cat.LoadTexts(); err != nil {
		return nil, usageErr(fmt.Errorf("load catalog: %w", err))
	}
	return cat, nil
}

// lintConfig is config and openCatalog together, for lint and fix.
func (a *app) lintConfig() (*linter.Config, *mapper.Catalog, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, nil, err
	}
	cat, err := a.openCatalog()
	if err != nil {
		return nil, nil, err
	}
	return cfg, cat, nil
}

// discoverOptions completes the discovery options of a command's flags with
// the configuration's paths block: its include patterns unless --include
// gives others, and its exclude patterns always, before those of --exclude.
func (a *app) discoverOptions(flags rules.DiscoverOptions) (rules.DiscoverOptions, error) {
	cfg, err := a.config()
	if err != nil {
		return flags, err
	}
	out := flags
	if len(out.Include) == 0 {
		out.Include = cfg.Paths.Include
	}
	out.Exclude = append(append([]string(nil), cfg.Paths.Exclude...), flags.Exclude...)
	return out, nil
}

// catalogMaxAge is the configuration's catalog max_age, or the default.
func (a *app) catalogMaxAge() (time.Duration, error) {
	cfg, err := a.config()
	if err != nil {
		return 0, err
	}
	return cfg.Catalog.MaxAgeOrDefault(), nil
}

// discover finds the files under paths, with the discovery options of
// discoverOptions, for the commands that load rules themselves (inspect,
// layer, tag, migrate, ...). Paths that are missing or cannot be read are
// problems; each symbolic link not followed is a note on standard error
// (not under --quiet), never dropped silently.
func (a *app) discover(paths []string, flags rules.DiscoverOptions) ([]string, []rules.Problem, error) {
	opts, err := a.discoverOptions(flags)
	if err != nil {
		return nil, nil, err
	}
	d := rules.DiscoverAll(paths, opts)
	for _, n := range d.Notes() {
		a.debugf("%s", n)
	}
	w := a.stderr
	if a.cmd != nil {
		w = summaryWriter(a.cmd, a.stderr)
	}
	for _, p := range d.Skipped {
		fmt.Fprintf(w, "huntlint: info: %s: %s\n", p.Path, p.Message)
	}
	return d.Files, append(d.Problems, d.Missing...), nil
}
