package apitest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fatora-oss/fatora/api"
)

// OpenAPI returns api/openapi.json as kin-openapi reads it, loaded and
// checked once. It is OpenAPI 3.1: kin-openapi loads 3.1 and, for a 3.1
// document, openapi3filter validates bodies with its JSON Schema 2020-12
// validator, so no 3.0 copy is needed.
var OpenAPI = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("loading api/openapi.json: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("api/openapi.json is not a valid OpenAPI document: %w", err)
	}
	return doc, nil
})

// LoadOpenAPI is OpenAPI for a test, which fails if the document does not
// load.
func LoadOpenAPI(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
