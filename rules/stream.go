package rules

import "runtime"

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
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	jobs = min(jobs, max(len(files), 1))
	window := 4 * jobs
	// File i goes to slot i%window once a token is free; fn frees the token
	// after taking the file, so files i and i+window are never in flight
	// together.
	slots := make([]chan File[T], window)
	for i := range slots {
		slots[i] = make(chan File[T], 1)
	}
	free := make(chan struct{}, window)
	for range window {
		free <- struct{}{}
	}
	next := make(chan int)
	go func() {
		for i := range files {
			<-free
			next <- i
		}
		close(next)
	}()
	for range jobs {
		go func() {
			for i := range next {
				f := File[T]{Path: files[i]}
				f.Rules, f.Problems = o.Load(files[i])
				if work != nil {
					work(&f)
				}
				slots[i%window] <- f
			}
		}()
	}
	for i := range files {
		fn(<-slots[i%window])
		free <- struct{}{}
	}
}
