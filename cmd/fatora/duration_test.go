package main

import (
	"testing"
	"time"
)

func TestLongDuration(t *testing.T) {
	good := map[string]time.Duration{"360d": 360 * 24 * time.Hour, "1d": 24 * time.Hour, "24h": 24 * time.Hour, "90m": 90 * time.Minute}
	for in, want := range good {
		var d longDuration
		if err := d.Set(in); err != nil || time.Duration(d) != want {
			t.Errorf("Set(%q) = %v, %v; want %v", in, time.Duration(d), err, want)
		}
	}
	for _, in := range []string{"", "d", "-1d", "1.5d", "360", "forever", "99999999d"} {
		var d longDuration
		if err := d.Set(in); err == nil {
			t.Errorf("Set(%q) = %v, want an error", in, time.Duration(d))
		}
	}
	d := longDuration(360 * 24 * time.Hour)
	if d.String() != "360d" {
		t.Errorf("String() = %q, want 360d", d.String())
	}
	d = longDuration(90 * time.Minute)
	if d.String() != "1h30m0s" {
		t.Errorf("String() = %q, want 1h30m0s", d.String())
	}
}
