#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml with the real pre-commit:
# a temporary git repository uses this repository's hooks at its committed
# HEAD (pre-commit clones it and builds huntlint with `go install`), then
#   1. a staged rule with a revoked technique (attack.t1086) blocks the commit;
#   2. the corrected rule commits;
#   3. huntlint-fix rewrites a revoked tag in a staged rule to its replacement;
#   4. huntlint-system (the huntlint on PATH) refuses a revoked tag too.
#
# Usage: scripts/test-precommit.sh [REPO]   (REPO defaults to this repository)
# Exit status: 0 passed, 1 failed, 77 skipped (pre-commit, git or go missing
# and not installable).
set -euo pipefail

repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

command -v git >/dev/null || skip "git is not installed"
command -v go >/dev/null || skip "go is not installed"
if ! command -v pre-commit >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "installing Debian's pre-commit package" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -q pre-commit >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q pre-commit >/dev/null 2>&1; } ||
			true
	fi
	command -v pre-commit >/dev/null || skip "pre-commit is not installed and could not be installed (apt-get install -y pre-commit as root)"
fi

rev=$(git -C "$repo" rev-parse HEAD) || skip "$repo is not a git repository with a commit"

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
# Build with the machine's module and build caches (pre-commit points GOPATH
# into its own environment) and never download another Go toolchain.
GOMODCACHE=$(go env GOMODCACHE)
GOCACHE=$(go env GOCACHE)
export GOMODCACHE GOCACHE GOTOOLCHAIN=local GOFLAGS=-buildvcs=false
export NO_COLOR=1

cd "$work"
git init -q project
cd project
git config user.email test@example.com
git config user.name "pre-commit test"
git config commit.gpgsign false

config() {
	cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: $repo
    rev: $rev
    hooks:
      - id: $1
EOF
	git add .pre-commit-config.yaml
}

rule() { # rule FILE TAG
	cat >"$1" <<EOF
title: Encoded PowerShell Command Line
id: $2
status: test
description: Detects PowerShell started with an encoded command
author: huntlint pre-commit test
date: 2026-01-15
tags:
    - attack.execution
    - $3
logsource:
    product: windows
    category: process_creation
detection:
    selection:
        Image|endswith: '\\powershell.exe'
        CommandLine|contains: ' -enc '
    condition: selection
level: high
EOF
}

config huntlint
pre-commit install >/dev/null
# Other YAML and Markdown files (this configuration, a README) pass the hook.
printf '# Detections\n\nSigma rules for our fleet.\n' >README.md
git add README.md
git commit -m "pre-commit configuration" >"$work/out0" 2>&1 || { cat "$work/out0" >&2; fail "the hook refused a commit without rules"; }

echo "--- 1. a rule with a revoked technique is refused" >&2
mkdir -p rules
rule rules/encoded_powershell.yml 5b0e2a51-8f1c-4d2e-9a47-3c6f0d1e2b7a attack.t1086
git add rules/encoded_powershell.yml
if git commit -m "add a rule" >"$work/out1" 2>&1; then
	cat "$work/out1" >&2
	fail "the commit of a rule tagged attack.t1086 (revoked) went through"
fi
cat "$work/out1" >&2
grep -q "attack.t1086 was revoked" "$work/out1" || fail "the hook's output does not name the revoked tag"
grep -q "rules/encoded_powershell.yml:9:7" "$work/out1" || fail "the hook's output does not give file:line:col"
[ "$(git rev-list --count HEAD)" = 1 ] || fail "a commit was made"

echo "--- 2. the corrected rule commits" >&2
rule rules/encoded_powershell.yml 5b0e2a51-8f1c-4d2e-9a47-3c6f0d1e2b7a attack.t1059.001
git add rules/encoded_powershell.yml
git commit -m "add a rule" >"$work/out2" 2>&1 || { cat "$work/out2" >&2; fail "the commit of the corrected rule was refused"; }
cat "$work/out2" >&2
grep -q "huntlint.*Passed" "$work/out2" || fail "the huntlint hook did not run on the corrected rule"

echo "--- 3. huntlint-fix rewrites the revoked tag" >&2
config huntlint-fix
git commit -q --no-verify -m "use huntlint-fix"
rule rules/encoded_powershell_2.yml 0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f attack.t1086
git add rules/encoded_powershell_2.yml
if git commit -m "add another rule" >"$work/out3" 2>&1; then
	cat "$work/out3" >&2
	fail "huntlint-fix let a rule with a fixable tag through unchanged"
fi
cat "$work/out3" >&2
grep -q "files were modified by this hook" "$work/out3" || fail "huntlint-fix did not modify the rule"
grep -q "^    - attack.t1059.001$" rules/encoded_powershell_2.yml || { cat rules/encoded_powershell_2.yml >&2; fail "huntlint-fix did not write attack.t1059.001"; }
grep -q "attack.t1086" rules/encoded_powershell_2.yml && fail "attack.t1086 is still in the fixed rule"
git add rules/encoded_powershell_2.yml
git commit -m "add another rule" >"$work/out4" 2>&1 || { cat "$work/out4" >&2; fail "the fixed rule was refused"; }

echo "--- 4. huntlint-system uses the huntlint on PATH" >&2
built=$(find "$PRE_COMMIT_HOME" -path '*/bin/huntlint' -type f | head -n 1)
[ -n "$built" ] || fail "no huntlint built by pre-commit under $PRE_COMMIT_HOME"
config huntlint-system
git commit -q --no-verify -m "use huntlint-system"
rule rules/encoded_powershell_3.yml 7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d attack.t1086
git add rules/encoded_powershell_3.yml
if PATH="$(dirname "$built"):$PATH" git commit -m "add a third rule" >"$work/out5" 2>&1; then
	cat "$work/out5" >&2
	fail "huntlint-system let a rule tagged attack.t1086 through"
fi
cat "$work/out5" >&2
grep -q "rules/encoded_powershell_3.yml:9:7: error \[attack-revoked\]" "$work/out5" || fail "huntlint-system did not report the revoked tag"

echo "PASS: pre-commit hooks huntlint, huntlint-fix and huntlint-system at $rev" >&2
