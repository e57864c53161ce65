package linter

// Registry returns every check huntlint has, in a fixed order. It is the one
// place that lists them: add a check here when you add its file.
func Registry() []Check {
	return []Check{}
}
