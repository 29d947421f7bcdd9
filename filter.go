package fatora

import (
	"unicode/utf8"
)

// Normalize checks f and returns it in the form the stores match with:
// defaults filled in, Keyword folded (see Fold) and Email folded (see
// FoldEmail). It returns an invalid_query error for a value out of range.
func (f ClientFilter) Normalize() (ClientFilter, error) {
	if f.Page == 0 {
		f.Page = 1
	}
	if f.PageSize == 0 {
		f.PageSize = DefaultPageSize
	}
	if f.Page < 1 || f.Page > MaxPage {
		return f, Errorf(CodeInvalidQuery, "page must be a whole number from 1 to %d.", MaxPage)
	}
	if f.PageSize < 1 || f.PageSize > MaxPageSize {
		return f, Errorf(CodeInvalidQuery, "page_size must be a whole number from 1 to %d.", MaxPageSize)
	}
	if f.After < 0 || (f.After > 0 && f.Page != 1) {
		return f, Errorf(CodeInvalidQuery, "Give a cursor or a page number, not both.")
	}
	if f.Status != StatusLive && f.Status != StatusDeleted {
		return f, Errorf(CodeInvalidQuery, "status must be live or deleted.")
	}
	if err := f.checkOrder(); err != nil {
		return f, err
	}
	for _, p := range []struct{ name, value string }{{"keyword", f.Keyword}, {"email", f.Email}, {"cursor", f.AfterName}} {
		if err := checkQueryText(p.name, p.value); err != nil {
			return f, err
		}
	}
	var err error
	if f.Metadata, err = f.Metadata.normalize(); err != nil {
		return f, err
	}
	f.Keyword = Fold(f.Keyword)
	f.Email = FoldEmail(f.Email)
	return f, nil
}

// Offset is the number of matches before the page (none with a cursor).
func (f ClientFilter) Offset() int {
	if f.After > 0 {
		return 0
	}
	return (f.Page - 1) * f.PageSize
}

func checkQueryText(name, v string) error {
	if !utf8.ValidString(v) {
		return Errorf(CodeInvalidQuery, "%s is not valid UTF-8.", name)
	}
	if bad, ok := forbiddenControl(v, false); ok {
		return Errorf(CodeInvalidQuery, "%s must not contain the control character U+%04X.", name, bad)
	}
	if utf8.RuneCountInString(v) > MaxKeywordRunes {
		return Errorf(CodeInvalidQuery, "%s must be at most %d characters long.", name, MaxKeywordRunes)
	}
	return nil
}

// checkOrder refuses an order that is not one, a name order with a keyword
// (a search may match most clients, which would all be read to sort them)
// and a name cursor without the name order.
func (f ClientFilter) checkOrder() error {
	switch {
	case f.Order < OrderOldest || f.Order > OrderName:
		return Errorf(CodeInvalidQuery, "The list's order is not one of oldest, newest and name.")
	case f.Order == OrderName && f.Keyword != "":
		return Errorf(CodeInvalidQuery, "A keyword search is listed by date, not by name.")
	case f.AfterName != "" && (f.Order != OrderName || f.After == 0):
		return Errorf(CodeInvalidQuery, "A cursor's name goes with the name order and an id.")
	}
	return nil
}
