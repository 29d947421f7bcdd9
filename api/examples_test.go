package api_test

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fatora-oss/fatora/internal/apitest"
)

// sampleBaseURL is the server every sample calls.
const sampleBaseURL = "http://localhost:8080"

// sampleLanguages are the languages each operation shows a request in.
var sampleLanguages = []string{"curl", "PHP", "C#", "Go"}

// operation is one operation of the document.
type operation struct {
	path, method string
	op           *openapi3.Operation
}

func (o operation) String() string { return o.method + " " + o.path }

// operations lists the document's operations in a stable order.
func operations(doc *openapi3.T) []operation {
	var out []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out = append(out, operation{path: path, method: method, op: op})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].op.OperationID < out[j].op.OperationID })
	return out
}

// codeSample is one entry of an operation's x-codeSamples.
type codeSample struct {
	Lang   string `json:"lang"`
	Label  string `json:"label"`
	Source string `json:"source"`
}

func codeSamples(t testing.TB, o operation) []codeSample {
	t.Helper()
	raw, err := json.Marshal(o.op.Extensions["x-codeSamples"])
	if err != nil {
		t.Fatal(err)
	}
	var out []codeSample
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: x-codeSamples: %v", o, err)
	}
	return out
}

// successStatus returns the operation's one 2xx status and its response.
func successStatus(t testing.TB, o operation) (int, *openapi3.Response) {
	t.Helper()
	for status := 200; status < 300; status++ {
		if ref := o.op.Responses.Status(status); ref != nil {
			return status, ref.Value
		}
	}
	t.Fatalf("%s documents no success", o)
	return 0, nil
}

// mediaExamples returns the example values of a media type, by name.
func mediaExamples(media *openapi3.MediaType) map[string]any {
	out := map[string]any{}
	if media.Example != nil {
		out["example"] = media.Example
	}
	for name, ref := range media.Examples {
		out[name] = ref.Value.Value
	}
	return out
}

// TestEveryOperationShowsSamplesAndExamples: each operation shows a request
// in curl, PHP, C# and Go that calls the documented base URL, an example of
// its success when the success has a JSON body, and an example of each
// error it documents.
func TestEveryOperationShowsSamplesAndExamples(t *testing.T) {
	doc := apitest.LoadOpenAPI(t)
	for _, o := range operations(doc) {
		samples := codeSamples(t, o)
		var langs []string
		for _, s := range samples {
			langs = append(langs, s.Lang)
			if s.Label == "" || !strings.Contains(s.Source, sampleBaseURL) {
				t.Errorf("%s: the %s sample has no label or does not call %s", o, s.Lang, sampleBaseURL)
			}
		}
		if !slices.Equal(langs, sampleLanguages) {
			t.Errorf("%s: samples in %v, want %v", o, langs, sampleLanguages)
		}
		for status, ref := range o.op.Responses.Map() {
			media := ref.Value.Content.Get("application/json")
			if media == nil || o.op.OperationID == "getOpenAPIDocument" {
				continue // no JSON body, or this very document
			}
			if len(mediaExamples(media)) == 0 {
				t.Errorf("%s: the %s answer has no example", o, status)
			}
		}
	}
}

// TestExamplesMatchSchemas validates every example of the document, of
// requests and of answers, against the schema beside it (JSON Schema
// 2020-12, as the response tests validate the server's answers).
func TestExamplesMatchSchemas(t *testing.T) {
	doc := apitest.LoadOpenAPI(t)
	checked := 0
	eachMedia(doc, func(where string, media *openapi3.MediaType) {
		for name, value := range mediaExamples(media) {
			checked++
			if err := validateValue(media.Schema.Value, value); err != nil {
				t.Errorf("%s, example %s: %v", where, name, err)
			}
		}
	})
	if checked < 30 {
		t.Errorf("only %d examples checked", checked)
	}
}

// TestExampleValidationCatchesMistakes: the validation above refuses
// examples that break their schemas, so it is no formality.
func TestExampleValidationCatchesMistakes(t *testing.T) {
	doc := apitest.LoadOpenAPI(t)
	media := func(response string) *openapi3.MediaType {
		return doc.Components.Responses[response].Value.Content.Get("application/json")
	}
	tests := []struct {
		name     string
		response string
		example  string
	}{
		{"client without id", "ClientCreated", `{"status":"SUCCESS","client":{"name":"A","phone":"","email":"","address":"","note":"","notes":"","created_at":"2026-11-27T12:00:00.000Z","updated_at":"2026-11-27T12:00:00.000Z"}}`},
		{"error as a string off Authorize", "NotFound", `{"status":"ERROR","error":"Not found","code":"not_found","request_id":"r"}`},
		{"code of another status", "NotFound", `{"status":"ERROR","error":{"code":"invalid_field","message":"m","request_id":"r"}}`},
		{"Authorize error without code", "AuthorizeUnauthorized", `{"status":"ERROR","error":"Invalid API Key","request_id":"r"}`},
		{"Authorize error with another status's code", "AuthorizeUnauthorized", `{"status":"ERROR","error":"Invalid API Key","code":"key_revoked","request_id":"r"}`},
		{"token without expiry", "Authorized", `{"success":true,"bearer_token":"t"}`},
	}
	for _, tt := range tests {
		var value any
		if err := json.Unmarshal([]byte(tt.example), &value); err != nil {
			t.Fatal(err)
		}
		if err := validateValue(media(tt.response).Schema.Value, value); err == nil {
			t.Errorf("%s: accepted, want it refused", tt.name)
		}
	}
}

// TestAuthorizeExamplesUseFatorasErrorShape: Authorize answers failures as
// Fatora documents them, error as a string; every other endpoint's error
// examples have error as an object. (Authorize's schema also allows the
// object, as older servers answered it, so the schema alone cannot tell.)
func TestAuthorizeExamplesUseFatorasErrorShape(t *testing.T) {
	doc := apitest.LoadOpenAPI(t)
	for _, o := range operations(doc) {
		authorize := strings.EqualFold(o.path, "/v1/Authorization/Authorize")
		for status, ref := range o.op.Responses.Map() {
			media := ref.Value.Content.Get("application/json")
			if media == nil || strings.HasPrefix(status, "2") {
				continue
			}
			for name, value := range mediaExamples(media) {
				body, _ := value.(map[string]any)
				_, isString := body["error"].(string)
				if isString != authorize {
					t.Errorf("%s %s, example %s: error is %T, want a string only on Authorize", o, status, name, body["error"])
				}
			}
		}
	}
}

// eachMedia calls f with every media type of the document that has a
// schema: of the operations' request bodies and answers, and of the
// components.
func eachMedia(doc *openapi3.T, f func(where string, media *openapi3.MediaType)) {
	content := func(where string, c openapi3.Content) {
		for mediaType, media := range c {
			if media.Schema != nil {
				f(where+" "+mediaType, media)
			}
		}
	}
	for _, o := range operations(doc) {
		if o.op.RequestBody != nil {
			content(o.String()+" request", o.op.RequestBody.Value.Content)
		}
		for status, ref := range o.op.Responses.Map() {
			content(o.String()+" "+status, ref.Value.Content)
		}
	}
	for name, ref := range doc.Components.Responses {
		content("components.responses."+name, ref.Value.Content)
	}
	for name, ref := range doc.Components.RequestBodies {
		content("components.requestBodies."+name, ref.Value.Content)
	}
}

// validateValue checks a decoded JSON value against a schema of the
// document, as JSON Schema 2020-12.
func validateValue(schema *openapi3.Schema, value any) error {
	return schema.VisitJSON(value, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors())
}
