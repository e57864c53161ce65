#!/bin/sh
# Lints copies of SigmaHQ's rules (the rules* folders of the shared corpus,
# copied with changed ids) at several rule counts, draws their coverage layer,
# and prints the wall time and peak resident memory of each run, measured by
# /usr/bin/time -v. Linear time and memory show as a constant time and RSS
# per rule.
#
# With SYNTH=1 the rules are generated instead (no corpus needed): small
# Sigma rules, 1000 per folder, each with three findings (attack-revoked and
# attack-tag-style, both fixable, and sigma-unused-search), the shape where
# memory grows with the number of findings rather than of rules.
#
# Usage: bench/memory.sh [extra lint flags]
# Environment: SIZES (default 3700,10000,30000,100000),
#   CORPUS (default /work/shared/corpus/sigmahq-2026-04-28.tar.gz),
#   SYNTH=1 generates the rules, KEEP=1 keeps the generated folder.
set -eu
cd "$(dirname "$0")/.."
corpus=${CORPUS:-/work/shared/corpus/sigmahq-2026-04-28.tar.gz}
sizes=${SIZES:-3700,10000,30000,100000}
synth=${SYNTH:-}
[ -x /usr/bin/time ] || { echo "bench/memory.sh: /usr/bin/time is missing; install GNU time" >&2; exit 2; }
[ -n "$synth" ] || [ -r "$corpus" ] || { echo "bench/memory.sh: cannot read $corpus; set CORPUS to SigmaHQ's rules archive" >&2; exit 2; }
tmp=$(mktemp -d)
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/huntlint" ./cmd/huntlint
per=0
if [ -z "$synth" ]; then
	mkdir "$tmp/src"
	tar xzf "$corpus" -C "$tmp/src"
	(cd "$tmp/src" && find ./rules* -type f \( -name '*.yml' -o -name '*.yaml' \) | sort) >"$tmp/list"
	per=$(wc -l <"$tmp/list")
fi
# synthesize DIR N writes N generated rules under DIR (SYNTH=1).
synthesize() {
	awk -v dir="$1" -v n="$2" -v q="'" 'BEGIN {
		for (i = 0; i < n; i++) {
			d = dir "/d" int(i / 1000)
			if (i % 1000 == 0) system("mkdir -p " d)
			f = d "/rule" i ".yml"
			printf "title: Synthetic rule %d\nid: 00000000-0000-0000-0000-%012x\nstatus: test\n", i, i >f
			printf "description: synthetic rule number %d\nauthor: bench\ndate: 2024-01-01\n", i >f
			printf "tags:\n    - attack.execution\n    - attack.t1086\n    - attack.t1059.001\n    - attack.T1059\n" >f
			printf "logsource:\n    category: process_creation\n    product: windows\n" >f
			printf "detection:\n    selection:\n        Image|endswith: " q "\\\\powershell%d.exe" q "\n", i >f
			printf "        CommandLine|contains: " q "enc%d" q "\n    filter:\n        User: SYSTEM\n", i >f
			printf "    condition: selection\nlevel: high\n" >f
			close(f)
		}
	}'
}
# measure NAME RULES FILES ARGS... runs huntlint ARGS and prints one line.
measure() {
	m_name=$1 m_rules=$2 m_files=$3
	shift 3
	/usr/bin/time -v -o "$tmp/time" "$tmp/huntlint" "$@" 2>/dev/null || true
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$tmp/time")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
	awk -v c="$m_name" -v n="$m_rules" -v f="$m_files" -v w="$wall" -v r="$rss" 'BEGIN { printf "%-6s %-8d %-8d %10.2f %12.1f %10.2f\n", c, n, f, w, r / 1024, r / n }'
}
printf '%-6s %-8s %-8s %10s %12s %10s\n' run rules files wall-s peak-rss-MB KB/rule
for n in $(printf '%s' "$sizes" | tr ',' ' '); do
	dir="$tmp/n$n"
	mkdir "$dir"
	k=0
	left=$n
	[ -z "$synth" ] || { synthesize "$dir" "$n"; left=0; }
	while [ "$left" -gt 0 ]; do
		take=$left
		[ "$take" -gt "$per" ] && take=$per
		c="$dir/copy$k"
		mkdir "$c"
		head -n "$take" "$tmp/list" | (cd "$tmp/src" && tar cf - -T -) | tar xf - -C "$c"
		# A new id per copy: the last 8 hex digits of each rule's id become the copy number.
		suffix=$(printf '%08x' "$k")
		find "$c" -type f -print0 | xargs -0 sed -i -E "s/^id: *([0-9a-fA-F-]{28})[0-9a-fA-F]{8}/id: \\1$suffix/"
		left=$((left - take))
		k=$((k + 1))
	done
	files=$(find "$dir" -type f | wc -l)
	measure lint "$n" "$files" lint --offline --fail-on never --format json -o "$tmp/out.json" "$@" "$dir"
	measure layer "$n" "$files" layer --offline -o "$tmp/layer.json" "$dir"
	[ "${KEEP:-}" = 1 ] || rm -rf "$dir"
done
