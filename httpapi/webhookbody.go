package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/fatora-oss/fatora"
)

// decodeStrict reads a JSON body of the API's own resources (webhook
// endpoints, resends) into v, a struct of pointer members: one object,
// valid UTF-8, no member that v lacks, nothing after it. Member names match
// in any letter case, as for clients.
func decodeStrict(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	if !utf8.Valid(body) {
		return fatora.Errorf(fatora.CodeMalformedJSON, "The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return fatora.Errorf(fatora.CodeMalformedJSON, "The request body must be a JSON object.")
	}
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fatora.Errorf(fatora.CodeMalformedJSON, "The request body must hold one JSON object and nothing after it.")
	}
	return nil
}

// decodeError maps an encoding/json error to the API's codes.
func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		msg := "has the wrong type"
		return &fatora.Error{Code: fatora.CodeInvalidField, Message: typeErr.Field + " " + msg + ".",
			Fields: []fatora.FieldError{{Field: typeErr.Field, Message: msg}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &fatora.Error{Code: fatora.CodeUnknownField, Message: "The member " + name + " is not known here.",
			Fields: []fatora.FieldError{{Field: name, Message: "is not known here"}}}
	}
	return fatora.Errorf(fatora.CodeMalformedJSON, "The request body is not one well-formed JSON object.")
}
