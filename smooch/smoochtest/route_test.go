package smoochtest_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// TestDotSegmentsAnswerNotFound sends, for every operation with path parameters, each hostile id in each
// parameter, raw on the wire, as a client that does not check ids would: unescaped, escaped, and resolved the
// way URL libraries resolve dot segments. The fake must answer 404 not_found, never serve another route (the
// parent resource above all), and every resource must still be there afterwards. A resolved path is a clean
// path: when it is another operation's (PUT …/integrations/{id}/menu with id ".." resolves to the app's menu),
// the fake serves that operation, as the API does, and only the client can refuse such an id (package smooch
// refuses "." and ".." before sending).
func TestDotSegmentsAnswerNotFound(t *testing.T) {
	srv := newServer(t)
	acct := accountClient(t, srv)
	app := createApp(t, acct, "victim")
	key := createAppKey(t, acct, app.ID, "victim key")
	hook, err := acct.CreateWebhookWithResponse(ctx, v1, app.ID, gen.WebhookCreate{Target: srv.URL + "/hook"})
	wantStatus(t, hook, err, http.StatusCreated)
	var body gen.IntegrationCreate
	require.NoError(t, body.FromFrontendEmailIntegrationCreate(gen.FrontendEmailIntegrationCreate{}))
	integ, err := acct.CreateIntegrationWithResponse(ctx, v1, app.ID, body)
	wantStatus(t, integ, err, http.StatusCreated)
	email, err := integ.JSON201.Integration.AsFrontendEmailIntegration()
	require.NoError(t, err)
	saID, saKey, _ := serviceAccount(t, srv, "victim account")
	deployment, err := acct.CreateDeploymentWithResponse(ctx, gen.APIVersion11OnlyV11, gen.DeploymentCreate{Hosting: gen.DeploymentHostingSmooch})
	wantStatus(t, deployment, err, http.StatusCreated)

	real := map[string]string{
		"appId": app.ID, "keyId": key.ID, "webhookId": hook.JSON201.Webhook.ID,
		"integrationId": email.ID, "serviceAccountId": saID, "deploymentId": deployment.JSON201.Deployment.ID,
	}
	token := accountToken(t, srv.AccountKey())
	// The app-scope paths (/v1/webhooks/{webhookId}) take the victim app's own token.
	appToken := sign(t, keyOf(key), jwt.MapClaims{"scope": "app"})
	base, err := url.Parse(srv.URL)
	require.NoError(t, err)

	for path, item := range contract.Doc().Paths.Map() {
		for method, op := range item.Operations() {
			params := pathParams(path)
			for _, param := range params {
				if param == "apiVersion" {
					continue // not an id: the client writes it
				}
				for _, hostile := range []string{".", "..", "./x", "x/..", "%2e%2e", "..%2f"} {
					ids := map[string]string{"apiVersion": versionServing(item, op)}
					for _, p := range params {
						if p != "apiVersion" {
							ids[p] = real[p]
						}
					}
					if param == "keyId" && strings.Contains(path, "/serviceaccounts/") {
						ids[param] = saKey.ID
					}
					ids[param] = hostile
					unescaped := fill(path, ids, func(s string) string { return s })
					escaped := fill(path, ids, url.PathEscape)
					ref, err := url.Parse("." + unescaped)
					require.NoError(t, err)
					resolved := base.ResolveReference(ref).EscapedPath()
					for _, target := range []string{unescaped, escaped, resolved} {
						tok := token
						if !takesScope(op, "account") {
							tok = appToken
						}
						status, body := rawRequest(t, srv, method, target, tok, requestExample(t, op))
						if other := routeOf(t, srv, method, target); target == resolved && other != nil && other.Operation != op {
							assert.NotNil(t, other.Operation.Responses.Status(status), "%s %s is served as %s: %d is not one of its statuses: %s",
								method, target, other.Operation.OperationID, status, body)
							continue
						}
						if target == escaped && hostile != "." && hostile != ".." {
							// One escaped segment: the operation's own route, with an id nothing has.
							assert.Equal(t, http.StatusNotFound, status, "%s %s: %s", method, target, body)
							assert.Contains(t, body, `"not_found"`, "%s %s", method, target)
							continue
						}
						assert.Equal(t, http.StatusNotFound, status, "%s %s: %s", method, target, body)
						assert.Contains(t, body, `"code":"not_found"`, "%s %s", method, target)
					}
				}
			}
		}
	}

	// Nothing was touched.
	got, err := acct.GetAppWithResponse(ctx, v1, app.ID)
	wantStatus(t, got, err, http.StatusOK)
	gotKey, err := acct.GetAppKeyWithResponse(ctx, v1, app.ID, key.ID)
	wantStatus(t, gotKey, err, http.StatusOK)
	gotHook, err := acct.GetWebhookWithResponse(ctx, v1, app.ID, hook.JSON201.Webhook.ID)
	wantStatus(t, gotHook, err, http.StatusOK)
	gotInteg, err := acct.GetIntegrationWithResponse(ctx, v1, app.ID, email.ID)
	wantStatus(t, gotInteg, err, http.StatusOK)
	gotSA, err := acct.GetServiceAccountWithResponse(ctx, v1, saID)
	wantStatus(t, gotSA, err, http.StatusOK)
	gotSAKey, err := acct.GetServiceAccountKeyWithResponse(ctx, v1, saID, saKey.ID)
	wantStatus(t, gotSAKey, err, http.StatusOK)
	assert.Equal(t, "victim", got.JSON200.App.Name)
}

// takesScope reports whether op's x-smooch-scopes lists scope.
func takesScope(op *openapi3.Operation, scope string) bool {
	scopes, _ := op.Extensions["x-smooch-scopes"].([]any)
	for _, s := range scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// requestExample is the first example body the contract gives op ("" for none), so that only the id can be
// wrong about a request.
func requestExample(t *testing.T, op *openapi3.Operation) string {
	t.Helper()
	if op.RequestBody == nil {
		return ""
	}
	media := op.RequestBody.Value.Content.Get("application/json")
	if media == nil {
		return photoBody // the profile photo's multipart body (rawRequest sends its content type)
	}
	for _, ex := range media.Examples {
		b, err := json.Marshal(ex.Value.Value)
		require.NoError(t, err)
		return string(b)
	}
	t.Fatalf("%s has no request example", op.OperationID)
	return ""
}

// routeOf is the contract route of a clean path, nil for none.
func routeOf(t *testing.T, srv *smoochtest.Server, method, target string) *routers.Route {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+target, nil)
	require.NoError(t, err)
	route, _, err := contract.Route(req)
	if err != nil {
		return nil
	}
	return route
}

// versionServing is the first API version that serves op (its apiVersion parameter's enum, the operation's
// own or its path's).
func versionServing(item *openapi3.PathItem, op *openapi3.Operation) string {
	version := "v1"
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range params {
			if p.Value.Name == "apiVersion" {
				version = p.Value.Schema.Value.Enum[0].(string)
			}
		}
	}
	return version
}

func pathParams(path string) []string {
	var names []string
	for _, seg := range strings.Split(path, "/") {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			names = append(names, strings.TrimSuffix(name, "}"))
		}
	}
	return names
}

func fill(path string, ids map[string]string, escape func(string) string) string {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			segs[i] = escape(ids[strings.TrimSuffix(name, "}")])
		}
	}
	return strings.Join(segs, "/")
}

// photoBody is a multipart body carrying a PNG photo in its source field, for the profile photo upload.
const photoBody = "--p\r\nContent-Disposition: form-data; name=\"source\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n" +
	"\x89PNG\r\n\x1a\n-not-really-a-png\r\n--p--\r\n"

// rawRequest writes the request line with target exactly as given: no URL library cleans it on the way.
func rawRequest(t *testing.T, srv *smoochtest.Server, method, target, token, body string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	contentType := "application/json"
	if body == photoBody {
		contentType = "multipart/form-data; boundary=p"
	}
	_, err = fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		method, target, strings.TrimPrefix(srv.URL, "http://"), token, contentType, len(body), body)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	var b strings.Builder
	_, _ = bufio.NewReader(resp.Body).WriteTo(&b)
	return resp.StatusCode, b.String()
}
