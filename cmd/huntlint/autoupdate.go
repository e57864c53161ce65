package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/huntlint/huntlint/linter"
	"github.com/huntlint/huntlint/mapper"
)

// autoUpdateEnv sets the auto-update age, over the configuration's
// catalog { auto_update }.
const autoUpdateEnv = "HUNTLINT_CATALOG_AUTO_UPDATE"

// Where and how catalog update and auto-update download; tests point them
// at a local server.
var (
	autoUpdateURLs    []string      // nil: MITRE's bundles of the stale domains
	autoUpdateTimeout time.Duration // 0: mapper.DefaultAutoUpdateTimeout
	updateClient      *http.Client  // nil: the default client
)

// autoUpdateAge is the auto-update age in force: HUNTLINT_CATALOG_AUTO_UPDATE
// when set ("off" or "0" turns the configuration's off), else configured; 0
// means off.
func autoUpdateAge(configured time.Duration) (time.Duration, error) {
	v, ok := os.LookupEnv(autoUpdateEnv)
	if !ok || strings.TrimSpace(v) == "" {
		return configured, nil
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "off", "0", "false", "never":
		return 0, nil
	}
	age, err := linter.ParseAge(v)
	if err != nil {
		return 0, usageErr(fmt.Errorf("invalid %s=%q: use a positive number of days (\"7d\") or hours (\"36h\"), or off", autoUpdateEnv, v))
	}
	return age, nil
}

// autoUpdate refreshes the download cache when the catalog the command is
// about to open is older than the auto-update age (configured, or
// HUNTLINT_CATALOG_AUTO_UPDATE): the one place where every command that
// opens the catalog does so. Never with --offline or --catalog. A failed
// refresh is only logged: the command goes on with the cache or the
// embedded catalog.
func (a *app) autoUpdate(opts mapper.Options, configured time.Duration) error {
	age, err := autoUpdateAge(configured)
	if err != nil || age == 0 {
		return err
	}
	if opts.Offline || len(opts.Paths) > 0 {
		a.log.Debug().Msg("auto-update: not with --offline or --catalog")
		return nil
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Ages are judged by the real time, not the catalog's clock (opts.Now):
	// a cache file's time is the real time it was written.
	mapper.AutoUpdate(ctx, mapper.AutoUpdateOptions{
		MaxAge: age, Domains: opts.Domains, CacheDir: opts.CacheDir,
		URLs: autoUpdateURLs, Client: updateClient, Timeout: autoUpdateTimeout,
		Log: func(msg string) { a.log.Debug().Msg(msg) },
	})
	if ctx.Err() != nil {
		return &exitError{code: ExitInterrupted, err: fmt.Errorf("interrupted while refreshing the catalog (auto_update); the cache is unchanged")}
	}
	return nil
}
