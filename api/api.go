// Package api holds the description of the Clients API: the OpenAPI 3.1
// document (openapi.json, the contract the HTTP tests hold the server to,
// with a request sample in curl, PHP, C# and Go for each operation in its
// x-codeSamples, which this package's tests run against a real server) and
// the page that renders it for people (docs.html). Both are embedded, so
// the binary serves them byte for byte and needs nothing from elsewhere.
package api

import _ "embed"

//go:embed openapi.json
var openAPI string

//go:embed docs.html
var docsPage string

// OpenAPI returns the OpenAPI 3.1 document of the API, as JSON: the bytes of
// api/openapi.json. Each call returns a new copy, which the caller may keep.
func OpenAPI() []byte { return []byte(openAPI) }

// DocsPage returns the HTML page that fetches /openapi.json and renders it
// for people. It loads nothing from other sites, so it works offline. Each
// call returns a new copy, which the caller may keep.
func DocsPage() []byte { return []byte(docsPage) }
