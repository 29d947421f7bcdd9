package dashboard

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fatora-oss/fatora"
)

// Session cookie names: over HTTPS the __Host- prefix, which browsers keep
// to this host and path / and only with Secure; over plain HTTP to this
// machine (http://localhost:8080, where Secure cookies are not kept
// everywhere) a plain name without Secure.
const (
	secureCookie = "__Host-fatora_session"
	plainCookie  = "fatora_session"
)

// secureRequest reports whether the session cookie is to be Secure: always
// but for a plain HTTP request to a loopback host. A server reached over
// plain HTTP under another name gets a Secure cookie the browser drops:
// sign-in fails there rather than send the cookie in the clear.
func secureRequest(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

func cookieName(r *http.Request) string {
	if secureRequest(r) {
		return secureCookie
	}
	return plainCookie
}

// newToken returns a fresh random token (256 bits, URL-safe) and the
// SHA-256 the store keeps of it.
func newToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// setSessionCookie gives the browser the session's token: HttpOnly,
// SameSite=Lax, for every path, Secure over HTTPS, and without Max-Age
// (the server ends the session; the cookie lives as long as the browser).
func setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: token, Path: "/", HttpOnly: true,
		Secure: secureRequest(r), SameSite: http.SameSiteLaxMode})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: secureRequest(r), SameSite: http.SameSiteLaxMode})
}

// sessionToken is the session token the request's cookie carries, or "".
func sessionToken(r *http.Request) string {
	c, err := r.Cookie(cookieName(r))
	if err != nil || len(c.Value) > 100 {
		return ""
	}
	return c.Value
}

// session returns the request's live session: its cookie names a session
// that has not ended, whose key is not revoked and merchant not disabled.
// Errors: unauthorized, key_revoked, merchant_disabled, unavailable.
func (s *Server) session(r *http.Request) (*fatora.SessionCredential, error) {
	token := sessionToken(r)
	if token == "" {
		return nil, fatora.SessionEnded()
	}
	cred, err := s.Sessions.FindSession(r.Context(), hashToken(token))
	if err != nil {
		return nil, err
	}
	if err := cred.Check(s.Now()); err != nil {
		return nil, err
	}
	return &cred, nil
}

// sessionLang is the language a session chose; "" without a session.
func sessionLang(cred *fatora.SessionCredential) string {
	if cred == nil {
		return ""
	}
	return cred.Session.Lang
}

// visit is one signed-in request: its session and language.
type visit struct {
	cred *fatora.SessionCredential
	l    lang
}

// view is the page of the visit titled title, with its own data.
func (v visit) view(r *http.Request, title string, data any) *view {
	return newView(r, v.l, v.cred, title, data)
}

// signedIn lets only a request with a live session through to h, in the
// session's scope and through its merchant's rate limit. Any other goes to
// the sign-in page, its cookie cleared; a session that ended because its
// key was revoked or its merchant disabled is deleted.
func (s *Server) signedIn(h func(w http.ResponseWriter, r *http.Request, v visit) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		cred, err := s.session(r)
		switch code := fatora.ErrorCode(err); {
		case code == fatora.CodeKeyRevoked || code == fatora.CodeMerchantDisabled || code == fatora.CodeUnauthorized:
			if token := sessionToken(r); token != "" {
				if derr := s.Sessions.DeleteSession(r.Context(), hashToken(token)); derr != nil {
					return derr
				}
				clearSessionCookie(w, r)
				return redirect(w, r, "/dashboard/login?ended=1")
			}
			return redirect(w, r, "/dashboard/login")
		case err != nil:
			return err
		}
		if err := s.Guard.Admit(w, cred.Scope(), cred.Session.KeyID); err != nil {
			return err
		}
		v := visit{cred: cred, l: chooseLang(r, cred.Session.Lang)}
		s.touch(r, cred, v.l)
		return h(w, r.WithContext(fatora.WithScope(r.Context(), cred.Scope())), v)
	}
}

// touch writes down that the session was seen, when it was long enough
// ago (fatora.SessionTouchEvery), and a language chosen with ?lang=. A
// failure is logged: the page is still served.
func (s *Server) touch(r *http.Request, cred *fatora.SessionCredential, l lang) {
	lang := ""
	if r.URL.Query().Get("lang") == l.Code && l.Code != cred.Session.Lang {
		lang = l.Code
	}
	now := s.Now()
	if lang == "" && !cred.Session.NeedsTouch(now) {
		return
	}
	if err := s.Sessions.TouchSession(r.Context(), cred.Session.TokenHash, now, lang); err != nil {
		s.Logger.WarnContext(r.Context(), "dashboard: writing down a session's use", "error", err.Error())
	}
}

// loginData is the sign-in page's own.
type loginData struct {
	// Link is a one-time link's token, when the page was opened from one.
	Link string
	// KeyError says why the key given was refused.
	KeyError string
}

// loginPage handles GET /dashboard/login: the sign-in form, or with
// ?link= the button that signs in with a one-time link.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	l := chooseLang(r, "")
	v := newView(r, l, nil, l.T("signin.title"), loginData{Link: r.URL.Query().Get("link")})
	switch {
	case r.URL.Query().Has("ended"):
		v.Problem = l.T("signin.ended")
	case r.URL.Query().Has("out"):
		v.Notice = l.T("signin.out")
	}
	return render(w, http.StatusOK, "login.html", v)
}

// maxFormBytes bounds a form's body (an import's file has its own bound).
const maxFormBytes = 64 << 10

// login handles POST /dashboard/login: an API key (api_key) or a one-time
// link's token (link) begins a session, and the browser goes to the
// clients. A refused key shows the form again with the reason.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return fatora.Errorf(fatora.CodeMalformedRequest, "The form could not be read.")
	}
	l, _ := langByCode(r.PostForm.Get("lang"))
	if l.Code == "" {
		l = chooseLang(r, "")
	}
	now := s.Now().UTC().Truncate(time.Microsecond)
	token, hash := newToken()
	sess := fatora.Session{TokenHash: hash, CreatedAt: now, LastSeenAt: now, Lang: r.PostForm.Get("lang"),
		UserAgent: loggableUserAgent(r.UserAgent())}
	if _, ok := langByCode(sess.Lang); !ok {
		sess.Lang = ""
	}
	var err error
	if link := r.PostForm.Get("link"); link != "" {
		err = s.Sessions.RedeemSignInLink(r.Context(), hashToken(link), &sess)
	} else {
		err = s.signInWithKey(r, &sess)
	}
	if err != nil {
		return s.loginRefused(w, r, l, err)
	}
	setSessionCookie(w, r, token)
	return redirect(w, r, "/dashboard/clients")
}

// signInWithKey checks the form's api_key and stores sess for its
// merchant, mode and key.
func (s *Server) signInWithKey(r *http.Request, sess *fatora.Session) error {
	cred, err := s.Guard.SignIn(r, strings.TrimSpace(r.PostForm.Get("api_key")))
	if err != nil {
		return err
	}
	sess.MerchantID, sess.Mode, sess.KeyID = cred.Merchant.ID, cred.Key.Mode, cred.Key.ID
	return s.Sessions.CreateSession(r.Context(), *sess)
}

// loginRefused shows the sign-in form again, saying why it was refused.
func (s *Server) loginRefused(w http.ResponseWriter, r *http.Request, l lang, err error) error {
	status := s.Guard.ErrorStatus(err)
	if status >= 500 {
		return err
	}
	if e, ok := err.(*fatora.Error); ok && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", wholeSeconds(e.RetryAfter))
	}
	key := "signin.err." + fatora.ErrorCode(err)
	if _, ok := l.messages[key]; !ok {
		key = "signin.err.invalid_api_key"
	}
	v := newView(r, l, nil, l.T("signin.title"), loginData{Link: r.PostForm.Get("link"), KeyError: l.T(key)})
	return render(w, status, "login.html", v)
}

// logout handles POST /dashboard/logout: the session ends.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if token := sessionToken(r); token != "" {
		if err := s.Sessions.DeleteSession(r.Context(), hashToken(token)); err != nil {
			return err
		}
	}
	clearSessionCookie(w, r)
	return redirect(w, r, "/dashboard/login?out=1")
}

// maxUserAgent caps the User-Agent a session keeps, in bytes.
const maxUserAgent = 200

// loggableUserAgent is ua as valid UTF-8 without NUL, cut to maxUserAgent
// bytes on a character boundary.
func loggableUserAgent(ua string) string {
	ua = strings.ReplaceAll(strings.ToValidUTF8(ua, ""), "\x00", "")
	if len(ua) <= maxUserAgent {
		return ua
	}
	cut := maxUserAgent
	for cut > 0 && !utf8.RuneStart(ua[cut]) {
		cut--
	}
	return ua[:cut]
}

// NewSignInLink makes a one-time sign-in link for a merchant's mode, good
// until now plus fatora.SignInLinkTTL: the row to store, and the token its
// address carries (see LinkURL).
func NewSignInLink(merchantID int64, mode fatora.Mode, now time.Time) (token string, link fatora.SignInLink) {
	token, hash := newToken()
	return token, fatora.SignInLink{TokenHash: hash, MerchantID: merchantID, Mode: mode,
		ExpiresAt: now.UTC().Truncate(time.Microsecond).Add(fatora.SignInLinkTTL)}
}

// LinkURL is the address of a sign-in link's page on the server at base
// (such as http://127.0.0.1:8080).
func LinkURL(base, token string) string {
	return strings.TrimRight(base, "/") + "/dashboard/login?link=" + token
}
