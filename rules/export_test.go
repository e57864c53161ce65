package rules

// IndexWork is the work of line indexes that WatchIndexWork counted.
type IndexWork struct {
	Builds  int64 // line tables built
	Scanned int64 // bytes those builds scanned
	Misses  int64 // LinesOf calls on text without a table
	Lookups int64 // column conversions
	Decoded int64 // bytes the conversions decoded
}

// WatchIndexWork counts the work of every line index from now until the
// returned function is called; it returns the counts.
func WatchIndexWork() func() IndexWork {
	s := &indexStats{}
	stats.Store(s)
	return func() IndexWork {
		stats.CompareAndSwap(s, nil)
		return IndexWork{Builds: s.builds.Load(), Scanned: s.scanned.Load(), Misses: s.misses.Load(),
			Lookups: s.lookups.Load(), Decoded: s.decoded.Load()}
	}
}
