// Package testenv sets up what tests and the developer tools
// (tools/fatora-bench, tools/fatora-faults) run the program in: a
// throwaway schema on a PostgreSQL server, a proxy that can cut a test off
// that server, and the fatora binary built, given a merchant, started as a
// child process and waited for until /readyz says it is ready.
//
// Whether a PostgreSQL test runs, skips or fails is decided here, in one
// place: it runs when FATORA_TEST_POSTGRES names a server, skips when it is
// unset, and fails when it is unset but FATORA_REQUIRE_POSTGRES=1 (as in
// CI) or when the server does not answer.
//
// It is kept apart from the product's packages so that the fatora binary
// does not link the testing package.
package testenv
