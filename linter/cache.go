package linter

import "sync"

// smallCache is a map shared by the goroutines that lint rules, for facts
// that several checks of one rule read. The runner checks one rule at a time
// per goroutine, so a few entries suffice: the map is emptied when it holds
// smallCacheSize of them, which bounds its memory whatever the input.
type smallCache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

const smallCacheSize = 256

func (c *smallCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *smallCache[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= smallCacheSize {
		c.m = make(map[K]V, smallCacheSize)
	}
	c.m[k] = v
}
