package dashboard

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// lang is one language of the dashboard: its code, its direction and its
// messages.
type lang struct {
	Code string
	// Dir is the page's direction: "rtl" or "ltr".
	Dir      string
	messages map[string]string
}

// T returns the message key in the language, formatted with args (fmt
// verbs). A missing key shows itself, so a test can find it.
func (l lang) T(key string, args ...any) string {
	m, ok := l.messages[key]
	if !ok {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(m, args...)
	}
	return m
}

// Other is the language the page offers to switch to.
func (l lang) Other() lang {
	if l.Code == "ar" {
		return english
	}
	return arabic
}

var (
	english = lang{Code: "en", Dir: "ltr", messages: messagesEN}
	arabic  = lang{Code: "ar", Dir: "rtl", messages: messagesAR}
)

// langByCode is the language of a code, and whether there is one.
func langByCode(code string) (lang, bool) {
	switch code {
	case "en":
		return english, true
	case "ar":
		return arabic, true
	}
	return lang{}, false
}

// chooseLang picks the page's language: ?lang= when it names one, then the
// session's choice, then the browser's Accept-Language, then English.
func chooseLang(r *http.Request, sessionLang string) lang {
	if l, ok := langByCode(r.URL.Query().Get("lang")); ok {
		return l
	}
	if l, ok := langByCode(sessionLang); ok {
		return l
	}
	return acceptedLang(r.Header.Get("Accept-Language"))
}

// acceptedLang is the first of Arabic and English in an Accept-Language
// header, by quality then order; English when it names neither.
func acceptedLang(header string) lang {
	best, bestQ := english, 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if l, ok := langByCode(primary); ok && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// fieldMessages turn the domain's validation messages (validate.go) into
// Arabic: each pattern matches one message, its groups the numbers in it.
var fieldMessages = []struct {
	pattern *regexp.Regexp
	key     string
}{
	{regexp.MustCompile(`^is required and must not be blank$`), "err.blank"},
	{regexp.MustCompile(`^is not a valid e-mail address$`), "err.email"},
	{regexp.MustCompile(`^is not valid UTF-8$`), "err.utf8"},
	{regexp.MustCompile(`^must be at most (\d+) characters long \(it has (\d+)\)$`), "err.long"},
	{regexp.MustCompile(`^must not contain the control character (U\+[0-9A-F]+)$`), "err.control"},
	{regexp.MustCompile(`^must not contain the invisible formatting character (U\+[0-9A-F]+)$`), "err.format"},
}

// fieldMessage is the domain's message about a field, in l: the message
// itself in English, its translation in Arabic (or the English message
// when it has none).
func (l lang) fieldMessage(msg string) string {
	if l.Code == "en" {
		return msg
	}
	for _, fm := range fieldMessages {
		if m := fm.pattern.FindStringSubmatch(msg); m != nil {
			args := make([]any, len(m)-1)
			for i, g := range m[1:] {
				args[i] = g
			}
			return l.T(fm.key, args...)
		}
	}
	return msg
}
