#!/bin/sh
# Lints the hostile single files of internal/hostile (many searches, many
# wildcard values, many duplicate tags, one long line of tags) at 1k, 2k, 4k
# and 8k elements, and prints the time per lint of one file and its growth
# from one size to the next: about 2.0 for linear time, 4.0 for quadratic.
#
# Usage: bench/hostile.sh [go test flags]
# Environment: HUNTLINT_HOSTILE_SIZES (default 1000,2000,4000,8000),
#   BENCHTIME (default 5x), COUNT (runs per size, the fastest counts; default 3).
set -eu
cd "$(dirname "$0")/.."
out=$(go test ./linter -run '^$' -bench '^BenchmarkHostile$' \
	-benchtime "${BENCHTIME:-5x}" -count "${COUNT:-3}" "$@")
printf '%s\n' "$out" | awk '
/^BenchmarkHostile\// {
	split($1, p, "/"); shape = p[2]; n = p[3]; sub(/^n=/, "", n); sub(/-[0-9]+$/, "", n)
	ns = $3 + 0
	key = shape SUBSEP n
	if (!(key in best)) {
		if (!(shape in seen)) { seen[shape] = 1; shapes[++ns_] = shape }
		sizes[shape] = sizes[shape] " " n
		best[key] = ns
	} else if (ns < best[key]) best[key] = ns
}
END {
	if (ns_ == 0) { print "no benchmark results" > "/dev/stderr"; exit 1 }
	printf "%-10s %8s %14s %7s\n", "shape", "n", "ns/op", "growth"
	for (i = 1; i <= ns_; i++) {
		s = shapes[i]; k = split(substr(sizes[s], 2), list, " "); prev = 0
		for (j = 1; j <= k; j++) {
			v = best[s SUBSEP list[j]]
			g = (prev > 0) ? sprintf("%.2f", v / prev) : "-"
			printf "%-10s %8d %14.0f %7s\n", s, list[j], v, g
			prev = v
		}
	}
}'
