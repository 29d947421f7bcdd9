package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/fatora-oss/fatora"
)

// MaxBodyBytes is the largest request body accepted.
const MaxBodyBytes = 64 << 10

// acceptsJSON refuses, with 406, a request whose Accept header excludes
// JSON. No header, */* and application/* accept it.
func acceptsJSON(next handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		accept := r.Header.Values("Accept")
		if len(accept) > 0 && !acceptable(strings.Join(accept, ",")) {
			return fatora.Errorf(fatora.CodeNotAcceptable, "This API answers in application/json only; the Accept header excludes it.")
		}
		return next(w, r)
	}
}

// acceptable reports whether an Accept header value admits application/json
// with a non-zero quality.
func acceptable(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		mt, params, err := mime.ParseMediaType(part)
		if err != nil {
			continue
		}
		if q, err := strconv.ParseFloat(params["q"], 64); err == nil && q <= 0 {
			continue
		}
		if mt == "*/*" || mt == "application/*" || mt == "application/json" {
			return true
		}
	}
	return false
}

// readJSONBody returns the body of a request that must carry JSON: 415 for
// another media type (or a charset other than UTF-8), 413 past MaxBodyBytes.
func readJSONBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if err := checkContentType(r.Header.Get("Content-Type")); err != nil {
		return nil, err
	}
	if err := checkContentEncoding(r.Header.Values("Content-Encoding")); err != nil {
		return nil, err
	}
	if r.ContentLength > MaxBodyBytes {
		return nil, errTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, errTooLarge
	case err != nil:
		return nil, fatora.Errorf(fatora.CodeMalformedJSON, "The request body could not be read.")
	}
	return body, nil
}

var errTooLarge = fatora.Errorf(fatora.CodePayloadTooLarge, "The request body is larger than %d bytes.", MaxBodyBytes)

// checkContentType accepts the JSON media types ASP.NET reads:
// application/json, text/json and application/*+json, with no charset or
// UTF-8.
func checkContentType(ct string) error {
	mt, params, err := mime.ParseMediaType(ct)
	json := err == nil && isJSONMediaType(mt)
	if cs, ok := params["charset"]; json && ok && !strings.EqualFold(cs, "utf-8") {
		json = false
	}
	if !json {
		return fatora.Errorf(fatora.CodeUnsupportedMediaType,
			"Send the body as JSON with Content-Type: application/json (text/json and application/*+json are read too), in UTF-8.")
	}
	return nil
}

// isJSONMediaType reports whether mt, as mime.ParseMediaType returns it (in
// lower case), names JSON.
func isJSONMediaType(mt string) bool {
	sub, ok := strings.CutPrefix(mt, "application/")
	return mt == "text/json" || (ok && (sub == "json" || (strings.HasSuffix(sub, "+json") && len(sub) > len("+json"))))
}

// checkContentEncoding refuses a body sent compressed (any
// Content-Encoding but identity): bodies are small, and decoding one would
// need a limit on what it expands to. A body labelled gzip is never read
// as if it were plain.
func checkContentEncoding(codings []string) error {
	for _, v := range codings {
		for _, c := range strings.Split(v, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
				return fatora.Errorf(fatora.CodeUnsupportedMediaType,
					"Send the body uncompressed: Content-Encoding %q is not accepted.", c)
			}
		}
	}
	return nil
}
