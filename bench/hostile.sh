#!/bin/sh
# Lints the hostile single files of internal/hostile (many searches, many
# wildcard values, many duplicate tags, one long line of tags, a condition
# naming many missing searches) at 1k, 2k, 4k and 8k elements, and prints
# the time per lint of one file and its growth from one size to the next:
# about 2.0 for linear time, 4.0 for quadratic.
# Both wall time (ns/op) and the process's CPU time (cpu-ns/op, steadier on
# a shared machine) are shown; of several runs per size the fastest counts.
#
# Usage: bench/hostile.sh [go test flags]
# Environment: HUNTLINT_HOSTILE_SIZES (default 1000,2000,4000,8000),
#   BENCHTIME (default 5x), COUNT (runs per size; default 3).
set -eu
cd "$(dirname "$0")/.."
out=$(go test ./linter -run '^$' -bench '^BenchmarkHostile$' \
	-benchtime "${BENCHTIME:-5x}" -count "${COUNT:-3}" "$@")
printf '%s\n' "$out" | awk '
/^BenchmarkHostile\// {
	split($1, p, "/"); shape = p[2]; n = p[3]; sub(/^n=/, "", n); sub(/-[0-9]+$/, "", n)
	wall = -1; cpu = -1
	for (i = 3; i < NF; i++) {
		if ($(i+1) == "ns/op") wall = $i + 0
		if ($(i+1) == "cpu-ns/op") cpu = $i + 0
	}
	key = shape SUBSEP n
	if (!(key in bw)) {
		if (!(shape in seen)) { seen[shape] = 1; shapes[++nshapes] = shape }
		sizes[shape] = sizes[shape] " " n
		bw[key] = wall; bc[key] = cpu
	} else {
		if (wall < bw[key]) bw[key] = wall
		if (cpu < bc[key]) bc[key] = cpu
	}
}
END {
	if (nshapes == 0) { print "no benchmark results" > "/dev/stderr"; exit 1 }
	printf "%-10s %8s %14s %7s %14s %7s\n", "shape", "n", "ns/op", "growth", "cpu-ns/op", "growth"
	for (i = 1; i <= nshapes; i++) {
		s = shapes[i]; k = split(substr(sizes[s], 2), list, " "); pw = 0; pc = 0
		for (j = 1; j <= k; j++) {
			w = bw[s SUBSEP list[j]]; c = bc[s SUBSEP list[j]]
			gw = (pw > 0) ? sprintf("%.2f", w / pw) : "-"
			gc = (pc > 0) ? sprintf("%.2f", c / pc) : "-"
			printf "%-10s %8d %14.0f %7s %14.0f %7s\n", s, list[j], w, gw, c, gc
			pw = w; pc = c
		}
	}
}'
