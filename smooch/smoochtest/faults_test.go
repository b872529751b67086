package smoochtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func TestFailNextStatus(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailNext("createApp", 2, smoochtest.Fault{Status: http.StatusServiceUnavailable})

	for range 2 {
		r, err := c.CreateAppWithResponse(ctx, gen.AppCreate{Name: "x"})
		if e := wantStatus(t, r, err, http.StatusServiceUnavailable); e.Code != "service_unavailable" {
			t.Errorf("fault body: %+v", e)
		}
		if r.JSON5XX == nil {
			t.Errorf("generated client did not decode the 5XX body")
		}
	}
	createApp(t, c, "third time lucky")
	// Other operations were never affected; faulted creates stored nothing.
	list, err := c.ListAppsWithResponse(ctx, nil)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.Apps) != 1 {
		t.Errorf("%d apps, want 1", len(list.JSON200.Apps))
	}
}

func TestFailNextRateLimit(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailNext("listApps", 1, smoochtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1", Description: "slow down"})
	r, err := c.ListAppsWithResponse(ctx, nil)
	e := wantStatus(t, r, err, http.StatusTooManyRequests)
	if e.Code != "too_many_requests" || e.Description != "slow down" || r.HTTPResponse.Header.Get("Retry-After") != "1" {
		t.Errorf("429: %+v, Retry-After %q", e, r.HTTPResponse.Header.Get("Retry-After"))
	}
	r, err = c.ListAppsWithResponse(ctx, nil)
	wantStatus(t, r, err, http.StatusOK)
}

func TestFailNextBeforeAuthAndValidation(t *testing.T) {
	// A fault stands for an overloaded front end: it answers even a request
	// that would have been refused.
	srv := newServer(t)
	srv.FailNext("getApp", 1, smoochtest.Fault{Status: http.StatusInternalServerError})
	r, err := client(t, srv, "").GetAppWithResponse(ctx, "whatever")
	if e := wantStatus(t, r, err, http.StatusInternalServerError); e.Code != "internal_server_error" {
		t.Errorf("%+v", e)
	}
}

func TestFailNextDelay(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailNext("listApps", 1, smoochtest.Fault{Delay: 80 * time.Millisecond})
	start := time.Now()
	r, err := c.ListAppsWithResponse(ctx, nil)
	wantStatus(t, r, err, http.StatusOK)
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("delayed call took %v", d)
	}
	start = time.Now()
	r, err = c.ListAppsWithResponse(ctx, nil)
	wantStatus(t, r, err, http.StatusOK)
	if d := time.Since(start); d > 60*time.Millisecond {
		t.Logf("undelayed call took %v (slow machine?)", d)
	}
}

func TestFailNextDropConnection(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailNext("createApp", 1, smoochtest.Fault{DropConnection: true})
	_, err := c.CreateAppWithResponse(ctx, gen.AppCreate{Name: "lost"})
	if err == nil {
		t.Fatal("dropped connection: no error")
	}
	createApp(t, c, "after")
}

func TestClearFaults(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailNext("listApps", 5, smoochtest.Fault{Status: http.StatusBadGateway})
	srv.ClearFaults()
	r, err := c.ListAppsWithResponse(ctx, nil)
	wantStatus(t, r, err, http.StatusOK)
}

func TestFailNextRejectsMisuse(t *testing.T) {
	srv := newServer(t)
	for name, call := range map[string]func(){
		"unknown operation": func() { srv.FailNext("createWidget", 1, smoochtest.Fault{Status: 503}) },
		"n zero":            func() { srv.FailNext("createApp", 0, smoochtest.Fault{Status: 503}) },
		"empty fault":       func() { srv.FailNext("createApp", 1, smoochtest.Fault{}) },
		"undeclared status": func() { srv.FailNext("getApp", 1, smoochtest.Fault{Status: http.StatusConflict}) },
		"not an error":      func() { srv.FailNext("getApp", 1, smoochtest.Fault{Status: http.StatusOK}) },
	} {
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(p.(string), "smoochtest") {
					t.Errorf("%s: panic %v", name, p)
				}
			}()
			call()
		}()
	}
}
