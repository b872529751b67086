package smoochtest_test

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// The requests of Smooch's own JavaScript client of the v1 era, smooch-core 6.6.0 on npm (the newest release
// that calls /v1; 8.x calls /v1.1), written down as it sends them: each request line, header and body below
// was read off a raw TCP listener while smooch-core 6.6.0 (node-fetch 1.7.2, jsonwebtoken 5.4.1) on Node 20
// made every call of its provisioning surface, account-scoped and then app-scoped. No npm runs at test time.
//
// What the client does that the Go client does not: lower-case header names in its own order; a
// Content-Type on every request, bodiless GET and DELETE included; `content-length: 0` on a DELETE;
// `connection: close`; a JWT whose header is {"typ","alg","kid"} in that order and whose payload carries
// `iat`; and, with an app-scoped token, the app-scope paths /v1/webhooks, /v1/webhooks/{id} and /v1/menu.

// vendorHeaders are the headers node-fetch 1.7.2 sends for smooch-core, in order; the authorization line
// and, for a body or a DELETE, a content-length line follow, then Host.
const vendorHeaders = "accept: application/json\r\n" +
	"content-type: application/json\r\n" +
	"authorization: Bearer %s\r\n" +
	"accept-encoding: gzip,deflate\r\n" +
	"user-agent: node-fetch/1.0 (+https://github.com/bitinn/node-fetch)\r\n" +
	"connection: close\r\n"

// vendorJWT signs a token as smooch-core does (jsonwebtoken 5.4.1's sign(body, secret, {headers: {kid}})):
// its header's members in jsonwebtoken's order, and an iat claim.
func vendorJWT(key smoochtest.Key, scope string, iat int64) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"HS256","kid":"` + key.ID + `"}`))
	payload := enc.EncodeToString(fmt.Appendf(nil, `{"scope":"%s","iat":%d}`, scope, iat))
	mac := hmac.New(sha256.New, []byte(key.Secret))
	mac.Write([]byte(header + "." + payload))
	return header + "." + payload + "." + enc.EncodeToString(mac.Sum(nil))
}

// vendorCall is one call of smooch-core and the request it sends. path and body hold {name} placeholders,
// filled from what earlier answers captured.
type vendorCall struct {
	call         string // the smooch-core call, with the scope of the client making it
	method, path string
	body         string
	status       int               // the answer the API gives
	capture      map[string]string // placeholder -> the answer's member holding it, e.g. "app": "app._id"
}

// vendorCalls is every provisioning call of smooch-core 6.6.0 in an order that creates what later calls
// need; the "app:" calls are made by a Smooch instance built with the app key's keyId, secret and scope
// "app", the "app jwt:" ones by one built with the JWT the API issued for that key.
var vendorCalls = []vendorCall{
	{call: "apps.create('Acme', {maskCreditCardNumbers: true}, {tier: 'gold'})", method: "POST", path: "/v1/apps",
		body: `{"name":"Acme","settings":{"maskCreditCardNumbers":true},"metadata":{"tier":"gold"}}`, status: 201,
		capture: map[string]string{"app": "app._id"}},
	{call: "apps.list(10, 0)", method: "GET", path: "/v1/apps?limit=10", status: 200},
	{call: "apps.get(appId)", method: "GET", path: "/v1/apps/{app}", status: 200},
	{call: "apps.update(appId, {name})", method: "PUT", path: "/v1/apps/{app}", body: `{"name":"Acme Support"}`, status: 200},
	{call: "apps.keys.create(appId, 'backend')", method: "POST", path: "/v1/apps/{app}/keys", body: `{"name":"backend"}`, status: 201,
		capture: map[string]string{"key": "key._id", "keySecret": "key.secret"}},
	{call: "apps.keys.list(appId)", method: "GET", path: "/v1/apps/{app}/keys", status: 200},
	{call: "apps.keys.get(appId, keyId)", method: "GET", path: "/v1/apps/{app}/keys/{key}", status: 200},
	{call: "apps.keys.getJwt(appId, keyId)", method: "GET", path: "/v1/apps/{app}/keys/{key}/jwt", status: 200,
		capture: map[string]string{"appJWT": "jwt"}},
	{call: "integrations.create(appId, {type: 'telegram', token})", method: "POST", path: "/v1/apps/{app}/integrations",
		body: `{"type":"telegram","token":"192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}`, status: 201,
		capture: map[string]string{"telegram": "integration._id"}},
	{call: "integrations.list(appId, ['telegram', 'web'])", method: "GET", path: "/v1/apps/{app}/integrations?types=telegram%2Cweb", status: 200},
	{call: "integrations.get(appId, integrationId)", method: "GET", path: "/v1/apps/{app}/integrations/{telegram}", status: 200},
	{call: "integrations.create(appId, {type: 'web', brandColor})", method: "POST", path: "/v1/apps/{app}/integrations",
		body: `{"type":"web","brandColor":"00ff00"}`, status: 201, capture: map[string]string{"web": "integration._id"}},
	{call: "integrations.update(appId, integrationId, {brandColor})", method: "PUT", path: "/v1/apps/{app}/integrations/{web}",
		body: `{"brandColor":"ff0000"}`, status: 200},
	{call: "integrations.menu.create(appId, integrationId, {items})", method: "POST", path: "/v1/apps/{app}/integrations/{telegram}/menu",
		body: `{"items":[{"type":"postback","text":"Hi","payload":"HI"}]}`, status: 201},
	{call: "integrations.menu.get(appId, integrationId)", method: "GET", path: "/v1/apps/{app}/integrations/{telegram}/menu", status: 200},
	{call: "integrations.menu.update(appId, integrationId, {items})", method: "PUT", path: "/v1/apps/{app}/integrations/{telegram}/menu",
		body: `{"items":[{"type":"link","text":"Site","uri":"https://acme.example.com"}]}`, status: 200},
	{call: "integrations.menu.delete(appId, integrationId)", method: "DELETE", path: "/v1/apps/{app}/integrations/{telegram}/menu", status: 200},
	{call: "menu.configure(appId, {items})", method: "PUT", path: "/v1/apps/{app}/menu",
		body: `{"items":[{"type":"link","text":"Site","uri":"https://acme.example.com"}]}`, status: 200},
	{call: "menu.get(appId)", method: "GET", path: "/v1/apps/{app}/menu", status: 200},
	{call: "menu.remove(appId)", method: "DELETE", path: "/v1/apps/{app}/menu", status: 200},
	{call: "webhooks.create(appId, {target})", method: "POST", path: "/v1/apps/{app}/webhooks",
		body: `{"target":"https://acme.example.com/hook"}`, status: 201, capture: map[string]string{"hook": "webhook._id"}},
	{call: "webhooks.list(appId)", method: "GET", path: "/v1/apps/{app}/webhooks", status: 200},
	{call: "webhooks.get(appId, webhookId)", method: "GET", path: "/v1/apps/{app}/webhooks/{hook}", status: 200},
	{call: "webhooks.update(appId, webhookId, {triggers})", method: "PUT", path: "/v1/apps/{app}/webhooks/{hook}",
		body: `{"triggers":["message:appUser"]}`, status: 200},
	{call: "webhooks.delete(appId, webhookId)", method: "DELETE", path: "/v1/apps/{app}/webhooks/{hook}", status: 200},
	{call: "serviceAccounts.create('ops')", method: "POST", path: "/v1/serviceaccounts", body: `{"name":"ops"}`, status: 201,
		capture: map[string]string{"sa": "serviceAccount._id"}},
	{call: "serviceAccounts.list(10, 0)", method: "GET", path: "/v1/serviceaccounts?limit=10", status: 200},
	{call: "serviceAccounts.get(serviceAccountId)", method: "GET", path: "/v1/serviceaccounts/{sa}", status: 200},
	{call: "serviceAccounts.update(serviceAccountId, {name})", method: "PUT", path: "/v1/serviceaccounts/{sa}", body: `{"name":"ops2"}`, status: 200},
	{call: "serviceAccounts.keys.create(serviceAccountId, 'k')", method: "POST", path: "/v1/serviceaccounts/{sa}/keys", body: `{"name":"k"}`,
		status: 201, capture: map[string]string{"saKey": "key._id"}},
	{call: "serviceAccounts.keys.list(serviceAccountId)", method: "GET", path: "/v1/serviceaccounts/{sa}/keys", status: 200},
	{call: "serviceAccounts.keys.get(serviceAccountId, keyId)", method: "GET", path: "/v1/serviceaccounts/{sa}/keys/{saKey}", status: 200},
	{call: "serviceAccounts.keys.getJwt(serviceAccountId, keyId)", method: "GET", path: "/v1/serviceaccounts/{sa}/keys/{saKey}/jwt", status: 200},
	{call: "serviceAccounts.keys.delete(serviceAccountId, keyId)", method: "DELETE", path: "/v1/serviceaccounts/{sa}/keys/{saKey}", status: 200},
	{call: "serviceAccounts.delete(serviceAccountId)", method: "DELETE", path: "/v1/serviceaccounts/{sa}", status: 200},

	// The app-scoped client: no app id in its paths, the app is the key's.
	{call: "app: webhooks.create({target})", method: "POST", path: "/v1/webhooks", body: `{"target":"https://acme.example.com/hook"}`,
		status: 201, capture: map[string]string{"appHook": "webhook._id"}},
	{call: "app: webhooks.list()", method: "GET", path: "/v1/webhooks", status: 200},
	{call: "app: webhooks.get(webhookId)", method: "GET", path: "/v1/webhooks/{appHook}", status: 200},
	{call: "app: webhooks.update(webhookId, {target, triggers})", method: "PUT", path: "/v1/webhooks/{appHook}",
		body: `{"target":"https://acme.example.com/other","triggers":["*"]}`, status: 200},
	{call: "app: webhooks.delete(webhookId)", method: "DELETE", path: "/v1/webhooks/{appHook}", status: 200},
	{call: "app: menu.configure({items})", method: "PUT", path: "/v1/menu", body: `{"items":[{"type":"postback","text":"Hi","payload":"HI"}]}`, status: 200},
	{call: "app: menu.get()", method: "GET", path: "/v1/menu", status: 200},
	{call: "app: menu.remove()", method: "DELETE", path: "/v1/menu", status: 200},
	{call: "app jwt: webhooks.list()", method: "GET", path: "/v1/webhooks", status: 200},
	{call: "app jwt: menu.get()", method: "GET", path: "/v1/menu", status: 200},

	{call: "integrations.delete(appId, integrationId)", method: "DELETE", path: "/v1/apps/{app}/integrations/{telegram}", status: 200},
	{call: "apps.keys.delete(appId, keyId)", method: "DELETE", path: "/v1/apps/{app}/keys/{key}", status: 200},
	{call: "apps.delete(appId)", method: "DELETE", path: "/v1/apps/{app}", status: 200},
}

// vendorRequest writes one request as node-fetch 1.7.2 does and reads the answer.
func vendorRequest(t *testing.T, srv *smoochtest.Server, method, target, token, body string) (*http.Response, []byte) {
	t.Helper()
	host := strings.TrimPrefix(srv.URL, "http://")
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n"+vendorHeaders, method, target, token)
	if body != "" || method == http.MethodDelete {
		fmt.Fprintf(&b, "content-length: %d\r\n", len(body))
	}
	fmt.Fprintf(&b, "Host: %s\r\n\r\n%s", host, body)
	raw := b.Bytes()

	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write(raw)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	_ = resp.Body.Close()

	// The answer must be one the contract declares for the request as sent.
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	require.NoError(t, err)
	in, err := contract.ValidateRequest(ctx, req)
	require.NoError(t, err, "%s %s is a request the contract describes", method, target)
	require.NoError(t, contract.ValidateResponse(ctx, in, resp.StatusCode, resp.Header, answer), "%s %s: %d %s", method, target, resp.StatusCode, answer)
	if resp.StatusCode < 300 {
		succeeded.Store(in.Route.Operation.OperationID, true)
	}
	return resp, answer
}

// member is the string at a dotted path of a JSON answer ("app._id").
func member(t *testing.T, answer []byte, path string) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(answer, &v))
	for _, name := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		require.True(t, ok, "%s: no object holds %q in %s", path, name, answer)
		v = obj[name]
	}
	s, ok := v.(string)
	require.True(t, ok, "%s is not a string in %s", path, answer)
	return s
}

// TestTheVendorsJavaScriptClient replays every provisioning request of smooch-core 6.6.0, as it sends them,
// against the fake: each must be answered with the status the API gives and an answer the contract declares.
// Then what the app-scoped client did is what the account sees under /v1/apps/{appId}.
func TestTheVendorsJavaScriptClient(t *testing.T) {
	srv := newServer(t, smoochtest.WithoutWebhookVerification())
	iat := time.Now().Unix()
	tokens := map[string]string{"account": vendorJWT(srv.AccountKey(), "account", iat)}
	ids := map[string]string{}
	fill := func(s string) string {
		for name, id := range ids {
			s = strings.ReplaceAll(s, "{"+name+"}", id)
		}
		return s
	}
	for _, c := range vendorCalls {
		token := tokens["account"]
		switch {
		case strings.HasPrefix(c.call, "app: "):
			token = vendorJWT(smoochtest.Key{ID: ids["key"], Secret: ids["keySecret"]}, "app", iat)
		case strings.HasPrefix(c.call, "app jwt: "):
			token = ids["appJWT"]
		}
		resp, answer := vendorRequest(t, srv, c.method, fill(c.path), token, fill(c.body))
		require.Equal(t, c.status, resp.StatusCode, "%s: %s %s answered %s", c.call, c.method, fill(c.path), answer)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), c.call)
		for name, path := range c.capture {
			ids[name] = member(t, answer, path)
		}
	}
}

// TestTheAppScopePathsAreTheAppsOwn checks that the app-scope paths act on the token's app and no other: a
// webhook and a menu made there are the account's under /v1/apps/{appId}, another app's key sees neither, and
// an account token, which names no app, is refused.
func TestTheAppScopePathsAreTheAppsOwn(t *testing.T) {
	srv := newServer(t, smoochtest.WithoutWebhookVerification())
	acct := accountToken(t, srv.AccountKey())
	iat := time.Now().Unix()
	appToken := func(name string) (string, string) {
		resp, answer := vendorRequest(t, srv, "POST", "/v1/apps", acct, `{"name":"`+name+`"}`)
		require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", answer)
		app := member(t, answer, "app._id")
		resp, answer = vendorRequest(t, srv, "POST", "/v1/apps/"+app+"/keys", acct, `{"name":"k"}`)
		require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", answer)
		key := smoochtest.Key{ID: member(t, answer, "key._id"), Secret: member(t, answer, "key.secret")}
		return app, vendorJWT(key, "app", iat)
	}
	mine, myToken := appToken("mine")
	_, otherToken := appToken("other")

	resp, answer := vendorRequest(t, srv, "POST", "/v1/webhooks", myToken, `{"target":"https://acme.example.com/hook"}`)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", answer)
	hook := member(t, answer, "webhook._id")
	resp, answer = vendorRequest(t, srv, "PUT", "/v1/menu", myToken, `{"items":[{"type":"postback","text":"Hi","payload":"HI"}]}`)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", answer)

	// The account sees them under the app's id.
	resp, answer = vendorRequest(t, srv, "GET", "/v1/apps/"+mine+"/webhooks/"+hook, acct, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", answer)
	resp, answer = vendorRequest(t, srv, "GET", "/v1/apps/"+mine+"/menu", acct, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(answer), `"payload":"HI"`)

	// Another app's key sees neither.
	resp, answer = vendorRequest(t, srv, "GET", "/v1/webhooks/"+hook, otherToken, "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "%s", answer)
	resp, answer = vendorRequest(t, srv, "GET", "/v1/webhooks", otherToken, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"webhooks":[]}`, string(answer))
	resp, answer = vendorRequest(t, srv, "GET", "/v1/menu", otherToken, "")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"menu":{"items":[]}}`, string(answer))

	// An account token names no app.
	for _, target := range []string{"/v1/webhooks", "/v1/webhooks/" + hook, "/v1/menu"} {
		resp, answer = vendorRequest(t, srv, "GET", target, acct, "")
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "GET %s with an account token: %s", target, answer)
		assert.Contains(t, string(answer), "requires app scope", target)
	}

	// Once the app is gone, so is its key: its token is refused.
	resp, _ = vendorRequest(t, srv, "DELETE", "/v1/apps/"+mine, acct, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, answer = vendorRequest(t, srv, "GET", "/v1/webhooks", myToken, "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "%s", answer)
}
