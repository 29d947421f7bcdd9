package httpapi

import (
	"net/http"
	"strconv"

	"github.com/fatora-oss/fatora/api"
)

// docsPolicy confines the docs page: its own inline script and style run,
// it fetches from this server only, and it loads nothing from anywhere else.
const docsPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; " +
	"connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// registerDocs adds the API description, from the copies embedded in the
// binary: GET /openapi.json for machines and GET /docs for people.
func (s *Server) registerDocs(rt *router) {
	rt.handle("/openapi.json", map[string]handlerFunc{
		http.MethodGet: serveEmbedded("application/json; charset=utf-8", api.OpenAPI(), nil),
	})
	rt.handle("/docs", map[string]handlerFunc{
		http.MethodGet: serveEmbedded("text/html; charset=utf-8", api.DocsPage(), http.Header{
			"Content-Security-Policy": {docsPolicy},
			"Referrer-Policy":         {"no-referrer"},
		}),
	})
}

// serveEmbedded handles GET /openapi.json and GET /docs: it answers body,
// byte for byte, as contentType with the extra headers.
func serveEmbedded(contentType string, body []byte, extra http.Header) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		h := w.Header()
		for name, vals := range extra {
			h[name] = vals
		}
		h.Set("Content-Type", contentType)
		h.Set("Content-Length", strconv.Itoa(len(body)))
		h.Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		w.Write(body)
		return nil
	}
}
