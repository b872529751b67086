package smoochtest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// What the fake costs a test suite. `make bench` runs these.

// BenchmarkServeGetApp is a validated GET app (routing, JWT check, contract validation, the handler), from
// several goroutines over keep-alive connections; ops/s is the fake's throughput on this machine.
func BenchmarkServeGetApp(b *testing.B) {
	srv := smoochtest.NewServer()
	b.Cleanup(srv.Close)
	key := srv.AccountKey()
	c, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL), smooch.WithMaxRetries(0),
		smooch.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}))
	if err != nil {
		b.Fatal(err)
	}
	app, err := c.Apps.Create(context.Background(), smooch.AppCreate{Name: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetParallelism(4)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Apps.Get(context.Background(), app.ID); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "ops/s")
}

// BenchmarkFakeHandler compares, in process (no network), the fake's handler on a GET app with a bare
// handler that only writes the same answer: the difference is what contract validation, authentication and
// routing cost per request.
func BenchmarkFakeHandler(b *testing.B) {
	srv := smoochtest.NewUnstartedServer()
	key := srv.AccountKey()
	token := srv.AccountJWT()
	h := srv.Handler()
	create := httptest.NewRequest(http.MethodPost, "/v1/apps", strings.NewReader(`{"name":"bench"}`))
	create.Header.Set("Authorization", "Bearer "+token)
	create.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, create)
	if w.Code != http.StatusCreated {
		b.Fatalf("create: %d %s (key %s)", w.Code, w.Body, key.ID)
	}
	body := w.Body.String()
	appID := body[strings.Index(body, `"_id":"`)+7:][:24]
	answer := []byte(`{"app":{"_id":"` + appID + `","name":"bench"}}`)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	})
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{{"handler=bare", bare}, {"handler=smoochtest", h}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, "/v1/apps/"+appID, nil)
				r.Header.Set("Authorization", "Bearer "+token)
				w := httptest.NewRecorder()
				tc.h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}

// BenchmarkListAppsPage lists the first page of 25 apps with 100, 1,000 and 10,000 apps on the account: the
// cost per page must not grow with the account.
func BenchmarkListAppsPage(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("apps=%d", n), func(b *testing.B) {
			srv := smoochtest.NewUnstartedServer()
			h, token := srv.Handler(), srv.AccountJWT()
			seedApps(b, h, token, n)
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodGet, "/v1/apps?limit=25&offset=50", nil)
				r.Header.Set("Authorization", "Bearer "+token)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}

func seedApps(tb testing.TB, h http.Handler, token string, n int) {
	tb.Helper()
	for i := range n {
		r := httptest.NewRequest(http.MethodPost, "/v1/apps", strings.NewReader(fmt.Sprintf(`{"name":"app %d"}`, i)))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusCreated {
			tb.Fatalf("seed app %d: %d %s", i, w.Code, w.Body)
		}
	}
}

// BenchmarkProvisionUnder429s creates 1,000 apps from 16 goroutines through the smooch client while one
// request in 20 (5%) is refused with 429 before reaching the fake. Every app must be created exactly once
// and none lost; it reports the wall time of the whole run and the requests per second.
func BenchmarkProvisionUnder429s(b *testing.B) {
	for b.Loop() {
		res := provision(b, 1000, 16, 20)
		b.ReportMetric(res.wall.Seconds(), "s/run")
		b.ReportMetric(float64(res.requests)/res.wall.Seconds(), "req/s")
	}
}

type provisionResult struct {
	wall     time.Duration
	requests int64
}

// provision creates n apps named uniquely from workers goroutines through one smooch client against a fake
// that answers 429 to every every-th request, and checks that the fake holds each app exactly once.
func provision(tb testing.TB, n, workers, every int) provisionResult {
	tb.Helper()
	srv := smoochtest.NewUnstartedServer()
	var requests, refused atomic.Int64
	inner := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1)%int64(every) == 0 {
			refused.Add(1)
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"error":{"code":"too_many_requests","description":"Rate limit exceeded"}}`)
			return
		}
		inner.ServeHTTP(w, r)
	}))
	defer ts.Close()
	key := srv.AccountKey()
	c, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(ts.URL),
		smooch.WithMaxRetries(5), smooch.WithBackoff(time.Millisecond, 10*time.Millisecond),
		smooch.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}))
	if err != nil {
		tb.Fatal(err)
	}
	names := make(chan string, n)
	for i := range n {
		names <- fmt.Sprintf("customer-%04d", i)
	}
	close(names)
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range workers {
		wg.Go(func() {
			for name := range names {
				if _, err := c.Apps.Create(context.Background(), smooch.AppCreate{Name: name}); err != nil {
					failed.Add(1)
					tb.Errorf("create %s: %v", name, err)
				}
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)

	seen := map[string]int{}
	for app, err := range c.Apps.All(context.Background(), &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 100}}) {
		if err != nil {
			tb.Fatal(err)
		}
		seen[app.Name]++
	}
	if len(seen) != n || failed.Load() != 0 {
		tb.Fatalf("%d distinct apps for %d creates (%d failed)", len(seen), n, failed.Load())
	}
	for name, count := range seen {
		if count != 1 {
			tb.Fatalf("%s created %d times", name, count)
		}
	}
	if refused.Load() == 0 {
		tb.Fatal("no 429 was injected: the run proves nothing")
	}
	return provisionResult{wall: wall, requests: requests.Load()}
}

// TestProvisioningUnder429sCreatesEachAppOnce is the guard the benchmark above measures: with one request in
// 20 refused with 429, every app is created exactly once and none is lost.
func TestProvisioningUnder429sCreatesEachAppOnce(t *testing.T) {
	provision(t, 200, 8, 20)
}
