package clienttest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// TestAllHoldsOnePageAtATime ranges over 200 pages of 100 apps with 1 KiB names (about 20 MiB of apps in
// all) and measures the live heap as the loop goes: it stays flat, far below what keeping the pages would
// take, because All fetches a page only when the loop needs it and keeps nothing of the pages before.
func TestAllHoldsOnePageAtATime(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (measures the heap over thousands of pages): make test-e2e runs it")
	}
	const pages, perPage = 200, 100
	filler := strings.Repeat("x", 1024)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		var b strings.Builder
		b.WriteString(`{"apps":[`)
		for i := range perPage {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"_id":"%024d","name":"%s"}`, offset+i, filler)
		}
		fmt.Fprintf(&b, `],"hasMore":%t,"offset":%d}`, offset+perPage < pages*perPage, offset)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	c, err := smooch.New(smooch.AccountKey(accountKeyID, testSecret), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)

	liveHeap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := liveHeap()
	var peak uint64
	n := 0
	for app, err := range c.Apps.All(context.Background(), &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: perPage}}) {
		require.NoError(t, err)
		require.Len(t, app.Name, len(filler))
		n++
		if n%(10*perPage) == 0 { // every 10 pages
			if h := liveHeap(); h > peak {
				peak = h
			}
		}
	}
	assert.Equal(t, pages*perPage, n)
	growth := int64(peak) - int64(base)
	t.Logf("live heap grew by at most %d KiB while ranging over %d MiB of apps", growth>>10, pages*perPage*len(filler)>>20)
	assert.Less(t, growth, int64(4<<20), "the loop keeps pages it has passed")
}
