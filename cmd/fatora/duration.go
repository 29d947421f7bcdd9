package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// longDuration is a flag value for lifetimes counted in days: Go's
// durations ("24h", "90m") and whole days ("360d").
type longDuration time.Duration

// String prints whole days as days, anything else as Go does.
func (d *longDuration) String() string {
	if day := 24 * time.Hour; *d > 0 && time.Duration(*d)%day == 0 {
		return strconv.FormatInt(int64(time.Duration(*d)/day), 10) + "d"
	}
	return time.Duration(*d).String()
}

// Set reads "<n>d" or a Go duration.
func (d *longDuration) Set(s string) error {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseUint(days, 10, 16)
		if err != nil {
			return fmt.Errorf("%q is not a whole number of days", s)
		}
		*d = longDuration(time.Duration(n) * 24 * time.Hour)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 360d, 24h or 90m", s)
	}
	*d = longDuration(v)
	return nil
}
