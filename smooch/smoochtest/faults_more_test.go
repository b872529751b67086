package smoochtest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// appsOf is how many apps the account has.
func appsOf(t *testing.T, c *gen.ClientWithResponses) int {
	t.Helper()
	list, err := c.ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, list, err, http.StatusOK)
	return len(list.JSON200.Apps)
}

// AfterServing performs the call, then loses its answer, replaces it or holds it: what the client sees is what
// it sees of the same fault before serving, but the app exists.
func TestAfterServingPerformsTheCall(t *testing.T) {
	t.Run("answer lost with the connection", func(t *testing.T) {
		srv := newServer(t)
		c := accountClient(t, srv)
		srv.FailNext("createApp", 1, smoochtest.Fault{AfterServing: true, DropConnection: true})
		_, err := c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "lost answer"})
		if err == nil || !strings.Contains(err.Error(), "EOF") {
			t.Fatalf("create: %v, want the connection dropped", err)
		}
		if n := appsOf(t, c); n != 1 {
			t.Errorf("%d apps: the create was not performed", n)
		}
	})
	t.Run("answer replaced with a gateway's 504", func(t *testing.T) {
		srv := newServer(t)
		c := accountClient(t, srv)
		srv.FailNext("createApp", 1, smoochtest.Fault{AfterServing: true, Status: http.StatusGatewayTimeout})
		r, err := c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "gateway timeout"})
		wantStatus(t, r, err, http.StatusGatewayTimeout)
		if n := appsOf(t, c); n != 1 {
			t.Errorf("%d apps: the create was not performed", n)
		}
	})
	t.Run("answer held past the client's deadline", func(t *testing.T) {
		srv := newServer(t)
		c := accountClient(t, srv)
		srv.FailNext("createApp", 1, smoochtest.Fault{AfterServing: true, Delay: time.Hour})
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if _, err := c.CreateAppWithResponse(short, v1, gen.AppCreate{Name: "timed out"}); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("create: %v, want the client's deadline", err)
		}
		if n := appsOf(t, c); n != 1 {
			t.Errorf("%d apps: the create was not performed", n)
		}
	})
	t.Run("answer held, then sent whole", func(t *testing.T) {
		srv := newServer(t)
		c := accountClient(t, srv)
		srv.FailNext("createApp", 1, smoochtest.Fault{AfterServing: true, Delay: 30 * time.Millisecond})
		start := time.Now()
		app := createApp(t, c, "slow answer")
		if d := time.Since(start); d < 30*time.Millisecond {
			t.Errorf("the answer came after %v", d)
		}
		if app.Name != "slow answer" || app.ID == "" {
			t.Errorf("%+v", app)
		}
	})
	t.Run("a refused call stays refused", func(t *testing.T) {
		// The call is served as without a fault: authenticated first. Its 401 is what gets replaced.
		srv := newServer(t)
		srv.FailNext("createApp", 1, smoochtest.Fault{AfterServing: true, Status: http.StatusBadGateway})
		r, err := client(t, srv, "").CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "no token"})
		wantStatus(t, r, err, http.StatusBadGateway)
		if n := appsOf(t, accountClient(t, srv)); n != 0 {
			t.Errorf("%d apps", n)
		}
	})
}

// FailCall aims at one call, counted from now: a test of cleanup code fails the second of two creates.
func TestFailCall(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "calls")
	email := func() *gen.CreateIntegrationResponse {
		var body gen.IntegrationCreate
		if err := body.FromFrontendEmailIntegrationCreate(gen.FrontendEmailIntegrationCreate{}); err != nil {
			t.Fatal(err)
		}
		r, err := c.CreateIntegrationWithResponse(ctx, v1, app.ID, body)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	srv.FailCall("createIntegration", 2, smoochtest.Fault{Status: http.StatusServiceUnavailable})
	if n := srv.PendingFaults("createIntegration"); n != 1 {
		t.Errorf("%d pending faults, want 1", n)
	}
	for i, want := range []int{http.StatusCreated, http.StatusServiceUnavailable, http.StatusCreated} {
		if got := email().StatusCode(); got != want {
			t.Errorf("call %d: %d, want %d", i+1, got, want)
		}
	}
	if n := srv.PendingFaults("createIntegration"); n != 0 {
		t.Errorf("%d pending faults, want 0", n)
	}

	// Every call counts, those other faults claim included.
	srv.FailNext("createIntegration", 1, smoochtest.Fault{Status: http.StatusInternalServerError})
	srv.FailCall("createIntegration", 2, smoochtest.Fault{Status: http.StatusBadGateway})
	for i, want := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusCreated} {
		if got := email().StatusCode(); got != want {
			t.Errorf("call %d: %d, want %d", i+1, got, want)
		}
	}

	// A call an earlier fault claims passes the aimed fault on to the next call.
	srv.FailNext("createIntegration", 2, smoochtest.Fault{Status: http.StatusInternalServerError})
	srv.FailCall("createIntegration", 2, smoochtest.Fault{Status: http.StatusBadGateway})
	for i, want := range []int{http.StatusInternalServerError, http.StatusInternalServerError, http.StatusBadGateway, http.StatusCreated} {
		if got := email().StatusCode(); got != want {
			t.Errorf("call %d: %d, want %d", i+1, got, want)
		}
	}
}

// FailMatching aims at the requests a predicate picks, which may read the body without taking it from the
// call.
func TestFailMatching(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	app := createApp(t, c, "matching")
	var seen []string
	srv.FailMatching("createIntegration", func(r *http.Request) bool {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		seen = append(seen, string(body))
		return bytes.Contains(body, []byte(`"type":"telegram"`))
	}, 1, smoochtest.Fault{Status: http.StatusServiceUnavailable})

	email := rawCall(t, srv, accountToken(t, srv.AccountKey()), "POST", "/v1/apps/"+app.ID+"/integrations", map[string]any{"type": "frontendEmail"}, http.StatusCreated)
	if !bytes.Contains(email, []byte(`"frontendEmail"`)) {
		t.Errorf("the call the predicate read was not served whole: %s", email)
	}
	rawCall(t, srv, accountToken(t, srv.AccountKey()), "POST", "/v1/apps/"+app.ID+"/integrations",
		map[string]any{"type": "telegram", "token": "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}, http.StatusServiceUnavailable)
	if n := srv.PendingFaults("createIntegration"); n != 0 {
		t.Errorf("%d pending faults", n)
	}
	rawCall(t, srv, accountToken(t, srv.AccountKey()), "POST", "/v1/apps/"+app.ID+"/integrations",
		map[string]any{"type": "telegram", "token": "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}, http.StatusCreated)
	if len(seen) != 2 {
		t.Errorf("the predicate ran %d times, want 2 (not once its fault was served): %q", len(seen), seen)
	}
}

func TestTheNewFaultsRefuseMistakes(t *testing.T) {
	srv := newServer(t)
	for name, call := range map[string]func(){
		"call 0":    func() { srv.FailCall("createApp", 0, smoochtest.Fault{Status: 503}) },
		"nil match": func() { srv.FailMatching("createApp", nil, 1, smoochtest.Fault{Status: 503}) },
		"n 0": func() {
			srv.FailMatching("createApp", func(*http.Request) bool { return true }, 0, smoochtest.Fault{Status: 503})
		},
		"unknown op":  func() { srv.FailCall("createApps", 1, smoochtest.Fault{Status: 503}) },
		"empty fault": func() { srv.FailCall("createApp", 1, smoochtest.Fault{AfterServing: true}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "smoochtest: Fail") {
					t.Errorf("panic %q", msg)
				}
			}()
			call()
		})
	}
	if n := srv.PendingFaults("createApp"); n != 0 {
		t.Errorf("a refused fault was queued: %d", n)
	}
}

// Concurrent calls share the faults out exactly: n faults are n failed calls, however the calls interleave.
func TestFaultsUnderConcurrentCalls(t *testing.T) {
	srv := newServer(t)
	c := accountClient(t, srv)
	srv.FailMatching("createApp", func(*http.Request) bool { return true }, 5, smoochtest.Fault{Status: http.StatusServiceUnavailable})
	srv.FailCall("createApp", 10, smoochtest.Fault{Status: http.StatusBadGateway})
	const calls = 20
	statuses := make(chan int, calls)
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() {
			r, err := c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "concurrent"})
			if err != nil {
				t.Error(err)
				return
			}
			statuses <- r.StatusCode()
		})
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	// The tenth call may be one the matching rule, added first, claims: the 502 then hits the next call left,
	// and every call may have been made by then.
	if count[http.StatusServiceUnavailable] != 5 || count[http.StatusBadGateway]+srv.PendingFaults("createApp") != 1 ||
		count[http.StatusCreated] != calls-5-count[http.StatusBadGateway] {
		t.Errorf("statuses %v, %d faults pending", count, srv.PendingFaults("createApp"))
	}
	if n := appsOf(t, c); n != count[http.StatusCreated] {
		t.Errorf("%d apps for %d creates", n, count[http.StatusCreated])
	}
}
