package smoochtest_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestServerForms(t *testing.T) {
	t.Run("WithAddr", func(t *testing.T) {
		addr := freeLoopbackAddr(t)
		srv := newServer(t, smoochtest.WithAddr(addr))
		if srv.URL != "http://"+addr {
			t.Fatalf("URL = %q, want http://%s", srv.URL, addr)
		}
		r, err := accountClient(t, srv).ListAppsWithResponse(ctx, v1, nil)
		wantStatus(t, r, err, http.StatusOK)
	})
	t.Run("WithListener", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := newServer(t, smoochtest.WithListener(l))
		if srv.URL != "http://"+l.Addr().String() {
			t.Fatalf("URL = %q, listener on %s", srv.URL, l.Addr())
		}
		r, err := accountClient(t, srv).ListAppsWithResponse(ctx, v1, nil)
		wantStatus(t, r, err, http.StatusOK)
	})
	t.Run("UnstartedWithListener", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		smoochtest.NewUnstartedServer(smoochtest.WithListener(l)).Close()
		if _, err := l.Accept(); err == nil {
			t.Error("Close left the unstarted server's listener open")
		}
	})
	t.Run("Unstarted", func(t *testing.T) {
		srv := smoochtest.NewUnstartedServer(smoochtest.Deterministic())
		if srv.URL != "" {
			t.Errorf("unstarted URL = %q", srv.URL)
		}
		srv.Start()
		defer srv.Close()
		r, err := accountClient(t, srv).ListAppsWithResponse(ctx, v1, nil)
		wantStatus(t, r, err, http.StatusOK)
		defer func() {
			if recover() == nil {
				t.Error("second Start did not panic")
			}
		}()
		srv.Start()
	})
	t.Run("Handler", func(t *testing.T) {
		fake := smoochtest.NewUnstartedServer()
		hs := httptest.NewServer(fake.Handler())
		defer hs.Close()
		// Same fake, served by the caller: its account key works there.
		req, _ := http.NewRequest(http.MethodGet, hs.URL+"/v1/apps", nil)
		req.Header.Set("Authorization", "Bearer "+fake.AccountJWT())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("CloseWaitsForRequests", func(t *testing.T) {
		entered := make(chan struct{})
		var returned atomic.Bool
		srv := smoochtest.NewServer(smoochtest.WithWebhookVerifier(func(ctx context.Context, _ *url.URL) error {
			close(entered)
			<-ctx.Done() // Close cancels the request...
			time.Sleep(20 * time.Millisecond)
			returned.Store(true) // ...and waits for the handler to return.
			return ctx.Err()
		}))
		c := accountClient(t, srv)
		app := createApp(t, c, "app")
		go func() {
			_, _ = c.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: "https://example.com/hook"})
		}()
		<-entered
		srv.Close()
		if !returned.Load() {
			t.Error("Close returned while a request was still being served")
		}
	})
	t.Run("Close", func(t *testing.T) {
		srv := smoochtest.NewServer()
		url := srv.URL
		srv.Close()
		srv.Close() // idempotent
		if _, err := http.Get(url + "/v1/apps"); err == nil {
			t.Error("still serving after Close")
		}
	})
}
