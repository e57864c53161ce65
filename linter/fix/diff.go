package fix

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// diffContext is the number of unchanged lines around each change.
const diffContext = 3

// splitLines splits b after each "\n", keeping the terminators (so "\r\n"
// line ends and a missing final newline survive the round trip).
func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b)
			break
		}
		out = append(out, b[:i+1])
		b = b[i+1:]
	}
	return out
}

// diffOp is one line of an edit script.
type diffOp struct {
	kind byte // ' ', '-' or '+'
	a, b int  // line index in old (for ' ' and '-') and new (for ' ' and '+')
}

// lineDiff returns an edit script turning a into b: common prefix and suffix
// kept, the middle matched by a longest common subsequence (or, when the
// middle is huge, replaced whole: still a correct diff).
func lineDiff(a, b [][]byte) []diffOp {
	pre := 0
	for pre < len(a) && pre < len(b) && bytes.Equal(a[pre], b[pre]) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && bytes.Equal(a[len(a)-1-suf], b[len(b)-1-suf]) {
		suf++
	}
	var ops []diffOp
	for i := 0; i < pre; i++ {
		ops = append(ops, diffOp{' ', i, i})
	}
	am, bm := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(am), len(bm)
	if n*m <= 4_000_000 {
		// lcs[i][j] = LCS length of am[i:], bm[j:].
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if bytes.Equal(am[i], bm[j]) {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else if lcs[i+1][j] >= lcs[i][j+1] {
					lcs[i][j] = lcs[i+1][j]
				} else {
					lcs[i][j] = lcs[i][j+1]
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && bytes.Equal(am[i], bm[j]):
				ops = append(ops, diffOp{' ', pre + i, pre + j})
				i++
				j++
			case j >= m || i < n && lcs[i+1][j] >= lcs[i][j+1]:
				ops = append(ops, diffOp{'-', pre + i, -1})
				i++
			default:
				ops = append(ops, diffOp{'+', -1, pre + j})
				j++
			}
		}
	} else {
		for i := 0; i < n; i++ {
			ops = append(ops, diffOp{'-', pre + i, -1})
		}
		for j := 0; j < m; j++ {
			ops = append(ops, diffOp{'+', -1, pre + j})
		}
	}
	for k := 0; k < suf; k++ {
		ops = append(ops, diffOp{' ', len(a) - suf + k, len(b) - suf + k})
	}
	return ops
}

// WriteUnifiedDiff writes a unified diff from before to after, both named
// path (as `diff -u` would for `patch -p0` or `git apply -p0`). Nothing is
// written when the texts are equal. Line ends are kept as they are, and a
// missing final newline is marked as diff does.
func WriteUnifiedDiff(w io.Writer, path string, before, after []byte) error {
	if bytes.Equal(before, after) {
		return nil
	}
	a, b := splitLines(before), splitLines(after)
	ops := lineDiff(a, b)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "--- %s\n+++ %s\n", path, path)
	for k := 0; k < len(ops); {
		if ops[k].kind == ' ' {
			k++
			continue
		}
		// A hunk: from diffContext lines before this change to diffContext
		// lines after the last change that is no more than 2*diffContext
		// unchanged lines away.
		start := k - diffContext
		if start < 0 {
			start = 0
		}
		end := k
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*diffContext {
				end += min(diffContext, run-end)
				break
			}
			end = run
		}
		writeHunk(bw, a, b, ops[start:end])
		k = end
	}
	return bw.Flush()
}

func writeHunk(w *bufio.Writer, a, b [][]byte, ops []diffOp) {
	aStart, bStart, aLen, bLen := -1, -1, 0, 0
	for _, op := range ops {
		if op.kind != '+' {
			if aStart < 0 {
				aStart = op.a
			}
			aLen++
		}
		if op.kind != '-' {
			if bStart < 0 {
				bStart = op.b
			}
			bLen++
		}
	}
	// A hunk always carries the context around its changes, so a side has
	// no line in it only when that side is empty: its range is then 0,0.
	aLine, bLine := aStart+1, bStart+1
	if aLen == 0 {
		aLine = 0
	}
	if bLen == 0 {
		bLine = 0
	}
	fmt.Fprintf(w, "@@ -%d,%d +%d,%d @@\n", aLine, aLen, bLine, bLen)
	for _, op := range ops {
		var line []byte
		last := false
		switch op.kind {
		case '-':
			line, last = a[op.a], op.a == len(a)-1
		case '+':
			line, last = b[op.b], op.b == len(b)-1
		default:
			line = a[op.a]
			last = op.a == len(a)-1
		}
		w.WriteByte(op.kind)
		w.Write(line)
		if last && !bytes.HasSuffix(line, []byte("\n")) {
			w.WriteString("\n\\ No newline at end of file\n")
		}
	}
}
