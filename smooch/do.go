package smooch

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"
)

// Do calls any endpoint of the API, one this package has no method for yet included, with the client's
// credentials, retries, options and error decoding:
//
//	var out struct {
//		Menu json.RawMessage `json:"menu"`
//	}
//	err := client.Do(ctx, http.MethodGet, "/v1/apps/"+url.PathEscape(appID)+"/menu", nil, &out)
//
// path is the request's path from the base URL on, escaped (url.PathEscape each id), with an optional
// query; a path with an empty, "." or ".." segment is refused, as ids are by the typed methods. method is
// upper case, as HTTP methods are. in is the request body: nil for none, a []byte, json.RawMessage or
// io.Reader sent as is, anything else encoded as JSON (text that is not UTF-8, which JSON would send
// altered, is a *ValidationError naming its member). A 2xx response is decoded into out: nil discards it,
// *[]byte or *json.RawMessage receive it raw, any other non-nil pointer is decoded into (checked before
// sending). Any other status is an *APIError. Retries follow the method: GET, PUT and DELETE as the typed
// methods', POST only when the request certainly did not arrive. No scope is checked before sending: the
// API decides.
func (c *Client) Do(ctx context.Context, method, path string, in, out any, opts ...Option) error {
	const name = "Client.Do"
	if ctx == nil {
		return &ValidationError{Subject: name, Field: "ctx", Problem: "is nil"}
	}
	if !validHeaderName(method) {
		return &ValidationError{Subject: name, Field: "method", Problem: fmt.Sprintf("%q is not an HTTP method", method)}
	}
	if upper := strings.ToUpper(method); upper != method {
		// Methods are case-sensitive: "get" would reach no endpoint, and would not be retried as GET is.
		return &ValidationError{Subject: name, Field: "method", Problem: fmt.Sprintf("%q must be upper case (%s)", method, upper)}
	}
	if err := checkRawPath(name, path); err != nil {
		return err
	}
	// out is checked before sending: a create must not be performed only for its answer to be undecodable.
	if out != nil {
		if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
			return &ValidationError{Subject: name, Field: "out", Problem: fmt.Sprintf("must be nil or a non-nil pointer, got %T", out)}
		}
	}
	if in != nil {
		if v := reflect.ValueOf(in); v.Kind() == reflect.Pointer && v.IsNil() {
			return &ValidationError{Subject: name, Field: "in", Problem: fmt.Sprintf("is a nil %T: pass nil for no body", in)}
		}
	}
	var body []byte
	switch b := in.(type) {
	case nil:
	case []byte:
		body = b
	case json.RawMessage:
		body = b
	case io.Reader:
		read, err := io.ReadAll(b)
		if err != nil {
			return notPerformed(fmt.Errorf("smooch: %s: reading the request body: %w", name, err))
		}
		body = read
	default:
		encoded, err := encode(name, in)
		if err != nil {
			return err
		}
		body = encoded
	}
	cfg, err := c.callConfig(opts)
	if err != nil {
		return err
	}
	data, err := c.exchange(ctx, cfg, name, method, cfg.baseURL+path, body, jsonContent, nil)
	if err != nil {
		return err
	}
	switch dst := out.(type) {
	case nil:
	case *[]byte:
		*dst = data
	case *json.RawMessage:
		*dst = data
	default:
		if err := json.Unmarshal(data, out); err != nil {
			return maybePerformed(fmt.Errorf("smooch: %s: decoding the response: %w", name, err)) // a 2xx: performed
		}
	}
	return nil
}

// checkRawPath refuses a path that is not absolute, that has a segment URL resolution would remove or fold
// (an empty one, or one that is or unescapes to "." or ".."), or that has a '#': a fragment is never sent, so
// an unescaped id holding one would send the request to another resource.
func checkRawPath(name, path string) error {
	if strings.Contains(path, "#") {
		return &ValidationError{Subject: name, Field: "path", Problem: fmt.Sprintf("%q has a '#', which would cut the path short: escape ids with url.PathEscape", path)}
	}
	p, _, _ := strings.Cut(path, "?")
	rest, ok := strings.CutPrefix(p, "/")
	if !ok {
		return &ValidationError{Subject: name, Field: "path", Problem: fmt.Sprintf("%q does not start with /", path)}
	}
	for _, seg := range strings.Split(rest, "/") {
		u, err := url.PathUnescape(seg)
		if err != nil || u == "" || u == "." || u == ".." {
			return &ValidationError{Subject: name, Field: "path", Problem: fmt.Sprintf("%q has an empty, dot or malformed segment %q: escape ids with url.PathEscape", path, seg)}
		}
	}
	return nil
}
