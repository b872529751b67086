package smooch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/smoochkit/smooch-go/gen"
)

// Client calls the Smooch v1 provisioning API. Build one with New; it is safe for concurrent use and should
// be reused. Its services group the operations by resource, as the API reference does.
type Client struct {
	// Apps creates, lists, fetches, updates and deletes apps (account scope).
	Apps *AppsService
	// AppKeys manages the secret keys of an app and fetches app-scoped JWTs (account scope).
	AppKeys *AppKeysService
	// ServiceAccounts manages service accounts (account scope, user account keys only).
	ServiceAccounts *ServiceAccountsService
	// ServiceAccountKeys manages the secret keys of service accounts (account scope, user account keys only).
	ServiceAccountKeys *ServiceAccountKeysService
	// Integrations connects messaging channels to an app (account scope).
	Integrations *IntegrationsService
	// Webhooks manages an app's webhooks (account or app scope).
	Webhooks *WebhooksService

	baseURL string
	access  access
	api     gen.ClientInterface // sends through the transport, which alone holds the token
}

// New returns a Client authenticated by creds. It validates the credentials and, for a key, signs the JWT
// once: every request reuses it. Mistakes are reported here, before any request: an empty key id or secret,
// a key that cannot carry the requested scope (an app key asked for account scope), appUser scope without a
// user id.
//
// Without options the client calls https://api.smooch.io, retries twice, and logs nothing.
func New(creds Credentials, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	a, err := creds.resolve()
	if err != nil {
		return nil, err
	}
	doer := &transport{hc: cfg.httpClient, token: a.token, userAgent: cfg.userAgent, retry: cfg.retry, logger: cfg.logger}
	api, err := gen.NewClient(cfg.baseURL, gen.WithHTTPClient(doer))
	if err != nil {
		return nil, fmt.Errorf("smooch: %w", err)
	}
	c := &Client{baseURL: strings.TrimSuffix(cfg.baseURL, "/"), access: a.access, api: api}
	c.Apps = &AppsService{c}
	c.AppKeys = &AppKeysService{c}
	c.ServiceAccounts = &ServiceAccountsService{c}
	c.ServiceAccountKeys = &ServiceAccountKeysService{c}
	c.Integrations = &IntegrationsService{c}
	c.Webhooks = &WebhooksService{c}
	return c, nil
}

// BaseURL is the URL the client sends requests to, e.g. "https://api.smooch.io".
func (c *Client) BaseURL() string { return c.baseURL }

// Scope is the scope of the client's credentials; empty for a ready-made token that does not state one.
func (c *Client) Scope() Scope { return c.access.scope }

func (c *Client) fields() []field {
	return []field{{name: "BaseURL", value: c.baseURL}, {name: "Scope", value: c.access.scope}}
}

// Format prints the client's base URL and scope; the client holds no token to print.
func (c *Client) Format(s fmt.State, verb rune) { formatRedacted(s, verb, "Client", c.fields()) }

// GoString is %#v, without the token.
func (c *Client) GoString() string { return goStringRedacted("Client", c.fields()) }

// LogValue logs the client's base URL and scope, never its token.
func (c *Client) LogValue() slog.Value { return logValueRedacted(c.fields()) }

// maxResponse bounds the size of a response body read into memory.
const maxResponse = 32 << 20

// call sends the request with send (a generated method) and decodes a 2xx body into T; a non-2xx status
// becomes *APIError. The caller has run c.begin: the scope and the arguments are already checked.
func call[T any](ctx context.Context, c *Client, op operation, send func(context.Context) (*http.Response, error)) (*T, error) {
	body, err := exchange(ctx, c, op, send)
	if err != nil {
		return nil, err
	}
	var out T
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("smooch: %s: decoding the response: %w", op.method, err)
	}
	return &out, nil
}

// callNoBody is call for the deletes, whose body ({}) carries nothing.
func callNoBody(ctx context.Context, c *Client, op operation, send func(context.Context) (*http.Response, error)) error {
	_, err := exchange(ctx, c, op, send)
	return err
}

func exchange(ctx context.Context, c *Client, op operation, send func(context.Context) (*http.Response, error)) ([]byte, error) {
	if ctx == nil {
		return nil, fmt.Errorf("smooch: %s: nil context", op.method)
	}
	resp, err := send(ctx)
	if err != nil {
		return nil, fmt.Errorf("smooch: %s: %w", op.method, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return nil, fmt.Errorf("smooch: %s: reading the response: %w", op.method, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newAPIError(resp, body)
	}
	return bytes.TrimSpace(body), nil
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

// requireName refuses an empty name, which the API would refuse with 400.
func requireName(op operation, name string) error {
	if strings.TrimSpace(name) == "" {
		return &ValidationError{Subject: op.method, Field: "name", Problem: "is empty"}
	}
	return nil
}

// begin runs the checks of a call before anything is sent: first the scope, then the ids, then the arguments'
// checks. ids fill op's path parameters in order: every {parameter} of the contract's path is checked by
// checkPathParam, under the contract's name for it.
func (c *Client) begin(op operation, ids []string, checks ...error) error {
	if err := c.access.permit(op); err != nil {
		return err
	}
	names := op.pathParams()
	if len(ids) != len(names) {
		panic(fmt.Sprintf("smooch: %s takes %d ids for %s, got %d", op.method, len(names), op.path, len(ids)))
	}
	for i, id := range ids {
		if err := checkPathParam(op, names[i], id); err != nil {
			return err
		}
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}
