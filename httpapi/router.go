package httpapi

import (
	"net/http"
	"sort"
	"strings"

	"github.com/fatora-oss/fatora"
)

// handlerFunc is a handler that returns its error instead of writing it, so
// a forgotten return after a failure cannot happen.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// middleware wraps a handlerFunc.
type middleware func(handlerFunc) handlerFunc

// route is one path with a handler per method.
type route struct {
	pattern string
	methods map[string]handlerFunc
}

// router holds the routes in registration order, for the mux and for tests
// that compare them with the API description.
type router struct {
	mux    *http.ServeMux
	routes []route
}

func newRouter() *router {
	rt := &router{mux: http.NewServeMux()}
	rt.mux.Handle("/", rt.serve("unmatched", func(w http.ResponseWriter, r *http.Request) error {
		return fatora.Errorf(fatora.CodeNotFound, "No endpoint has the path %s.", r.URL.Path)
	}))
	return rt
}

// handle registers the handlers of one path, wrapped in mws (outermost first).
func (rt *router) handle(pattern string, methods map[string]handlerFunc, mws ...middleware) {
	for m, h := range methods {
		for i := len(mws) - 1; i >= 0; i-- {
			h = mws[i](h)
		}
		methods[m] = h
	}
	rt.routes = append(rt.routes, route{pattern, methods})
	rt.mux.Handle(pattern, rt.serve(pattern, func(w http.ResponseWriter, r *http.Request) error {
		h, ok := methods[r.Method]
		if !ok && r.Method == http.MethodHead {
			h, ok = methods[http.MethodGet]
		}
		if !ok {
			w.Header().Set("Allow", allowed(methods))
			return fatora.Errorf(fatora.CodeMethodNotAllowed, "%s is not allowed on %s; allowed: %s.", r.Method, pattern, allowed(methods))
		}
		return h(w, r)
	}))
}

// serve adapts a handlerFunc to http.Handler: it records the route for the
// log and writes the error the handler returns.
func (rt *router) serve(pattern string, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		infoOf(r).route = pattern
		if err := h(w, r); err != nil {
			writeError(w, r, err)
		}
	})
}

func allowed(methods map[string]handlerFunc) string {
	names := make([]string, 0, len(methods))
	for m := range methods {
		names = append(names, m)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
