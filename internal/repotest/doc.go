// Package repotest holds the tests of the repository's own files outside Go
// packages: the GitHub Action (action.yml), the pre-commit hooks
// (.pre-commit-hooks.yaml), the release configuration (.goreleaser.yaml) and
// the CI workflow. They keep those files consistent with each other and with
// the code, and run the hooks end to end with the real pre-commit.
package repotest
