package httpapi_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/url"
	gopath "path"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/fatora-oss/fatora/internal/apitest"
)

// validateResponse holds a recorded answer to the API description: the
// operation must list its status, and the answer must have the headers the
// document requires and a body of the documented media type and schema.
// Every request the scenario tests send through env.do passes here.
func validateResponse(t testing.TB, req request, resp response) {
	t.Helper()
	if err := checkResponse(req.method, req.path, resp.status, resp.header, []byte(resp.body)); err != nil {
		body := resp.body
		if len(body) > 500 {
			body = body[:500] + "..."
		}
		t.Errorf("%s %s answered %d, which api/openapi.json does not allow: %v\nbody: %s", req.method, req.path, resp.status, err, body)
	}
}

// checkResponse validates one answer against the document.
func checkResponse(method, target string, status int, header http.Header, body []byte) error {
	doc, err := apitest.OpenAPI()
	if err != nil {
		return err
	}
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if method == http.MethodHead {
		// Answered as GET (openapi3filter skips HEAD); the recorder keeps
		// the body a real server would drop.
		method = http.MethodGet
	}
	route := findRoute(doc, method, u.Path)
	ref := route.Operation.Responses.Status(status)
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("status %d is not documented for %s %s", status, route.Method, route.Path)
	}
	header = header.Clone()
	if content := ref.Value.Content; len(content) == 0 {
		if len(body) > 0 {
			return fmt.Errorf("status %d has no body in the document, but %d bytes came", status, len(body))
		}
	} else {
		key, err := documentedMediaType(content, header.Get("Content-Type"))
		if err != nil {
			return err
		}
		// openapi3filter matches the key exactly or by its bare type;
		// the parameters were compared above.
		header.Set("Content-Type", key)
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: &http.Request{Method: method, URL: u, Header: http.Header{}},
			Route:   route,
		},
		Status:  status,
		Header:  header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	input.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), input)
}

// findRoute finds the operation that answers method on path, matching as
// the server does: in any letter case, one trailing slash ignored. A path
// the document does not have is answered by the NotFound response, a
// method its path does not have by MethodNotAllowed, and a path that is not
// clean by CleanPathRedirect, as the document's description says.
func findRoute(doc *openapi3.T, method, path string) *routers.Route {
	path = strings.Map(func(r rune) rune { // ASCII letters only, as the server folds them
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, path)
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	if clean := gopath.Clean(path); clean != path {
		return fallbackRoute(doc, path, method, http.StatusTemporaryRedirect, "CleanPathRedirect")
	}
	// Literal paths before templates with parameters, as the server's mux
	// prefers the more specific pattern (/v1/clients/bulk to /v1/clients/{id}).
	templates := slices.SortedFunc(maps.Keys(doc.Paths.Map()), func(a, b string) int {
		return cmp.Or(strings.Count(a, "{")-strings.Count(b, "{"), strings.Compare(a, b))
	})
	for _, template := range templates {
		item := doc.Paths.Value(template)
		if !templateMatches(template, path) {
			continue
		}
		if op := item.GetOperation(method); op != nil {
			return &routers.Route{Spec: doc, Path: template, PathItem: item, Method: method, Operation: op}
		}
		return fallbackRoute(doc, template, method, http.StatusMethodNotAllowed, "MethodNotAllowed")
	}
	return fallbackRoute(doc, path, method, http.StatusNotFound, "NotFound")
}

func fallbackRoute(doc *openapi3.T, path, method string, status int, response string) *routers.Route {
	ref := &openapi3.ResponseRef{Ref: "#/components/responses/" + response, Value: doc.Components.Responses[response].Value}
	op := &openapi3.Operation{Responses: openapi3.NewResponses(openapi3.WithStatus(status, ref))}
	return &routers.Route{Spec: doc, Path: path, PathItem: &openapi3.PathItem{}, Method: method, Operation: op}
}

// templateMatches reports whether a lower-case path matches a document
// path template: the same segments in any letter case, each {parameter}
// standing for one non-empty segment.
func templateMatches(template, path string) bool {
	want, got := strings.Split(template, "/"), strings.Split(path, "/")
	if len(want) != len(got) {
		return false
	}
	for i, seg := range want {
		if isParam(seg) {
			if got[i] == "" {
				return false
			}
		} else if !strings.EqualFold(seg, got[i]) {
			return false
		}
	}
	return true
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// documentedMediaType returns the key of content that a response's
// Content-Type matches: the same type and subtype, and each parameter the
// key names (such as version=0.0.4) with the same value; parameters the
// key does not name (charset) may be added.
func documentedMediaType(content openapi3.Content, contentType string) (string, error) {
	got, gotParams, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", fmt.Errorf("the Content-Type %q: %w", contentType, err)
	}
	for key := range content {
		want, wantParams, err := mime.ParseMediaType(key)
		if err != nil || want != got {
			continue
		}
		if paramsIncluded(wantParams, gotParams) {
			return key, nil
		}
	}
	return "", fmt.Errorf("the Content-Type %q is not one the document lists for this answer", contentType)
}

func paramsIncluded(want, got map[string]string) bool {
	for name, v := range want {
		if !strings.EqualFold(got[name], v) {
			return false
		}
	}
	return true
}
