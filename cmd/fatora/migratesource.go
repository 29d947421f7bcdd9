package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/fatora-oss/fatora/sdk"
)

// sourcePages reads the clients of a source a page at a time, by page
// number, as Fatora documents its list (?page=&page_size=). Fatora does
// not document the paging members of its answers, so none is relied on:
// the end is an empty page, or a page shorter than one before it; a
// page_size or total_pages the source does give ends it sooner.
type sourcePages struct {
	clients *sdk.ClientsService
	size    int

	page     int     // the number of the last page read
	longest  int     // the most clients a page held
	previous []int64 // the ids of the last page read
	total    int     // the source's total_count, when it gives one
	ended    bool
}

// next reads the next page and returns its clients (none past the end)
// and whether it is the last.
func (p *sourcePages) next(ctx context.Context) ([]sdk.ClientRecord, bool, error) {
	if p.ended {
		return nil, true, nil
	}
	list, err := p.clients.List(ctx, sdk.ClientListParams{Page: p.page + 1, PageSize: p.size})
	if err != nil {
		return nil, false, p.explain(err)
	}
	p.page++
	recs := list.Clients
	if len(recs) == 0 {
		p.ended = true
		return nil, true, nil
	}
	if p.repeats(recs) {
		return nil, false, fmt.Errorf("the source answered page %d with the clients of page %d: it does not read ?page=", p.page, p.page-1)
	}
	p.ended = (list.PageSize > 0 && len(recs) < list.PageSize) || (list.TotalPages > 0 && p.page >= list.TotalPages) ||
		len(recs) < p.longest
	p.longest = max(p.longest, len(recs))
	p.total = list.TotalCount
	return recs, p.ended, nil
}

// repeats reports whether recs are the clients of the page read before,
// and remembers their ids for the next page.
func (p *sourcePages) repeats(recs []sdk.ClientRecord) bool {
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	same := len(ids) == len(p.previous)
	for i := 0; same && i < len(ids); i++ {
		same = ids[i] == p.previous[i]
	}
	p.previous = ids
	return same
}

// explain adds a hint to a page the source refused for its size.
func (p *sourcePages) explain(err error) error {
	if e, ok := errors.AsType[*sdk.Error](err); ok && e.HTTPStatus == http.StatusBadRequest {
		return fmt.Errorf("%w (the source refused page=%d&page_size=%d: try a smaller --page-size)", err, p.page+1, p.size)
	}
	return err
}
