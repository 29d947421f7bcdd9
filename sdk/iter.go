package sdk

import (
	"context"
	"iter"
)

// allPageSize is the page size All asks for unless told otherwise: the
// server's largest.
const allPageSize = 100

// All returns every client matching p, following the pages from p.Cursor,
// or else from p.Page (1 if zero), with p.PageSize (100 if zero) a page. An
// error is yielded once, and ends the sequence. Pages are read as the loop
// needs them; breaking out reads no more.
//
// When the server gives a next_cursor (this module's server does), All
// follows it: a client deleted while the loop runs then shifts no other
// out of the sequence. Otherwise (Fatora's own API) it asks for the next
// page number until a short page or the last page (by total_pages), and a
// client deleted meanwhile can shift a later one onto a page already read,
// which is then missed.
func (s *ClientsService) All(ctx context.Context, p ClientListParams) iter.Seq2[ClientRecord, error] {
	if p.Page <= 0 && p.Cursor == "" {
		p.Page = 1
	}
	if p.PageSize <= 0 {
		p.PageSize = allPageSize
	}
	return func(yield func(ClientRecord, error) bool) {
		for q := p; ; {
			page, err := s.List(ctx, q)
			if err != nil {
				yield(ClientRecord{}, err)
				return
			}
			for _, c := range page.Clients {
				if !yield(c, nil) {
					return
				}
			}
			next, ok := nextPage(q, page)
			if !ok {
				return
			}
			q = next
		}
	}
}

// nextPage returns the parameters of the page after page, read with q, and
// false when page is the last.
func nextPage(q ClientListParams, page *ClientList) (ClientListParams, bool) {
	switch {
	case page.NextCursor != "":
		q.Page, q.Cursor = 0, page.NextCursor
		return q, true
	case q.Cursor != "" || lastPage(q, page):
		return q, false // a server that gives cursors gives one while more follow
	}
	q.Page++
	return q, true
}

// lastPage reports whether page, read with q, is the last: shorter than its
// page size (the server's, if it says), or numbered total_pages or more.
func lastPage(q ClientListParams, page *ClientList) bool {
	size := page.PageSize
	if size <= 0 {
		size = q.PageSize
	}
	return len(page.Clients) < size || (page.TotalPages > 0 && q.Page >= page.TotalPages)
}
