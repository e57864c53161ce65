package rules

import "github.com/huntlint/huntlint/internal/parallel"

// File is one loaded file as Stream hands it on: its rules and problems and
// what the caller's work made of them.
type File[T any] struct {
	Path     string
	Rules    []*Rule
	Problems []Problem
	Work     T
}

// Stream loads files with up to jobs goroutines (0 means one per processor),
// runs work (when not nil) on each file in the goroutine that loaded it, and
// calls fn with each file in the order of files, one call at a time. At most
// a few files per goroutine are loaded ahead of fn, so a caller that keeps
// only what it needs of each file holds that, not every rule at once.
func Stream[T any](o LoadOptions, files []string, jobs int, work func(*File[T]), fn func(File[T])) {
	parallel.Ordered(len(files), jobs, func(i int) File[T] {
		f := File[T]{Path: files[i]}
		f.Rules, f.Problems = o.Load(files[i])
		if work != nil {
			work(&f)
		}
		return f
	}, func(_ int, f File[T]) { fn(f) })
}
