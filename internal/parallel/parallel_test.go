package parallel

import (
	"sync/atomic"
	"testing"
)

func TestJobs(t *testing.T) {
	for _, c := range []struct{ jobs, n, want int }{
		{4, 10, 4}, {4, 2, 2}, {1, 10, 1}, {3, 0, 1}, {0, 1, 1},
	} {
		if got := Jobs(c.jobs, c.n); got != c.want {
			t.Errorf("Jobs(%d, %d) = %d, want %d", c.jobs, c.n, got, c.want)
		}
	}
	if got := Jobs(0, 1<<20); got < 1 {
		t.Errorf("Jobs(0, many) = %d, want one per processor", got)
	}
}

// TestForCallsEachIndexOnceWithinTheLimit: every index is called exactly
// once, and never more than jobs calls run at the same time.
func TestForCallsEachIndexOnceWithinTheLimit(t *testing.T) {
	for _, jobs := range []int{1, 3, 8} {
		const n = 200
		calls := make([]atomic.Int32, n)
		var running, peak atomic.Int32
		For(n, jobs, func(i int) {
			r := running.Add(1)
			for p := peak.Load(); r > p && !peak.CompareAndSwap(p, r); p = peak.Load() {
			}
			calls[i].Add(1)
			running.Add(-1)
		})
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Fatalf("jobs %d: f(%d) called %d times", jobs, i, c)
			}
		}
		if p := peak.Load(); p > int32(jobs) {
			t.Errorf("jobs %d: %d calls ran at once", jobs, p)
		}
	}
	For(0, 4, func(int) { t.Error("f called for n = 0") })
}

func TestMapKeepsIndexOrder(t *testing.T) {
	got := Map(100, 7, func(i int) int { return i * i })
	for i, v := range got {
		if v != i*i {
			t.Fatalf("Map()[%d] = %d, want %d", i, v, i*i)
		}
	}
}

// TestOrderedDeliversInOrderWithBoundedLookAhead: results arrive in index
// order, one at a time, and work never runs more than the window ahead of
// delivery.
func TestOrderedDeliversInOrderWithBoundedLookAhead(t *testing.T) {
	const n, jobs = 500, 4
	var delivered atomic.Int32
	var ahead atomic.Int32
	next := 0
	Ordered(n, jobs, func(i int) int {
		if d := int32(i) - delivered.Load(); d > ahead.Load() {
			ahead.Store(d)
		}
		return i + 1
	}, func(i, v int) {
		if i != next || v != i+1 {
			t.Fatalf("delivered (%d, %d), want (%d, %d)", i, v, next, next+1)
		}
		next++
		delivered.Add(1)
	})
	if next != n {
		t.Fatalf("delivered %d of %d", next, n)
	}
	if a := ahead.Load(); a > 4*jobs {
		t.Errorf("work ran %d items ahead of delivery, want at most %d", a, 4*jobs)
	}
}
