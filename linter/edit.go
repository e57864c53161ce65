package linter

import (
	"gopkg.in/yaml.v3"

	"github.com/huntlint/huntlint/internal/yamledit"
)

// The edits of fixes are built by internal/yamledit, the one YAML edit
// engine of huntlint (fix, migrate and tag --write use it). These are its
// entry points under the names the checks use; see yamledit for the rules
// every edit follows: it changes only the bytes it must, and is nil when it
// cannot be sure of the result.

// NodeOffset returns the byte offset in src of the first character of n, or
// false when the position is outside src.
func NodeOffset(src []byte, n *yaml.Node) (int, bool) { return yamledit.NodeOffset(src, n) }

// PosOffset converts a 1-based line and character column, counted the way
// yaml.v3 counts them, into a byte offset in src.
func PosOffset(src []byte, line, col int) (int, bool) { return yamledit.PosOffset(src, line, col) }

// ScalarExtent returns the byte range [start, end) that the scalar node n
// occupies in src (see yamledit.ScalarExtent).
func ScalarExtent(src []byte, n *yaml.Node, flow bool) (start, end int, ok bool) {
	return yamledit.ScalarExtent(src, n, flow)
}

// DeleteSeqItem returns edits removing one item of a YAML sequence, or nil
// (see yamledit.DeleteSeqItem).
func DeleteSeqItem(src []byte, seq, item *yaml.Node) []Edit {
	return yamledit.DeleteSeqItem(src, seq, item)
}

// InsertSeqItemBefore returns edits inserting a new scalar item right before
// `before` in seq, or nil (see yamledit.InsertSeqItemBefore).
func InsertSeqItemBefore(src []byte, seq, before *yaml.Node, text string) []Edit {
	return yamledit.InsertSeqItemBefore(src, seq, before, text)
}

// ParentSeq returns the sequence node that holds item in doc, or nil.
func ParentSeq(doc, item *yaml.Node) *yaml.Node { return yamledit.ParentSeq(doc, item) }

// isFlow reports whether seq is written in flow style ([a, b]).
func isFlow(src []byte, seq *yaml.Node) bool { return yamledit.IsFlow(src, seq) }

// quoteLike renders text as a YAML scalar in the style of like.
func quoteLike(like *yaml.Node, text string, flow bool) string {
	return yamledit.QuoteLike(like, text, flow)
}
