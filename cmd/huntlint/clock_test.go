package main

import "time"

// testDay is the day the tests run on, as far as catalog ages go: thirteen
// months after ATT&CK 18.1.
var testDay = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

func init() { clock = func() time.Time { return testDay } }
