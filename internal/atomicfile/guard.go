package atomicfile

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// guard counts the replacements in flight. While there are any, SIGINT and
// SIGTERM are caught; the first one makes later writes fail with
// ErrInterrupted and, once the last write in flight has finished (renamed
// or removed its temporary file), stops the process as the signal would
// have.
var guard struct {
	sync.Mutex
	inflight int
	caught   os.Signal
	ch       chan os.Signal
	temps    map[string]bool
}

// die stops the process for sig; tests replace it.
var die = dieBySignal

func enter() error {
	guard.Lock()
	defer guard.Unlock()
	if guard.caught != nil {
		return ErrInterrupted
	}
	if guard.inflight == 0 {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
		guard.ch = ch
		go watch(ch)
	}
	guard.inflight++
	return nil
}

func leave() {
	guard.Lock()
	guard.inflight--
	if guard.inflight > 0 {
		guard.Unlock()
		return
	}
	signal.Stop(guard.ch)
	close(guard.ch)
	guard.ch = nil
	sig := guard.caught
	guard.Unlock()
	if sig != nil {
		die(sig)
	}
}

// watch waits for a signal on ch until ch is closed.
func watch(ch chan os.Signal) {
	for sig := range ch {
		guard.Lock()
		if guard.caught == nil {
			guard.caught = sig
		}
		n := guard.inflight
		guard.Unlock()
		if n == 0 {
			die(sig)
		}
	}
}

// Interrupted returns the signal that stopped the writes, or nil.
func Interrupted() os.Signal {
	guard.Lock()
	defer guard.Unlock()
	return guard.caught
}

func track(name string) {
	guard.Lock()
	if guard.temps == nil {
		guard.temps = map[string]bool{}
	}
	guard.temps[name] = true
	guard.Unlock()
}

func untrack(name string) {
	guard.Lock()
	delete(guard.temps, name)
	guard.Unlock()
}

func tracked(name string) bool {
	guard.Lock()
	defer guard.Unlock()
	return guard.temps[name]
}

// signalReset restores the default action of sig.
func signalReset(sig os.Signal) { signal.Reset(sig) }
