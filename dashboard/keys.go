package dashboard

import (
	"net/http"
	"slices"
	"time"

	"github.com/fatora-oss/fatora"
	"github.com/fatora-oss/fatora/token"
)

// registerKeys adds the API keys page. A key is named by a form field,
// not the path: paths are matched in lower case, and a key id may not be.
func (s *Server) registerKeys(mux *http.ServeMux) {
	mux.Handle("GET /dashboard/keys", s.page(s.signedIn(s.listKeys)))
	mux.Handle("POST /dashboard/keys", s.page(s.signedIn(s.createKey)))
	mux.Handle("POST /dashboard/keys/revoke", s.page(s.signedIn(s.revokeKey)))
	mux.Handle("POST /dashboard/keys/rotate", s.page(s.signedIn(s.rotateKey)))
}

// keysData is the keys page's own.
type keysData struct {
	Keys []fatora.APIKey
	// Own is the id of the key the session began with.
	Own string
	// Secret is a key just made, shown this once.
	Secret string
	Now    time.Time
}

// modeKeys are the merchant's keys of the session's mode: a session sees
// and changes no key of the other mode.
func (s *Server) modeKeys(r *http.Request, v visit) ([]fatora.APIKey, error) {
	keys, err := s.Merchants.FindAPIKeys(r.Context(), v.cred.Merchant.ID)
	return slices.DeleteFunc(keys, func(k fatora.APIKey) bool { return k.Mode != v.cred.Session.Mode }), err
}

// showKeys renders the keys page with a secret and a notice.
func (s *Server) showKeys(w http.ResponseWriter, r *http.Request, v visit, secret, notice string) error {
	keys, err := s.modeKeys(r, v)
	if err != nil {
		return err
	}
	view := v.view(r, v.l.T("keys.title"), keysData{Keys: keys, Own: v.cred.Session.KeyID, Secret: secret, Now: s.Now()})
	view.Notice = notice
	return render(w, http.StatusOK, "keys.html", view)
}

// listKeys handles GET /dashboard/keys.
func (s *Server) listKeys(w http.ResponseWriter, r *http.Request, v visit) error {
	return s.showKeys(w, r, v, "", "")
}

// newKey stores a new key of the session's merchant and mode, and returns
// its value.
func (s *Server) newKey(r *http.Request, v visit) (string, error) {
	value := token.GenerateAPIKey(string(v.cred.Session.Mode))
	k := &fatora.APIKey{ID: token.NewID(), MerchantID: v.cred.Merchant.ID, Mode: v.cred.Session.Mode,
		Prefix: token.DisplayPrefix(value), Hash: token.HashAPIKey(value)}
	return value, s.Merchants.CreateAPIKey(r.Context(), k)
}

// createKey handles POST /dashboard/keys: a new key, shown once.
func (s *Server) createKey(w http.ResponseWriter, r *http.Request, v visit) error {
	value, err := s.newKey(r, v)
	if err != nil {
		return err
	}
	return s.showKeys(w, r, v, value, "")
}

// formKey is the key of the session's mode the form's id names.
// Errors: not_found.
func (s *Server) formKey(w http.ResponseWriter, r *http.Request, v visit) (fatora.APIKey, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return fatora.APIKey{}, fatora.Errorf(fatora.CodeMalformedRequest, "The form could not be read.")
	}
	keys, err := s.modeKeys(r, v)
	if err != nil {
		return fatora.APIKey{}, err
	}
	for _, k := range keys {
		if k.ID == r.PostForm.Get("id") {
			return k, nil
		}
	}
	return fatora.APIKey{}, fatora.MerchantKeyNotFound()
}

// revokeKey handles POST /dashboard/keys/revoke: the key and its tokens
// stop working (the session's own key too: the next page signs out).
func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request, v visit) error {
	k, err := s.formKey(w, r, v)
	if err != nil {
		return err
	}
	if err := s.Merchants.RevokeAPIKey(r.Context(), v.cred.Merchant.ID, k.ID); err != nil {
		return err
	}
	return s.showKeys(w, r, v, "", v.l.T("keys.revoked.done"))
}

// graces are the rotation's choices of how long the old key keeps working.
var graces = map[string]time.Duration{"0": 0, "1d": 24 * time.Hour, "7d": 7 * 24 * time.Hour}

// rotateKey handles POST /dashboard/keys/rotate: a new key, shown once,
// and the old one revoked after the grace chosen.
func (s *Server) rotateKey(w http.ResponseWriter, r *http.Request, v visit) error {
	old, err := s.formKey(w, r, v)
	if err != nil {
		return err
	}
	grace, ok := graces[r.PostForm.Get("grace")]
	if !ok {
		return fatora.Errorf(fatora.CodeInvalidField, "Choose how long the old key keeps working.")
	}
	value, err := s.newKey(r, v)
	if err != nil {
		return err
	}
	at := s.Now().Add(grace).UTC().Truncate(time.Second)
	if err := s.Merchants.ScheduleKeyRevocation(r.Context(), v.cred.Merchant.ID, old.ID, at); err != nil {
		return err
	}
	return s.showKeys(w, r, v, value, "")
}
