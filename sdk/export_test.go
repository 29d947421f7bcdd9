package sdk

import "time"

// SetClock replaces c's clock, for tests that move time forward.
func SetClock(c *Client, now func() time.Time) { c.now = now }
