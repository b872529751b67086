package conformance_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/smoochkit/smooch-go/conformance"
)

// The transports every scenario client sends through: each exchange is
// validated as it happens, and some requests are tampered with below the client.

// checkingTransport validates every exchange against the contract as it
// happens: the client's real request (its real token included) and the
// response it gets, replayed or live.
type checkingTransport struct {
	t        *testing.T
	checker  *conformance.Checker
	cassette string
	seen     *conformance.SeenSecrets
	next     http.RoundTripper

	mu    sync.Mutex
	index int
}

func (c *checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		c.t.Errorf("%s %s: %v", req.Method, req.URL, err)
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))

	c.mu.Lock()
	index := c.index
	c.index++
	c.mu.Unlock()
	ex := conformance.Exchange{Method: req.Method, URL: req.URL.String(), Header: req.Header, Body: body,
		Status: resp.StatusCode, RespHeader: resp.Header, RespBody: respBody}
	c.seen.AddExchange(ex)
	for _, v := range c.checker.Check(req.Context(), c.cassette+" (live traffic)", index, ex) {
		if v.Warning {
			c.t.Log(v)
		} else {
			c.t.Error(v)
		}
	}
	return resp, nil
}

// tamperTransport changes the next request on its way out. The client checks
// scopes and arguments before sending, so some of the API's own answers (403
// for a wrong scope, 400 for a missing field) can only be provoked below it,
// where a proxy would sit. There is no way round through the public client:
// BearerToken reads the scope claim of a ready-made token and refuses just
// the same, and a raw request would no longer test the client's URL, headers
// and error decoding. The tampered request is what gets validated, recorded
// and replayed, so the cassette shows what was really sent.
type tamperTransport struct {
	next http.RoundTripper

	mu    sync.Mutex
	next1 func(*http.Request) error
}

// once makes f change the next request only.
func (tt *tamperTransport) once(f func(*http.Request) error) {
	tt.mu.Lock()
	defer tt.mu.Unlock()
	tt.next1 = f
}

func (tt *tamperTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tt.mu.Lock()
	f := tt.next1
	tt.next1 = nil
	tt.mu.Unlock()
	if f != nil {
		req = req.Clone(req.Context())
		if err := f(req); err != nil {
			return nil, err
		}
	}
	return tt.next.RoundTrip(req)
}

// withToken sends the next request with another bearer token.
func withToken(token string) func(*http.Request) error {
	return func(r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

// withoutField sends the next request with a member removed from its JSON body.
func withoutField(field string) func(*http.Request) error {
	return func(r *http.Request) error {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		edited, err := deleteMember(body, field)
		if err != nil {
			return err
		}
		if bytes.Equal(edited, body) {
			return errors.New("tamper: the body has no member " + field)
		}
		r.Body = io.NopCloser(bytes.NewReader(edited))
		r.ContentLength = int64(len(edited))
		r.GetBody = nil
		return nil
	}
}

// deleteMember removes a top-level member from a JSON object.
func deleteMember(body []byte, field string) ([]byte, error) {
	var object map[string]json.RawMessage
	if err := json.Unmarshal(body, &object); err != nil {
		return nil, err
	}
	delete(object, field)
	return json.Marshal(object)
}

// withBody sends the next request with another JSON body: a rule the client checks inside a body (a menu
// link without its uri) can only be broken below it.
func withBody(body string) func(*http.Request) error {
	return func(r *http.Request) error {
		if !json.Valid([]byte(body)) {
			return errors.New("tamper: the replacement body is not JSON")
		}
		r.Body = io.NopCloser(strings.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = nil
		return nil
	}
}
