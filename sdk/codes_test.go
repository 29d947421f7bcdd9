package sdk_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fatora-oss/fatora/api"
	"github.com/google/go-cmp/cmp"
)

// TestCodesFollowTheAPIDescription holds the SDK's Code constants to the
// error codes of the API description, both ways: every code the API may
// answer has a constant, every constant is a code the API answers, and
// each constant is named after its code (CodeInvalidAPIKey for
// invalid_api_key).
func TestCodesFollowTheAPIDescription(t *testing.T) {
	documented := documentedCodes(t)
	constants := codeConstants(t)
	var values []string
	for name, value := range constants {
		values = append(values, value)
		if want := constantName(value); name != want {
			t.Errorf("%s = %q: want it named %s", name, value, want)
		}
	}
	slices.Sort(values)
	if diff := cmp.Diff(documented, values); diff != "" {
		t.Errorf("the SDK's codes differ from api/openapi.json's ErrorCode (-documented +sdk):\n%s", diff)
	}
}

// documentedCodes returns the enum of ErrorCode in the API description,
// sorted.
func documentedCodes(t testing.TB) []string {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas struct {
				ErrorCode struct {
					Enum []string `json:"enum"`
				} `json:"ErrorCode"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	codes := doc.Components.Schemas.ErrorCode.Enum
	if len(codes) == 0 {
		t.Fatal("api/openapi.json has no components.schemas.ErrorCode.enum")
	}
	slices.Sort(codes)
	return codes
}

// codeConstants returns the string constants named Code... that the
// package's source (its non-test files) declares, by name.
func codeConstants(t testing.TB) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == token.CONST {
				addCodeConstants(t, consts, gen)
			}
		}
	}
	if len(consts) == 0 {
		t.Fatal("no Code constants found in the package's source")
	}
	return consts
}

func addCodeConstants(t testing.TB, consts map[string]string, gen *ast.GenDecl) {
	t.Helper()
	for _, spec := range gen.Specs {
		vs := spec.(*ast.ValueSpec)
		for i, id := range vs.Names {
			if !strings.HasPrefix(id.Name, "Code") || i >= len(vs.Values) {
				continue
			}
			lit, ok := vs.Values[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s is not a string literal", id.Name)
				continue
			}
			consts[id.Name], _ = strconv.Unquote(lit.Value)
		}
	}
}

// constantName is the Go name of the constant for code: "Code" and the
// code's words capitalised, its initialisms in capitals.
func constantName(code string) string {
	name := "Code"
	for word := range strings.SplitSeq(code, "_") {
		switch word {
		case "api", "json":
			name += strings.ToUpper(word)
		default:
			name += strings.ToUpper(word[:1]) + word[1:]
		}
	}
	return name
}
