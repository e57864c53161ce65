package sigmatest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseEvents feeds the event reader arbitrary bytes: it must return
// events or an error, never panic, and every event it returns must dump.
func FuzzParseEvents(f *testing.F) {
	files, _ := filepath.Glob("testdata/events/*")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil && filepath.Ext(p) != ".out" {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"Event":{"System":{"EventID":1},"EventData":{"Data":[{"@Name":"a","#text":"b"}]}}}`))
	f.Add([]byte(`[{"a":[1,{"b":null}]}, {}]`))
	f.Add([]byte("{\"a\":1}\n{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		evs, err := ParseEvents(data)
		if err != nil {
			if len(evs) != 0 {
				t.Fatal("events and an error")
			}
			return
		}
		for _, ev := range evs {
			var b bytes.Buffer
			if err := ev.Dump(&b); err != nil {
				t.Fatal(err)
			}
		}
	})
}
