package apitest

import (
	"fmt"
	"os"
	"testing"

	"github.com/fatora-oss/fatora"
)

// ExampleServer is the API served over HTTP for an Example function, with
// one merchant. Examples have no testing.TB, so it is made without one.
type ExampleServer struct {
	// URL is the server's base URL; APIKey is the merchant's test key.
	URL    string
	APIKey string

	t *standaloneTB
}

// StartExampleServer starts the API on a new SQLite database in a
// temporary directory, its clock at the current time, with one merchant.
// It panics if that fails. Close stops it and removes the database.
func StartExampleServer() *ExampleServer {
	t := &standaloneTB{}
	e := New(t, Options{})
	m := e.NewMerchant("shop")
	return &ExampleServer{URL: e.Serve().URL, APIKey: m.Keys[fatora.ModeTest], t: t}
}

// Close stops the server and removes its database.
func (s *ExampleServer) Close() { s.t.runCleanups() }

// standaloneTB stands in for a testing.TB where there is none. It has the
// methods New, NewMerchant and Serve call on an SQLite Env: a failure
// panics, and cleanups run when runCleanups is called. The embedded
// testing.TB is nil (it only makes the type one), so calling any other
// method panics.
type standaloneTB struct {
	testing.TB
	cleanups []func()
}

func (s *standaloneTB) Helper() {}

func (s *standaloneTB) Cleanup(f func()) { s.cleanups = append(s.cleanups, f) }

func (s *standaloneTB) Fatal(args ...any) { panic(fmt.Sprint(args...)) }

func (s *standaloneTB) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }

// TempDir makes a new directory, removed by the cleanups.
func (s *standaloneTB) TempDir() string {
	dir, err := os.MkdirTemp("", "apitest")
	if err != nil {
		panic(err)
	}
	s.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// runCleanups runs the cleanups, the last registered first, as testing
// does.
func (s *standaloneTB) runCleanups() {
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		s.cleanups[i]()
	}
	s.cleanups = nil
}
