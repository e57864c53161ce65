// Package parallel is the one worker pool: it runs the calls of a loop on a
// bounded number of goroutines, handing out indexes in increasing order, so
// that callers who store each result at its index (or take them through
// Ordered) keep the input's order whatever the scheduling.
package parallel

import "runtime"

// Jobs is the number of goroutines for n items: jobs, or one per processor
// when jobs <= 0, never more than n and at least 1.
func Jobs(jobs, n int) int {
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	return max(min(jobs, n), 1)
}

// For calls f(i) for every i in [0, n) on Jobs(jobs, n) goroutines and
// returns when every call has returned. With one goroutine the calls run
// in order on the caller's goroutine. f must be safe for concurrent use;
// writing to slot i of a slice made beforehand is.
func For(n, jobs int, f func(i int)) {
	jobs = Jobs(jobs, n)
	if jobs == 1 {
		for i := range n {
			f(i)
		}
		return
	}
	next := make(chan int)
	done := make(chan struct{})
	for range jobs {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	for range jobs {
		<-done
	}
}

// Map returns f(0), ..., f(n-1), computed as For does, in index order.
func Map[T any](n, jobs int, f func(i int) T) []T {
	out := make([]T, n)
	For(n, jobs, func(i int) { out[i] = f(i) })
	return out
}

// Ordered computes work(i) for every i in [0, n) on Jobs(jobs, n)
// goroutines and calls deliver(i, work(i)) in index order, one call at a
// time, on the caller's goroutine. At most a few results per goroutine are
// computed ahead of deliver, so a caller that keeps only what it needs of
// each result never holds them all at once.
func Ordered[T any](n, jobs int, work func(i int) T, deliver func(i int, v T)) {
	jobs = Jobs(jobs, n)
	window := 4 * jobs
	// Result i goes to slot i%window once a token is free; deliver frees
	// the token after taking the result, so items i and i+window are never
	// in flight together.
	slots := make([]chan T, window)
	for i := range slots {
		slots[i] = make(chan T, 1)
	}
	free := make(chan struct{}, window)
	for range window {
		free <- struct{}{}
	}
	next := make(chan int)
	go func() {
		for i := range n {
			<-free
			next <- i
		}
		close(next)
	}()
	for range jobs {
		go func() {
			for i := range next {
				slots[i%window] <- work(i)
			}
		}()
	}
	for i := range n {
		deliver(i, <-slots[i%window])
		free <- struct{}{}
	}
}
