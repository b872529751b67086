package smoochtest_test

import (
	"context"
	"errors"
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
		r, err := c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "x"})
		if e := wantStatus(t, r, err, http.StatusServiceUnavailable); e.Code != "service_unavailable" {
			t.Errorf("fault body: %+v", e)
		}
		if r.JSON5XX == nil {
			t.Errorf("generated client did not decode the 5XX body")
		}
	}
	if n := srv.PendingFaults("createApp"); n != 0 {
		t.Errorf("%d faults left after two calls", n)
	}
	createApp(t, c, "third time lucky")
	// Other operations were never affected; faulted creates stored nothing.
	list, err := c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, list, err, http.StatusOK)
	if len(list.JSON200.Apps) != 1 {
		t.Errorf("%d apps, want 1", len(list.JSON200.Apps))
	}
}

func TestFailNextRateLimit(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailNext("listApps", 1, smoochtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1", Description: "slow down"})
	r, err := c.ListAppsWithResponse(ctx, v1, nil)
	e := wantStatus(t, r, err, http.StatusTooManyRequests)
	if e.Code != "too_many_requests" || e.Description != "slow down" || r.HTTPResponse.Header.Get("Retry-After") != "1" {
		t.Errorf("429: %+v, Retry-After %q", e, r.HTTPResponse.Header.Get("Retry-After"))
	}
	r, err = c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, r, err, http.StatusOK)

	// A server in maintenance may send Retry-After with a 503 as well.
	srv.FailNext("listApps", 1, smoochtest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "2"})
	r, err = c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, r, err, http.StatusServiceUnavailable)
	if got := r.HTTPResponse.Header.Get("Retry-After"); got != "2" {
		t.Errorf("503 Retry-After = %q, want 2", got)
	}
}

func TestFailNextBeforeAuthAndValidation(t *testing.T) {
	// A fault stands for an overloaded front end: it answers even a request
	// that would have been refused.
	srv := newServer(t)
	srv.FailNext("getApp", 1, smoochtest.Fault{Status: http.StatusInternalServerError})
	r, err := client(t, srv, "").GetAppWithResponse(ctx, v1, "whatever")
	if e := wantStatus(t, r, err, http.StatusInternalServerError); e.Code != "internal_server_error" {
		t.Errorf("%+v", e)
	}
}

func TestFailNextDelay(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailNext("listApps", 1, smoochtest.Fault{Delay: 80 * time.Millisecond})
	start := time.Now()
	r, err := c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, r, err, http.StatusOK)
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("delayed call took %v", d)
	}
	start = time.Now()
	r, err = c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, r, err, http.StatusOK)
	if d := time.Since(start); d > 60*time.Millisecond {
		t.Logf("undelayed call took %v (slow machine?)", d)
	}
}

// A client that gives up during a Delay is not served: the call neither
// runs nor holds the server, which Close (waiting for every request, like
// httptest's) proves by returning at once.
func TestFailNextDelayEndsWithTheClient(t *testing.T) {
	srv := smoochtest.NewServer(smoochtest.WithoutWebhookVerification())
	defer srv.Close()
	c := accountClient(t, srv)
	srv.FailNext("createApp", 1, smoochtest.Fault{Delay: time.Hour})
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := c.CreateAppWithResponse(short, v1, gen.AppCreate{Name: "never"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("delayed create: %v, want the client's deadline", err)
	}
	list, err := c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, list, err, http.StatusOK)
	if n := len(list.JSON200.Apps); n != 0 {
		t.Errorf("the abandoned create made %d apps", n)
	}

	// A request still held by a Delay when Close is called ends with it.
	srv.FailNext("listApps", 1, smoochtest.Fault{Delay: time.Hour})
	done := make(chan error, 1)
	go func() {
		_, err := c.ListAppsWithResponse(ctx, v1, nil)
		done <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); srv.PendingFaults("listApps") > 0; {
		if time.Now().After(deadline) {
			t.Fatal("the delayed call never arrived")
		}
		time.Sleep(time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for a delayed call instead of ending it")
	}
	if err := <-done; err == nil {
		t.Error("the call held by Close got an answer")
	}
}

func TestFailNextDropConnection(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailNext("createApp", 1, smoochtest.Fault{DropConnection: true})
	_, err := c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "lost"})
	if err == nil {
		t.Fatal("dropped connection: no error")
	}
	createApp(t, c, "after")
}

func TestClearFaults(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailNext("listApps", 5, smoochtest.Fault{Status: http.StatusBadGateway})
	if n := srv.PendingFaults("listApps"); n != 5 {
		t.Errorf("PendingFaults = %d, want 5", n)
	}
	srv.ClearFaults()
	if n := srv.PendingFaults("listApps"); n != 0 {
		t.Errorf("PendingFaults after ClearFaults = %d", n)
	}
	r, err := c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, r, err, http.StatusOK)
}

func TestFailNextRejectsMisuse(t *testing.T) {
	srv := newServer(t)
	for name, call := range map[string]func(){
		"unknown operation":  func() { srv.FailNext("createWidget", 1, smoochtest.Fault{Status: 503}) },
		"n zero":             func() { srv.FailNext("createApp", 0, smoochtest.Fault{Status: 503}) },
		"empty fault":        func() { srv.FailNext("createApp", 1, smoochtest.Fault{}) },
		"undeclared status":  func() { srv.FailNext("getApp", 1, smoochtest.Fault{Status: http.StatusConflict}) },
		"not an error":       func() { srv.FailNext("getApp", 1, smoochtest.Fault{Status: http.StatusOK}) },
		"Retry-After alone":  func() { srv.FailNext("getApp", 1, smoochtest.Fault{RetryAfter: "1"}) },
		"Retry-After, delay": func() { srv.FailNext("getApp", 1, smoochtest.Fault{RetryAfter: "1", Delay: time.Millisecond}) },
		"status and drop": func() {
			srv.FailNext("getApp", 1, smoochtest.Fault{Status: http.StatusServiceUnavailable, DropConnection: true})
		},
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

// A Go method name instead of an operationId is the likely mistake: the panic lists the ids to use.
func TestFailNextNamesTheOperationIDs(t *testing.T) {
	srv := newServer(t)
	defer func() {
		p, _ := recover().(string)
		for _, want := range []string{`no operation "Apps.Create" in the contract: want its operationId, one of `, "createApp", "updateIntegrationProfile"} {
			if !strings.Contains(p, want) {
				t.Errorf("panic %q, want it to contain %q", p, want)
			}
		}
	}()
	srv.FailNext("Apps.Create", 1, smoochtest.Fault{Status: 503})
}
