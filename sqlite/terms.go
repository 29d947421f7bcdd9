package sqlite

import (
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"modernc.org/sqlite"

	"github.com/fatora-oss/fatora"
)

// The search index (client_terms, migration 0010) holds each client's
// terms (fatora.SearchTerms) as ASCII tokens: the tenant (merchant id, then
// t or l for the mode), then the term's UTF-8 in hex. FTS5 keeps one
// posting list per token, so a tenant's search reads only its own lists.

// init registers search_terms(merchant_id, mode, search_text), the tokens
// of a client separated by spaces, with a space before the first and after
// the last; SQLite connections the driver opens from then on know it.
func init() {
	err := sqlite.RegisterDeterministicScalarFunction("search_terms", 3,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			id, ok1 := args[0].(int64)
			mode, ok2 := args[1].(string)
			text, ok3 := args[2].(string)
			if !ok1 || !ok2 || !ok3 {
				return nil, fmt.Errorf("search_terms takes a merchant id, a mode and a text")
			}
			return termsText(fatora.Scope{MerchantID: id, Mode: fatora.Mode(mode)}, text), nil
		})
	if err != nil {
		panic(err)
	}
}

// termsText is what search_terms returns. It runs in the single writer on
// every create, so it builds the text in one buffer.
func termsText(scope fatora.Scope, text string) string {
	terms := fatora.SearchTerms(text)
	prefix := tenantPrefix(scope)
	buf := make([]byte, 0, 1+len(terms)*(len(prefix)+2*8+1))
	buf = append(buf, ' ')
	for _, t := range terms {
		buf = appendToken(buf, prefix, t)
		buf = append(buf, ' ')
	}
	return string(buf)
}

// tenantPrefix is what every token of scope's terms starts with.
func tenantPrefix(scope fatora.Scope) []byte {
	return append(strconv.AppendInt(nil, scope.MerchantID, 10), string(scope.Mode)[0])
}

// appendToken appends the index token of a tenant's term: its prefix,
// then the term's UTF-8 in hex.
func appendToken(buf, prefix []byte, term string) []byte {
	return hex.AppendEncode(append(buf, prefix...), []byte(term))
}

// token is the index token of a tenant's term.
func token(scope fatora.Scope, term string) string {
	return string(appendToken(nil, tenantPrefix(scope), term))
}

// keywordSearch is how a list query finds a keyword's matches (see
// fatora.KeywordForms).
type keywordSearch struct {
	forms []fatora.KeywordForm
	scope fatora.Scope
}

// match returns the FTS5 query of the forms: each form's tokens together,
// any form.
func (k keywordSearch) match() string {
	ors := make([]string, len(k.forms))
	for i, f := range k.forms {
		ands := make([]string, len(f.Terms))
		for j, t := range f.Terms {
			ands[j] = `"` + token(k.scope, t) + `"`
		}
		ors[i] = "(" + strings.Join(ands, " AND ") + ")"
	}
	return strings.Join(ors, " OR ")
}

// substrings returns the condition that the client named alias holds one
// of the forms' substrings, and its arguments; "" when the forms have none
// (a short keyword, which the index alone decides).
func (k keywordSearch) substrings(alias string) (string, []any) {
	var conds []string
	var args []any
	for _, f := range k.forms {
		if f.Substring != "" {
			conds, args = append(conds, "instr("+alias+".search_text, ?) > 0"), append(args, f.Substring)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// exact returns the condition that the client named alias matches, read
// from its text rather than the index, and its arguments.
func (k keywordSearch) exact(alias string) (string, []any) {
	if cond, args := k.substrings(alias); cond != "" {
		return cond, args
	}
	var conds []string
	var args []any
	for _, f := range k.forms {
		for _, t := range f.Terms {
			conds = append(conds, "instr(search_terms("+alias+".merchant_id, "+alias+".mode, "+alias+".search_text), ?) > 0")
			args = append(args, " "+token(k.scope, t)+" ")
		}
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}
