package smoochtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"sort"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/openapi"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

var contract *openapi.Validator

// v1 is the API version the gen client calls in these tests, unless one says otherwise.
const v1 = gen.APIVersionV1

// succeeded records the operations that answered a 2xx which matched the
// contract, so that TestMain can prove every operation was exercised.
var succeeded sync.Map // operationId -> true

func TestMain(m *testing.M) {
	v, err := openapi.NewValidator()
	if err != nil {
		panic(err)
	}
	contract = v
	code := m.Run()
	if f := flag.Lookup("test.run"); code == 0 && (f == nil || f.Value.String() == "") {
		var missing []string
		for _, item := range contract.Doc().Paths.Map() {
			for _, op := range item.Operations() {
				if _, ok := succeeded.Load(op.OperationID); !ok {
					missing = append(missing, op.OperationID)
				}
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: no test got a contract-valid success from %v\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}

// contractCheck fails the test when a response of the fake does not match
// what the contract declares for the operation, so every test also proves
// that the fake speaks the contract.
type contractCheck struct {
	t    testing.TB
	base http.RoundTripper
}

func (c contractCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	probe := req.Clone(req.Context())
	probe.Body = io.NopCloser(bytes.NewReader(body))
	// The request may be invalid on purpose; the input is still usable for
	// response validation whenever the request was routed.
	in, _ := contract.ValidateRequest(req.Context(), probe)

	resp, err := c.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if in != nil {
		err := contract.ValidateResponse(context.Background(), in, resp.StatusCode, resp.Header, respBody)
		switch {
		case err != nil:
			c.t.Errorf("%s %s: %d response breaks the contract: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, respBody)
		case resp.StatusCode < 300:
			succeeded.Store(in.Route.Operation.OperationID, true)
		}
	}
	return resp, nil
}

// newServer starts a fake that tests can reach without the network: webhook
// targets are verified only on loopback.
func newServer(t testing.TB, opts ...smoochtest.Option) *smoochtest.Server {
	t.Helper()
	opts = append([]smoochtest.Option{smoochtest.WithWebhookVerifier(smoochtest.LoopbackHEADVerifier(nil))}, opts...)
	srv := smoochtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// sign makes a JWT with golang-jwt, the way a user's code would.
func sign(t testing.TB, key smoochtest.Key, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = key.ID
	s, err := tok.SignedString([]byte(key.Secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func accountToken(t testing.TB, key smoochtest.Key) string {
	return sign(t, key, jwt.MapClaims{"scope": "account"})
}

// client is a generated client for srv that sends token as its bearer JWT
// and checks every response against the contract.
func client(t testing.TB, srv *smoochtest.Server, token string) *gen.ClientWithResponses {
	t.Helper()
	hc := &http.Client{Transport: contractCheck{t: t, base: http.DefaultTransport}}
	c, err := gen.NewClientWithResponses(srv.URL,
		gen.WithHTTPClient(hc),
		gen.WithRequestEditorFn(func(ctx context.Context, req *http.Request) error {
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// accountClient is a client signed with the server's account key.
func accountClient(t testing.TB, srv *smoochtest.Server) *gen.ClientWithResponses {
	return client(t, srv, accountToken(t, srv.AccountKey()))
}

type response interface{ StatusCode() int }

// wantStatus fails the test unless resp has the status; it returns the
// decoded error body for error statuses.
func wantStatus(t testing.TB, resp response, err error, status int) gen.ErrorDetail {
	t.Helper()
	if err != nil {
		t.Fatalf("request failed: %v", err)
	}
	body := bodyOf(resp)
	if resp.StatusCode() != status {
		t.Fatalf("status %d, want %d; body: %s", resp.StatusCode(), status, body)
	}
	if status < 400 {
		return gen.ErrorDetail{}
	}
	var e gen.Error
	if err := json.Unmarshal(body, &e); err != nil || e.Detail.Code == "" {
		t.Fatalf("error body %s is not the documented error body (%v)", body, err)
	}
	return e.Detail
}

// bodyOf is the raw body of a generated *…Response.
func bodyOf(resp response) []byte {
	return reflect.ValueOf(resp).Elem().FieldByName("Body").Bytes()
}

var (
	hex24       = regexp.MustCompile(`^[0-9a-f]{24}$`)
	hex40       = regexp.MustCompile(`^[0-9a-f]{40}$`)
	appTokenRe  = regexp.MustCompile(`^[a-z0-9]{25}$`)
	secretRe    = regexp.MustCompile(`^[A-Za-z0-9_-]{24}$`)
	appKeyIDRe  = regexp.MustCompile(`^app_[0-9a-f]{24}$`)
	svcKeyIDRe  = regexp.MustCompile(`^svc_[0-9a-f]{24}$`)
	actKeyIDRe  = regexp.MustCompile(`^act_[0-9a-f]{24}$`)
	ctx         = context.Background()
	loopbackURL = regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`)
)

// createApp makes an app with c and returns it.
func createApp(t testing.TB, c *gen.ClientWithResponses, name string) gen.App {
	t.Helper()
	resp, err := c.CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: name})
	wantStatus(t, resp, err, http.StatusCreated)
	return resp.JSON201.App
}

// createAppKey makes an app key and returns it.
func createAppKey(t testing.TB, c *gen.ClientWithResponses, appID, name string) gen.SecretKey {
	t.Helper()
	resp, err := c.CreateAppKeyWithResponse(ctx, v1, appID, gen.SecretKeyCreate{Name: name})
	wantStatus(t, resp, err, http.StatusCreated)
	return resp.JSON201.Key
}

// serviceAccount creates a service account with one key and returns its id
// and a client signed with that key.
func serviceAccount(t testing.TB, srv *smoochtest.Server, name string) (string, smoochtest.Key, *gen.ClientWithResponses) {
	t.Helper()
	acct := accountClient(t, srv)
	sa, err := acct.CreateServiceAccountWithResponse(ctx, v1, gen.ServiceAccountCreate{Name: name})
	wantStatus(t, sa, err, http.StatusCreated)
	k, err := acct.CreateServiceAccountKeyWithResponse(ctx, v1, sa.JSON201.ServiceAccount.ID, gen.SecretKeyCreate{Name: name + " key"})
	wantStatus(t, k, err, http.StatusCreated)
	key := smoochtest.Key{ID: k.JSON201.Key.ID, Secret: k.JSON201.Key.Secret}
	return sa.JSON201.ServiceAccount.ID, key, client(t, srv, accountToken(t, key))
}

func keyOf(k gen.SecretKey) smoochtest.Key { return smoochtest.Key{ID: k.ID, Secret: k.Secret} }

func ptr[T any](v T) *T { return &v }
