// Package layer aggregates rules into per-technique ATT&CK coverage and
// writes it as ATT&CK Navigator layers (format 4.5), CSV, Markdown, SVG and
// HTML; it also diffs and merges Navigator layers.
//
// Everything about ATT&CK (tactics and their matrix order, technique names,
// tactics of a technique, platforms, revocations) comes from the catalog, so
// a newer ATT&CK release works without code changes.
package layer
