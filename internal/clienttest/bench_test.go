package clienttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/smoochkit/smooch-go/smooch"
)

// The client's overhead over hand-written net/http doing the same call: each benchmark pair sends the same
// request to the same in-process server, which answers a canned body, and decodes the same answer. The
// baseline is what a careful user would write without the SDK: build the request, set the bearer token and
// headers, check the status, decode the envelope. `make bench` runs them with benchstat-ready counts.

const (
	benchAppJSON = `{"_id":"55c8d9758590aa1900b9b9f6","appToken":"3s58wwlgx8xqbidgyyvzunoyw","name":"My App","settings":{"maskCreditCardNumbers":true}}`
	benchAppID   = "55c8d9758590aa1900b9b9f6"
)

// benchServer answers every request with status and body, reading the request body first.
func benchServer(b *testing.B, status int, body string) *httptest.Server {
	b.Helper()
	payload := []byte(body)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(payload)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchClient(b *testing.B, srv *httptest.Server) *smooch.Client {
	b.Helper()
	c, err := smooch.New(smooch.AccountKey(accountKeyID, testSecret), smooch.WithBaseURL(srv.URL), smooch.WithHTTPClient(srv.Client()))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// rawApp and its envelopes are the baseline's own types, as a user would declare them.
type rawApp struct {
	ID       string `json:"_id"`
	AppToken string `json:"appToken,omitempty"`
	Name     string `json:"name"`
	Settings struct {
		MaskCreditCardNumbers *bool `json:"maskCreditCardNumbers,omitempty"`
	} `json:"settings"`
}

type rawAppResponse struct {
	App rawApp `json:"app"`
}

// rawCall is the baseline: one request with a JSON body (nil for none), a status check and a JSON decode.
func rawCall(ctx context.Context, hc *http.Client, token, method, url string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "raw/1.0")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("status %d: %s", resp.StatusCode, data)
	}
	return json.Unmarshal(data, out)
}

func benchToken(b *testing.B) string {
	b.Helper()
	token, err := smooch.SignJWT(accountKeyID, testSecret, smooch.ScopeAccount, "")
	if err != nil {
		b.Fatal(err)
	}
	return token
}

func BenchmarkGetApp(b *testing.B) {
	srv := benchServer(b, http.StatusOK, `{"app":`+benchAppJSON+`}`)
	ctx := context.Background()
	b.Run("impl=nethttp", func(b *testing.B) {
		hc, token := srv.Client(), benchToken(b)
		b.ReportAllocs()
		for b.Loop() {
			var out rawAppResponse
			if err := rawCall(ctx, hc, token, http.MethodGet, srv.URL+"/v1/apps/"+benchAppID, nil, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=smooch", func(b *testing.B) {
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Apps.Get(ctx, benchAppID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCreateApp(b *testing.B) {
	srv := benchServer(b, http.StatusCreated, `{"app":`+benchAppJSON+`}`)
	ctx := context.Background()
	b.Run("impl=nethttp", func(b *testing.B) {
		hc, token := srv.Client(), benchToken(b)
		b.ReportAllocs()
		for b.Loop() {
			var out rawAppResponse
			in := map[string]any{"name": "My App"}
			if err := rawCall(ctx, hc, token, http.MethodPost, srv.URL+"/v1/apps", in, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=smooch", func(b *testing.B) {
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "My App"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCreateTelegramIntegration(b *testing.B) {
	srv := benchServer(b, http.StatusCreated, `{"integration":{"_id":"5735ddfb48011972d621dc09","type":"telegram","username":"mikes_smooch_bot"}}`)
	ctx := context.Background()
	const token = "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"
	b.Run("impl=nethttp", func(b *testing.B) {
		hc, jwt := srv.Client(), benchToken(b)
		type telegram struct {
			ID       string `json:"_id"`
			Type     string `json:"type"`
			Username string `json:"username"`
		}
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				Integration telegram `json:"integration"`
			}
			in := struct {
				Token string `json:"token"`
				Type  string `json:"type"`
			}{token, "telegram"}
			if err := rawCall(ctx, hc, jwt, http.MethodPost, srv.URL+"/v1/apps/"+benchAppID+"/integrations", in, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=smooch", func(b *testing.B) {
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Integrations.Create(ctx, benchAppID, smooch.Telegram{Token: token}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkListApps100(b *testing.B) {
	apps := make([]string, 100)
	for i := range apps {
		apps[i] = strings.Replace(benchAppJSON, "My App", fmt.Sprintf("App %03d", i), 1)
	}
	srv := benchServer(b, http.StatusOK, `{"apps":[`+strings.Join(apps, ",")+`],"hasMore":true,"offset":0}`)
	ctx := context.Background()
	b.Run("impl=nethttp", func(b *testing.B) {
		hc, token := srv.Client(), benchToken(b)
		b.ReportAllocs()
		for b.Loop() {
			var out struct {
				Apps    []rawApp `json:"apps"`
				HasMore bool     `json:"hasMore"`
				Offset  int      `json:"offset"`
			}
			if err := rawCall(ctx, hc, token, http.MethodGet, srv.URL+"/v1/apps?limit=100", nil, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=smooch", func(b *testing.B) {
		c := benchClient(b, srv)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Apps.List(ctx, &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 100}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSigning shows what New's signing once saves: a request carrying the cached token against one that
// signs a fresh JWT, as a client signing per request would.
func BenchmarkSigning(b *testing.B) {
	b.Run("per=client", func(b *testing.B) {
		token := benchToken(b)
		b.ReportAllocs()
		for b.Loop() {
			_ = "Bearer " + token
		}
	})
	b.Run("per=request", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			token, err := smooch.SignJWT(accountKeyID, testSecret, smooch.ScopeAccount, "")
			if err != nil {
				b.Fatal(err)
			}
			_ = "Bearer " + token
		}
	})
}
