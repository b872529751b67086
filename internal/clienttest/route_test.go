package clienttest_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
	"github.com/smoochkit/smooch-go/smooch"
)

// hostileIDs are ids a caller may pass on from untrusted input (a customer's app id in a URL). None may
// change the route a request reaches: each is either refused before sending, naming the parameter, or sent
// as one escaped path segment.
var hostileIDs = []string{".", "..", "./x", "x/..", "%2e%2e", "..%2f"}

// routeCall calls one operation with its ids taken from id(parameter name), as the contract names them.
type routeCall func(ctx context.Context, c *smooch.Client, id func(param string) string) error

// routeCalls has a call for every operation of the contract that takes a path parameter; the test fails when
// the contract has one that is missing here.
func routeCalls() map[string]routeCall {
	ignore := func(_ any, err error) error { return err }
	tg := smooch.Telegram{Token: "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}
	menu := smooch.Menu{Items: []smooch.MenuItem{{Type: smooch.MenuItemTypePostback, Text: "Hi", Payload: "HI"}}}
	return map[string]routeCall{
		"getApp": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Apps.Get(ctx, id("appId")))
		},
		"updateApp": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Apps.Update(ctx, id("appId"), smooch.AppUpdate{Name: "n"}))
		},
		"deleteApp": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return c.Apps.Delete(ctx, id("appId"))
		},
		"createAppKey": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.AppKeys.Create(ctx, id("appId"), smooch.SecretKeyCreate{Name: "k"}))
		},
		"listAppKeys": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.AppKeys.List(ctx, id("appId")))
		},
		"getAppKey": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.AppKeys.Get(ctx, id("appId"), id("keyId")))
		},
		"deleteAppKey": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return c.AppKeys.Delete(ctx, id("appId"), id("keyId"))
		},
		"getAppKeyJWT": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.AppKeys.JWT(ctx, id("appId"), id("keyId")))
		},
		"getServiceAccount": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.ServiceAccounts.Get(ctx, id("serviceAccountId")))
		},
		"updateServiceAccount": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.ServiceAccounts.Update(ctx, id("serviceAccountId"), smooch.ServiceAccountUpdate{Name: "n"}))
		},
		"deleteServiceAccount": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return c.ServiceAccounts.Delete(ctx, id("serviceAccountId"))
		},
		"createServiceAccountKey": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.ServiceAccountKeys.Create(ctx, id("serviceAccountId"), smooch.SecretKeyCreate{Name: "k"}))
		},
		"listServiceAccountKeys": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.ServiceAccountKeys.List(ctx, id("serviceAccountId")))
		},
		"getServiceAccountKey": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.ServiceAccountKeys.Get(ctx, id("serviceAccountId"), id("keyId")))
		},
		"deleteServiceAccountKey": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return c.ServiceAccountKeys.Delete(ctx, id("serviceAccountId"), id("keyId"))
		},
		"getServiceAccountKeyJWT": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.ServiceAccountKeys.JWT(ctx, id("serviceAccountId"), id("keyId")))
		},
		"createIntegration": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Integrations.Create(ctx, id("appId"), tg))
		},
		"listIntegrations": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Integrations.List(ctx, id("appId"), nil))
		},
		"getIntegration": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Integrations.Get(ctx, id("appId"), id("integrationId")))
		},
		"deleteIntegration": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return c.Integrations.Delete(ctx, id("appId"), id("integrationId"))
		},
		"updateIntegration": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Integrations.Update(ctx, id("appId"), id("integrationId"), smooch.IntegrationUpdate{BrandColor: "fff"}))
		},
		"updateIntegrationProfile": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return c.Integrations.UpdateProfile(ctx, id("appId"), id("integrationId"), smooch.IntegrationProfileUpdate{About: "a"})
		},
		"getAppMenu": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Menus.Get(ctx, id("appId")))
		},
		"updateAppMenu": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Menus.Set(ctx, id("appId"), menu))
		},
		"deleteAppMenu": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Menus.Remove(ctx, id("appId")))
		},
		"getIntegrationMenu": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.IntegrationMenus.Get(ctx, id("appId"), id("integrationId")))
		},
		"createIntegrationMenu": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.IntegrationMenus.Create(ctx, id("appId"), id("integrationId"), menu))
		},
		"updateIntegrationMenu": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.IntegrationMenus.Update(ctx, id("appId"), id("integrationId"), menu))
		},
		"deleteIntegrationMenu": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return c.IntegrationMenus.Delete(ctx, id("appId"), id("integrationId"))
		},
		"createWebhook": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Webhooks.Create(ctx, id("appId"), smooch.WebhookCreate{Target: "https://example.com/hook", Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerMessageAppUser}}))
		},
		"listWebhooks": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Webhooks.List(ctx, id("appId")))
		},
		"getWebhook": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Webhooks.Get(ctx, id("appId"), id("webhookId")))
		},
		"updateWebhook": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Webhooks.Update(ctx, id("appId"), id("webhookId"), smooch.WebhookUpdate{Target: "https://example.com/hook"}))
		},
		"deleteWebhook": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return c.Webhooks.Delete(ctx, id("appId"), id("webhookId"))
		},
		// v1.1
		"getIntegrationProfile": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Integrations.GetProfile(ctx, id("appId"), id("integrationId")))
		},
		"uploadIntegrationProfilePhoto": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Integrations.UploadProfilePhoto(ctx, id("appId"), id("integrationId"), strings.NewReader("\x89PNG\r\n\x1a\n")))
		},
		"getSdkIds": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Integrations.SDKIntegrationIDs(ctx, id("appId")))
		},
		"getDeployment": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Deployments.Get(ctx, id("deploymentId")))
		},
		"deleteDeployment": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return c.Deployments.Delete(ctx, id("deploymentId"))
		},
		"activatePhoneNumber": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Deployments.ActivatePhoneNumber(ctx, id("deploymentId"), smooch.PhoneNumberActivation{
				PhoneNumber: "+15145550100", VerifiedNameCertificate: "c", Method: smooch.DeploymentActivationMethodSMS}))
		},
		"confirmCode": func(ctx context.Context, c *smooch.Client, id func(string) string) error {
			return ignore(c.Deployments.ConfirmCode(ctx, id("deploymentId"), smooch.ActivationCode{Code: "123456"}))
		},
	}
}

// TestIDsNeverLeaveTheirRoute calls every operation of the contract that has path parameters with each
// hostile id in each parameter, and reads what arrives on a raw loopback listener (no HTTP server library
// that could clean the path in between): either nothing arrives and a *ValidationError names the parameter,
// or the request line's target is the operation's own path with the id as one segment.
func TestIDsNeverLeaveTheirRoute(t *testing.T) {
	checkIDsStayOnTheirRoute(t, hostileIDs)
}

// checkIDsStayOnTheirRoute calls every operation of the contract that has path parameters with each of ids
// in each parameter, and checks what arrives on a raw loopback listener (TestIDsNeverLeaveTheirRoute).
func checkIDsStayOnTheirRoute(t *testing.T, ids []string) {
	doc, err := openapi.Load()
	require.NoError(t, err)
	calls := routeCalls()
	srv := newRawServer(t)
	// v1.1 serves every operation: one client calls them all.
	c, err := smooch.New(smooch.AccountKey(accountKeyID, testSecret), smooch.WithBaseURL(srv.url), smooch.WithMaxRetries(0),
		smooch.WithAPIVersion(smooch.APIVersion1_1))
	require.NoError(t, err)

	covered := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			params := templateParams(path)
			if len(params) == 0 || !clientCalls(op) {
				continue
			}
			call, ok := calls[op.OperationID]
			if !assert.True(t, ok, "operation %s takes path parameters but has no routeCall", op.OperationID) {
				continue
			}
			covered++
			for _, param := range params {
				for _, hostile := range ids {
					t.Run(fmt.Sprintf("%s/%s=%.40q", op.OperationID, param, hostile), func(t *testing.T) {
						ids := map[string]string{"apiVersion": "v1.1"}
						for _, p := range params {
							ids[p] = "id-of-" + p
						}
						ids[param] = hostile
						before := srv.count()
						err := call(context.Background(), c, func(name string) string {
							v, ok := ids[name]
							require.True(t, ok, "%s has no path parameter %s", op.OperationID, name)
							return v
						})
						got := srv.since(before)

						var ve *smooch.ValidationError
						if errors.As(err, &ve) {
							assert.Equal(t, param, ve.Field, "the error names the parameter")
							assert.Empty(t, got, "a refused id sends nothing")
							return
						}
						require.Len(t, got, 1, "err: %v", err)
						assert.Equal(t, method, got[0].method)
						assertRoute(t, path, ids, got[0].target)
					})
				}
			}
		}
	}
	assert.Equal(t, len(calls), covered, "every routeCall is an operation of the contract")
}

// templateParams names the {parameters} of a contract path, in order, but the API version, which the client
// writes itself (no id).
func templateParams(path string) []string {
	var names []string
	for _, seg := range strings.Split(path, "/") {
		if name, ok := strings.CutPrefix(seg, "{"); ok && name != "apiVersion}" {
			names = append(names, strings.TrimSuffix(name, "}"))
		}
	}
	return names
}

// assertRoute checks that target, a request line's target, is the contract path with each parameter
// replaced by exactly one segment that unescapes to its id.
func assertRoute(t *testing.T, template string, ids map[string]string, target string) {
	t.Helper()
	rawPath, _, _ := strings.Cut(target, "?")
	want := strings.Split(template, "/")
	got := strings.Split(rawPath, "/")
	require.Len(t, got, len(want), "%s reached %s", template, target)
	for i, w := range want {
		if name, ok := strings.CutPrefix(w, "{"); ok {
			seg, err := url.PathUnescape(got[i])
			require.NoError(t, err)
			assert.Equal(t, ids[strings.TrimSuffix(name, "}")], seg, "segment %d of %s", i, target)
			continue
		}
		assert.Equal(t, w, got[i], "segment %d of %s", i, target)
	}
}

// rawServer accepts HTTP/1.1 on loopback and records each request line as sent, answering 404. It is not an
// http.Server: nothing cleans or unescapes the path before it is recorded.
type rawServer struct {
	url  string
	mu   sync.Mutex
	seen []rawRequest
}

type rawRequest struct{ method, target string }

func newRawServer(t *testing.T) *rawServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	s := &rawServer{url: "http://" + l.Addr().String()}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	return s
}

func (s *rawServer) serve(conn net.Conn) {
	defer func() { _ = conn.Close() }()
	br := bufio.NewReader(conn)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		s.mu.Lock()
		s.seen = append(s.seen, rawRequest{method: req.Method, target: req.RequestURI})
		s.mu.Unlock()
		const body = `{"error":{"code":"not_found","description":"recorded"}}`
		_, _ = fmt.Fprintf(conn, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	}
}

func (s *rawServer) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

func (s *rawServer) since(n int) []rawRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]rawRequest(nil), s.seen[n:]...)
}
