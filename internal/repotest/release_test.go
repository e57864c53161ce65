//go:build release

package repotest

import (
	"os"
	"strings"
	"testing"
)

// TestCrossCompileReleaseTargets builds huntlint for every target of
// .goreleaser.yaml with its flags, so the release cannot break unnoticed.
// It compiles the whole program once per target, minutes on a cold build
// cache, so it runs only with the release build tag, in CI's release job:
//
//	go test -tags release -run TestCrossCompileReleaseTargets ./internal/repotest
func TestCrossCompileReleaseTargets(t *testing.T) {
	g := releaseConfig(t)
	b := g.Builds[0]
	dev := os.DevNull
	for _, target := range releaseTargets(t) {
		goos, goarch, _ := strings.Cut(target, "/")
		env := append([]string{"GOOS=" + goos, "GOARCH=" + goarch, "GOFLAGS=-buildvcs=false"}, b.Env...)
		args := append([]string{}, b.Flags...)
		args = append(args, "-ldflags", releaseLdflags(t, "v0.0.0", "test"), "-o", dev, b.Main)
		goBuild(t, env, args...)
	}
}
