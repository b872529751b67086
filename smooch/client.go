package smooch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Client calls the Smooch provisioning API, v1 or v1.1 (WithAPIVersion). Build one with New; it is safe for
// concurrent use and should be reused. Its services group the operations by resource, as the API reference
// does.
type Client struct {
	// Apps creates, lists, fetches, updates and deletes apps (account scope).
	Apps *AppsService
	// AppKeys manages the secret keys of an app and fetches app-scoped JWTs (account scope).
	AppKeys *AppKeysService
	// ServiceAccounts manages service accounts (account scope, user account keys only).
	ServiceAccounts *ServiceAccountsService
	// ServiceAccountKeys manages the secret keys of service accounts (account scope, user account keys only).
	ServiceAccountKeys *ServiceAccountKeysService
	// Integrations connects messaging channels to an app, updates them and sets WhatsApp business profiles
	// (account scope).
	Integrations *IntegrationsService
	// Menus sets and removes an app's menu, shown on every channel without a menu of its own (account or app
	// scope).
	Menus *MenusService
	// IntegrationMenus gives an integration a menu of its own, overriding the app's on that channel (account
	// scope).
	IntegrationMenus *IntegrationMenusService
	// Webhooks manages an app's webhooks (account or app scope).
	Webhooks *WebhooksService
	// Deployments manages the WhatsApp deployments whatsapp integrations run on (account scope, v1.1 only).
	Deployments *DeploymentsService

	cfg  config // what every call starts from; a call's options apply to a copy
	auth *auth  // behind a pointer: printing a copy of the Client (or of a service) shows an address, not the token
}

// New returns a Client authenticated by creds. It validates the credentials and, for a key, signs the JWT
// once: every request reuses it. Mistakes are reported here, before any request, as a *CredentialsError (a
// malformed key id, an empty secret, an id and secret that look swapped, a bearer token that is not a JWT, a
// key that cannot carry the requested scope) or a *ValidationError (an option's bad argument).
//
// Without options the client calls https://api.smooch.io under /v1, retries twice, and logs nothing. Options
// given here apply to every call; the same options passed to a method apply to that call only.
func New(creds Credentials, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	if err := cfg.apply(opts); err != nil {
		return nil, err
	}
	if cfg.responseInto != nil {
		return nil, &ValidationError{Subject: "New", Field: "WithResponseInto", Problem: "applies to one call: pass it to a method, not to New"}
	}
	a, err := creds.resolve()
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, auth: &a}
	c.Apps = &AppsService{c}
	c.AppKeys = &AppKeysService{c}
	c.ServiceAccounts = &ServiceAccountsService{c}
	c.ServiceAccountKeys = &ServiceAccountKeysService{c}
	c.Integrations = &IntegrationsService{c}
	c.Menus = &MenusService{c}
	c.IntegrationMenus = &IntegrationMenusService{c}
	c.Webhooks = &WebhooksService{c}
	c.Deployments = &DeploymentsService{c}
	return c, nil
}

// APIVersion is the API version the client calls, APIVersion1 unless WithAPIVersion said otherwise.
func (c *Client) APIVersion() APIVersion { return c.cfg.apiVersion }

// BaseURL is the URL the client sends requests to, e.g. "https://api.smooch.io".
func (c *Client) BaseURL() string { return c.cfg.baseURL }

// Scope is the scope of the client's credentials; empty for a ready-made token that does not state one.
func (c *Client) Scope() Scope { return c.auth.scope }

// Format prints the client's base URL and scope, never its token.
func (c Client) Format(s fmt.State, verb rune) {
	type fields struct {
		BaseURL string
		Scope   Scope
	}
	formatAs(s, verb, "Client", fields{BaseURL: c.cfg.baseURL, Scope: c.auth.scope})
}

// LogValue logs the client's base URL and scope, never its token.
func (c Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("BaseURL", c.cfg.baseURL), slog.String("Scope", string(c.auth.scope)))
}

// maxResponse bounds the size of a response body read into memory: a larger one is an error, whatever the
// server sends. The largest real responses (a page of 100 apps) are a few tens of kilobytes.
const maxResponse = 32 << 20

// jsonContent is the content type of every request body.
const jsonContent = "application/json"

// begin runs the checks of a call before anything is sent: first the scope, then the ids, then the arguments'
// checks. ids fill op's path parameters in order: every {parameter} of the contract's path is checked by
// checkPathParam, under the contract's name for it.
func (c *Client) begin(op operation, ids []string, checks ...error) error {
	if err := c.auth.permit(op); err != nil {
		return err
	}
	var err error
	i := 0
	op.pathParams(func(_, name string) {
		if i < len(ids) && err == nil {
			err = checkPathParam(op, name, ids[i])
		}
		i++
	})
	if i != len(ids) {
		panic(fmt.Sprintf("smooch: %s takes %d ids for %s, got %d", op.method, i, op.path, len(ids)))
	}
	if err != nil {
		return err
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkPathParam refuses an id that would not stay one segment of its path, before anything is sent. Every
// other character is escaped by the generated client, but "." and ".." are not, and a client resolving dot
// segments (as every URL library does) would send the request to the parent resource: DELETE
// /v1/apps/{appId}/integrations/.. deletes nothing it was asked to and reaches /v1/apps/{appId}/. An empty
// id would likewise turn /v1/apps/{appId}/keys/{keyId} into /v1/apps/{appId}/keys/.
func checkPathParam(op operation, name, value string) error {
	switch {
	case strings.TrimSpace(value) == "":
		return &ValidationError{Subject: op.method, Field: name, Problem: "is empty"}
	case value == "." || value == "..":
		return &ValidationError{Subject: op.method, Field: name, Problem: fmt.Sprintf("is %q, a dot segment that would send the request to another resource", value)}
	}
	return nil
}

// requireName refuses an empty name, which the API would refuse with 400, and one that is not valid UTF-8,
// which encoding/json would send altered (its bad bytes replaced with U+FFFD).
func requireName(op operation, name string) error {
	if strings.TrimSpace(name) == "" {
		return &ValidationError{Subject: op.method, Field: "name", Problem: "is empty"}
	}
	if !utf8.ValidString(name) {
		return &ValidationError{Subject: op.method, Field: "name", Problem: "is not valid UTF-8 (JSON would send it altered)"}
	}
	return nil
}

// call sends op's request, its path filled with ids, with query ("" for none) and a JSON body (nil for none),
// and decodes a 2xx body into out (nil: discarded). The caller has run begin with the same ids. The request
// is built here, from the operation table (held to the contract by a test), rather than by the generated
// client: one string and one parse instead of reflection-based parameter styling, two URL parses and a
// reference resolution per call.
func (c *Client) call(ctx context.Context, op operation, ids []string, query string, body []byte, opts []Option, out any) error {
	return c.callSending(ctx, op, ids, query, body, nil, opts, out)
}

// callSending is call for a body that carries credentials: the secret fields of secretsOf (a channel, an
// update) are kept out of the call's *APIError, should a server or proxy echo the request back in its error.
// They are listed only when there is an error to scrub.
func (c *Client) callSending(ctx context.Context, op operation, ids []string, query string, body []byte, secretsOf any, opts []Option, out any) error {
	if ctx == nil {
		return &ValidationError{Subject: op.method, Field: "ctx", Problem: "is nil"}
	}
	cfg, err := c.callConfig(opts)
	if err != nil {
		return err
	}
	return c.send2xx(ctx, cfg, op, ids, query, body, jsonContent, secretsOf, out)
}

// send2xx sends op's request with the call's configuration cfg, a body of contentType, and decodes a 2xx
// answer into out. An operation the configured API version does not serve is refused first.
func (c *Client) send2xx(ctx context.Context, cfg *config, op operation, ids []string, query string, body []byte, contentType string, secretsOf any, out any) error {
	if err := op.checkVersion(cfg.apiVersion); err != nil {
		return err
	}
	target := cfg.baseURL + op.requestPath(cfg.apiVersion, ids)
	if query != "" {
		target += "?" + query
	}
	data, err := c.exchange(ctx, cfg, op.method, op.httpMethod, target, body, contentType, secretsOf)
	if err != nil || out == nil {
		return err
	}
	if err := decodeEnvelope(data, out); err != nil {
		return maybePerformed(fmt.Errorf("smooch: %s: decoding the response: %w", op.method, err)) // a 2xx: performed
	}
	return nil
}

// callConfig is the client's configuration with a call's options applied.
func (c *Client) callConfig(opts []Option) (*config, error) {
	if len(opts) == 0 {
		return &c.cfg, nil
	}
	cfg := c.cfg
	cfg.header = c.cfg.header.Clone()
	if err := cfg.apply(opts); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// exchange sends a request with the call's configuration (retries included) and reads the response: a
// non-2xx status is an *APIError, a 2xx answers its body.
func (c *Client) exchange(ctx context.Context, cfg *config, name, method, target string, body []byte, contentType string, secretsOf any) ([]byte, error) {
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body) // http.NewRequest sets GetBody from it: retries resend the body
	}
	ctx, trace, pooled := traceSends(ctx)
	if pooled {
		defer sendTraces.Put(trace) // after the body is closed: deferred calls run last first
	}
	req, err := http.NewRequestWithContext(ctx, method, target, reader)
	if err != nil {
		return nil, notPerformed(fmt.Errorf("smooch: %s: building the request: %w", name, err))
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, so, err := c.send(cfg, req, trace)
	if err != nil {
		return nil, withOutcome(fmt.Errorf("smooch: %s: %w", name, err), so.earlier || !so.unsent)
	}
	defer func() { _ = resp.Body.Close() }()
	// The answer's status says what the last attempt did, even when its body cannot be read.
	maybe := so.earlier || statusMayHaveActed(resp.StatusCode)
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, withOutcome(fmt.Errorf("smooch: %s: reading the response: %w", name, err), maybe)
	}
	if len(data) > maxResponse {
		return nil, withOutcome(fmt.Errorf("smooch: %s: the response is larger than %d MiB, more than any answer of the API: refused", name, maxResponse>>20), maybe)
	}
	if cfg.responseInto != nil {
		captured := *resp
		captured.Body = io.NopCloser(bytes.NewReader(data))
		*cfg.responseInto = &captured
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := newAPIError(resp, data, c.auth.token, append(c.auth.sent(), secretValues(secretsOf)...))
		e.afterMaybe = so.earlier
		return nil, e
	}
	return data, nil
}
