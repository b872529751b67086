package clienttest_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// pagedApps serves total apps named app0…, honouring limit (default 25) and offset like the API.
func pagedApps(total int) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		limit, offset := 25, 0
		if v := r.URL.Query().Get("limit"); v != "" {
			limit, _ = strconv.Atoi(v)
		}
		if v := r.URL.Query().Get("offset"); v != "" {
			offset, _ = strconv.Atoi(v)
		}
		var items []string
		for i := offset; i < total && i < offset+limit; i++ {
			items = append(items, fmt.Sprintf(`{"_id":"id%d","name":"app%d"}`, i, i))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"apps":[%s],"hasMore":%t,"offset":%d}`, strings.Join(items, ","), offset+limit < total, offset)
	}
}

func TestAllWalksEveryPageLazily(t *testing.T) {
	f := newFakeAPI(t, pagedApps(7))
	c := newClient(t, f, accountCreds())
	var names []string
	for app, err := range c.Apps.All(context.Background(), &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 3}}) {
		require.NoError(t, err)
		names = append(names, app.Name)
	}
	assert.Equal(t, []string{"app0", "app1", "app2", "app3", "app4", "app5", "app6"}, names)
	var queries []string
	for _, r := range f.requests() {
		queries = append(queries, r.RawQuery)
	}
	assert.Equal(t, []string{"limit=3", "limit=3&offset=3", "limit=3&offset=6"}, queries)
}

func TestAllStopsWhenTheLoopBreaks(t *testing.T) {
	f := newFakeAPI(t, pagedApps(100))
	c := newClient(t, f, accountCreds())
	n := 0
	for _, err := range c.Apps.All(context.Background(), &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 10}}) {
		require.NoError(t, err)
		n++
		if n == 15 {
			break
		}
	}
	assert.Equal(t, 15, n)
	assert.Equal(t, 2, f.count(), "no page is fetched beyond need")
}

func TestAllStopsAtTheFirstError(t *testing.T) {
	pages := pagedApps(100)
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			answer(403, `{"error":{"code":"forbidden","description":"no"}}`)(w, r, n)
			return
		}
		pages(w, r, n)
	})
	c := newClient(t, f, accountCreds())
	var got, errs int
	for _, err := range c.Apps.All(context.Background(), nil) {
		if err != nil {
			errs++
			assert.True(t, smooch.IsForbidden(err))
			continue
		}
		got++
	}
	assert.Equal(t, 25, got)
	assert.Equal(t, 1, errs)
	assert.Equal(t, 2, f.count())
}

func TestServiceAccountsAll(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("offset") == "" {
			fmt.Fprint(w, `{"serviceAccounts":[{"_id":"s1","name":"a"},{"_id":"s2","name":"b"}],"hasMore":true,"offset":0}`)
			return
		}
		fmt.Fprint(w, `{"serviceAccounts":[{"_id":"s3","name":"c"}],"hasMore":false,"offset":2}`)
	})
	c := newClient(t, f, accountCreds())
	var ids []string
	for sa, err := range c.ServiceAccounts.All(context.Background(), nil) {
		require.NoError(t, err)
		ids = append(ids, sa.ID)
	}
	assert.Equal(t, []string{"s1", "s2", "s3"}, ids)
	assert.Equal(t, "offset=2", f.requests()[1].RawQuery)
}

func TestEmptyPageClaimingMoreEndsTheWalk(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"apps":[],"hasMore":true,"offset":0}`))
	c := newClient(t, f, accountCreds())
	for range c.Apps.All(context.Background(), nil) {
		t.Fatal("no apps")
	}
	assert.Equal(t, 1, f.count())
}

func TestListOptionsAreValidated(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{}`))
	c := newClient(t, f, accountCreds())
	ctx := context.Background()
	_, err := c.Apps.List(ctx, &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 101}})
	assert.EqualError(t, err, "smooch: Apps.List: limit must be between 1 and 100 (or 0 for the API's default of 25)")
	_, err = c.Apps.List(ctx, &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: -1}})
	assert.ErrorContains(t, err, "limit must be between 1 and 100")
	_, err = c.ServiceAccounts.List(ctx, &smooch.ListOptions{Offset: -5})
	assert.EqualError(t, err, "smooch: ServiceAccounts.List: offset must be 0 or more")
	// All checks its options too: it yields exactly one ValidationError and no record.
	yields := 0
	for sa, err := range c.ServiceAccounts.All(ctx, &smooch.ListOptions{Limit: 1000}) {
		yields++
		var ve *smooch.ValidationError
		assert.ErrorAs(t, err, &ve)
		assert.Zero(t, sa)
	}
	assert.Equal(t, 1, yields, "All yields its validation error once")
	assert.Zero(t, f.count())
}

// TestAllCanBeRangedAgain: an iter.Seq2 may be ranged more than once, even at the same time; each loop
// walks from the options' offset, sharing no state with the others.
func TestAllCanBeRangedAgain(t *testing.T) {
	f := newFakeAPI(t, pagedApps(7))
	c := newClient(t, f, accountCreds())
	all := c.Apps.All(context.Background(), &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 3, Offset: 1}})
	walk := func() []string {
		var names []string
		for app, err := range all {
			if err != nil {
				return append(names, err.Error())
			}
			names = append(names, app.Name)
		}
		return names
	}
	want := []string{"app1", "app2", "app3", "app4", "app5", "app6"}
	assert.Equal(t, want, walk())
	assert.Equal(t, want, walk(), "the second loop starts again from offset 1")

	results := make(chan []string)
	for range 4 {
		go func() { results <- walk() }()
	}
	for range 4 {
		assert.Equal(t, want, <-results)
	}

	sas := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("offset") == "" {
			fmt.Fprint(w, `{"serviceAccounts":[{"_id":"s1","name":"a"}],"hasMore":true,"offset":0}`)
			return
		}
		fmt.Fprint(w, `{"serviceAccounts":[{"_id":"s2","name":"b"}],"hasMore":false,"offset":1}`)
	})
	sc := newClient(t, sas, accountCreds())
	allSAs := sc.ServiceAccounts.All(context.Background(), nil)
	for range 2 {
		var ids []string
		for sa, err := range allSAs {
			require.NoError(t, err)
			ids = append(ids, sa.ID)
		}
		assert.Equal(t, []string{"s1", "s2"}, ids)
	}
}
