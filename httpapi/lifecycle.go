package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/fatora-oss/fatora"
)

// restoreClient handles POST /v1/clients/{id}/restore: a client deleted
// within the retention period comes back (200 with the client); a live
// client holding its data by then refuses it (409 naming that client). A
// body, if any, must be an empty object.
func (s *Server) restoreClient(w http.ResponseWriter, r *http.Request) error {
	id, err := clientID(r)
	if err != nil {
		return err
	}
	if r.ContentLength != 0 {
		var empty struct{}
		if err := decodeStrict(w, r, &empty); err != nil {
			return err
		}
	}
	return s.change(w, r, nil, renderClient(http.StatusOK), func(ctx context.Context) (fatora.Client, error) {
		return s.Clients.RestoreClient(ctx, id)
	})
}

// permanentParam reads the query of a delete: nothing, or permanent=true
// or false. Any other parameter is refused rather than ignored.
func permanentParam(rawQuery string) (bool, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return false, fatora.Errorf(fatora.CodeInvalidQuery, "The query string is malformed.")
	}
	permanent := false
	for name, vals := range q {
		if !strings.EqualFold(name, "permanent") || len(vals) > 1 {
			return false, fatora.Errorf(fatora.CodeInvalidQuery, "A delete takes one parameter, permanent=true or false.")
		}
		switch strings.ToLower(vals[0]) {
		case "true":
			permanent = true
		case "false", "":
		default:
			return false, fatora.Errorf(fatora.CodeInvalidQuery, "permanent must be true or false.")
		}
	}
	return permanent, nil
}

// clientStatus reads the status parameter of a client list.
func clientStatus(v string) (fatora.ClientStatus, error) {
	switch strings.ToLower(v) {
	case "", "live":
		return fatora.StatusLive, nil
	case "deleted":
		return fatora.StatusDeleted, nil
	}
	return 0, fatora.Errorf(fatora.CodeInvalidQuery, "status must be live or deleted.")
}

// metadataParam reads the key of a metadata[KEY] parameter (its prefix in
// any letter case, the key as sent: keys are case-sensitive).
func metadataParam(name string) (string, bool) {
	const prefix = "metadata["
	if len(name) <= len(prefix) || !strings.EqualFold(name[:len(prefix)], prefix) || !strings.HasSuffix(name, "]") {
		return "", false
	}
	return name[len(prefix) : len(name)-1], true
}

// setMetadataParam adds the filter metadata[key]=value, once.
func setMetadataParam(f *fatora.ClientFilter, key string, vals []string) error {
	if _, dup := f.Metadata[key]; dup || len(vals) > 1 {
		return fatora.Errorf(fatora.CodeInvalidQuery, "The parameter metadata[%s] is given more than once.", key)
	}
	if f.Metadata == nil {
		f.Metadata = fatora.MetadataFilter{}
	}
	f.Metadata[key] = vals[0]
	return nil
}
