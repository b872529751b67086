package smooch

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// MaxLimit is the largest page the API returns.
const MaxLimit = 100

// ListOptions select a page of a paginated list (apps, service accounts).
type ListOptions struct {
	// Limit is the page size, 1 to 100; 0 lets the API choose (25).
	Limit int
	// Offset is the number of records to skip, 0 or more.
	Offset int
}

func (o ListOptions) validate(op operation) error {
	if o.Limit < 0 || o.Limit > MaxLimit {
		return &ValidationError{Subject: op.method, Field: "limit", Problem: "must be between 1 and 100 (or 0 for the API's default of 25)"}
	}
	if o.Offset < 0 {
		return &ValidationError{Subject: op.method, Field: "offset", Problem: "must be 0 or more"}
	}
	return nil
}

// values are the list's query parameters: those left at zero are the API's defaults and are not sent.
func (o ListOptions) values() url.Values {
	q := url.Values{}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.Offset > 0 {
		q.Set("offset", strconv.Itoa(o.Offset))
	}
	return q
}

// Page is one page of a paginated list.
type Page[T any] struct {
	// Items are the page's records.
	Items []T
	// HasMore reports whether records follow this page.
	HasMore bool
	// Offset is the offset of this page.
	Offset int
}

// NextOffset is the offset of the page after this one.
func (p *Page[T]) NextOffset() int { return p.Offset + len(p.Items) }

// paginate walks every page from start lazily, yielding each record; it stops at the first error (yielded
// once) or when the consumer stops. Each range over the sequence starts again from start and keeps its own
// offset, so the sequence may be ranged again, even concurrently.
func paginate[T any](ctx context.Context, start ListOptions, list func(context.Context, ListOptions) (*Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		opts := start
		for {
			page, err := list(ctx, opts)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
			// An empty page that claims more would loop forever: stop instead.
			if !page.HasMore || len(page.Items) == 0 {
				return
			}
			opts.Offset += len(page.Items)
		}
	}
}
