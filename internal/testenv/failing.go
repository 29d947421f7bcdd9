package testenv

import "context"

// FailingFirst returns step, but failing its first n calls with err, as a
// database that is restarting would. The returned function is for one
// goroutine.
func FailingFirst(n int, step func(context.Context) (int, error), err error) func(context.Context) (int, error) {
	return func(ctx context.Context) (int, error) {
		if n > 0 {
			n--
			return 0, err
		}
		return step(ctx)
	}
}
