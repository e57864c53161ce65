package main

import "time"

// clock is the time catalog ages are judged by; nil means the time of each
// call. Tests fix it so that outputs do not change with the calendar.
var clock func() time.Time
