package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/api"
)

func TestEmbeddedDocument(t *testing.T) {
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Info    map[string]any `json:"info"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") || doc.Info["title"] == nil || len(doc.Paths) == 0 {
		t.Errorf("openapi.json: openapi %q, info %v, %d paths", doc.OpenAPI, doc.Info, len(doc.Paths))
	}
}

func TestCopiesAreTheCallers(t *testing.T) {
	first := api.OpenAPI()
	first[0] = 'x'
	if api.OpenAPI()[0] != '{' {
		t.Error("changing a returned document changed the embedded one")
	}
	page := api.DocsPage()
	if !strings.HasPrefix(string(page), "<!doctype html>") {
		t.Errorf("docs.html starts %q", page[:20])
	}
}
