package smooch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// APIError is the error of every response with a non-2xx status. Use errors.As to read it, or the helpers
// IsNotFound, IsUnauthorized, IsForbidden, IsRateLimited and friends. It matches ErrNotPerformed (errors.Is)
// for a 4xx status, a refusal, and ErrMaybePerformed for any other, or when an earlier attempt of the same
// call may have been performed (a DELETE answered 503 by a gateway, then 404 when retried).
type APIError struct {
	// StatusCode is the HTTP status, e.g. 404.
	StatusCode int
	// Code is the machine readable code of the error body, e.g. "not_found"; empty when the body was not
	// Smooch's JSON error object.
	Code string
	// Description is the human readable description of the error body.
	Description string
	// Method and Path are the request's, e.g. "GET" and "/v1/apps/5f…" (never the query nor any header).
	Method string
	Path   string
	// Body is the raw response body when it was not Smooch's JSON error object (at most 4 KiB), e.g. an HTML
	// page of a proxy.
	Body []byte
	// RetryAfter is how long the response's Retry-After header asked to wait before retrying (a 429, or a
	// 503 during maintenance); zero when it did not say.
	RetryAfter time.Duration
	// Header is the response's header.
	Header http.Header
	// RequestID is the response's X-Request-Id header, if the API (or a proxy in front of it) sent one:
	// quote it when asking Smooch's support about a failed call.
	RequestID string

	afterMaybe bool // an earlier attempt of the call may have been performed (see ErrMaybePerformed)
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "smooch: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", e.Description)
	}
	if e.Code == "" && e.Description == "" && len(e.Body) > 0 {
		body := strings.Join(strings.Fields(string(e.Body)), " ")
		if len(body) > 200 {
			body = body[:200] + "…"
		}
		fmt.Fprintf(&b, ": %q", body)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// maxErrorBody bounds how much of a non-JSON error body is kept.
const maxErrorBody = 4 << 10

// errorBody is the body of every error response the contract declares (its Error schema).
type errorBody struct {
	Error struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	} `json:"error"`
}

// newAPIError builds the error of a non-2xx response from its already read body. token is the client's own
// bearer token and secrets the credentials the request carried (a channel's): a server (or proxy) that echoes
// the request back must not make an error, which is made to be printed and logged, carry them. Every other
// JWT-shaped string is replaced too.
func newAPIError(resp *http.Response, body []byte, token string, secrets []string) *APIError {
	secrets = append([]string{token}, secrets...)
	body = scrubTokens(body, secrets)
	e := &APIError{StatusCode: resp.StatusCode, Header: scrubHeader(resp.Header, secrets), RequestID: resp.Header.Get("X-Request-Id")}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		e.Path = resp.Request.URL.EscapedPath() // as sent: an id holding "/" shows as %2F, not as two segments
	}
	var parsed errorBody
	if json.Unmarshal(body, &parsed) == nil && (parsed.Error.Code != "" || parsed.Error.Description != "") {
		// Scrubbed again once decoded: a server may escape what it echoes differently from the request
		// (`\/` for `/`, `\u0041` for `A`), which the scrub of the raw body cannot see.
		e.Code = string(scrubTokens([]byte(parsed.Error.Code), secrets))
		e.Description = string(scrubTokens([]byte(parsed.Error.Description), secrets))
	} else if len(body) > 0 {
		body = scrubJSONStrings(body, secrets)
		if len(body) > maxErrorBody {
			body = body[:maxErrorBody]
		}
		e.Body = append([]byte(nil), body...)
	}
	// Kept whatever the status: the retries honour it on a 503 as on a 429, and so may the caller.
	e.RetryAfter, _ = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return e
}

// scrubJSONStrings scrubs the decoded strings (keys included) of a JSON body that is not Smooch's error, and
// encodes it again if one held a secret: an escape (`\u0042earer`) hides it from the scrub of the raw body.
// Any other body is returned as it is.
func scrubJSONStrings(body []byte, secrets []string) []byte {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return body
	}
	changed := false
	scrub := func(s string) string {
		out := string(scrubTokens([]byte(s), secrets))
		changed = changed || out != s
		return out
	}
	var walk func(any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case string:
			return scrub(v)
		case []any:
			for i := range v {
				v[i] = walk(v[i])
			}
		case map[string]any:
			out := make(map[string]any, len(v))
			for key, member := range v {
				out[scrub(key)] = walk(member)
			}
			return out
		}
		return v
	}
	v = walk(v)
	if !changed {
		return body
	}
	if encoded, err := json.Marshal(v); err == nil {
		return encoded
	}
	return body
}

// jwtShaped finds JWT-looking strings: a base64url JSON header ("eyJ"), then two more base64url parts.
var jwtShaped = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// scrubTokens replaces in b each of secrets, then every JWT-shaped string.
func scrubTokens(b []byte, secrets []string) []byte {
	for _, s := range secrets {
		if s != "" && bytes.Contains(b, []byte(s)) {
			b = bytes.ReplaceAll(b, []byte(s), []byte(redacted))
		}
	}
	return jwtShaped.ReplaceAllLiteral(b, []byte(redacted))
}

func scrubHeader(h http.Header, secrets []string) http.Header {
	out := h.Clone()
	for key, values := range out {
		for i, v := range values {
			if scrubbed := string(scrubTokens([]byte(v), secrets)); scrubbed != v {
				out[key][i] = scrubbed
			}
		}
	}
	return out
}

// maxRetryAfter is what a Retry-After too long for a time.Duration (about 292 years) reads as.
const maxRetryAfter = time.Duration(math.MaxInt64)

// parseRetryAfter reads a Retry-After header: delay-seconds (digits only, RFC 9110 10.2.3) or an HTTP date.
// A number of seconds too large for a time.Duration is maxRetryAfter, never a wrapped-around short wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		secs, err := strconv.ParseInt(v, 10, 64)
		if err != nil || secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true // only ErrRange is possible here: more seconds than an int64 holds
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

func statusOf(err error) int {
	var e *APIError
	if errors.As(err, &e) {
		return e.StatusCode
	}
	return 0
}

// IsBadRequest reports whether err is an APIError with status 400 Bad Request.
func IsBadRequest(err error) bool { return statusOf(err) == http.StatusBadRequest }

// IsUnauthorized reports whether err is an APIError with status 401 Unauthorized: the JWT was refused.
func IsUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }

// IsPaymentRequired reports whether err is an APIError with status 402: the account's plan does not allow it.
func IsPaymentRequired(err error) bool { return statusOf(err) == http.StatusPaymentRequired }

// IsForbidden reports whether err is an APIError with status 403 Forbidden: the JWT's scope does not allow it.
func IsForbidden(err error) bool { return statusOf(err) == http.StatusForbidden }

// IsNotFound reports whether err is an APIError with status 404 Not Found.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsConflict reports whether err is an APIError with status 409 Conflict.
func IsConflict(err error) bool { return statusOf(err) == http.StatusConflict }

// IsPayloadTooLarge reports whether err is an APIError with status 413.
func IsPayloadTooLarge(err error) bool { return statusOf(err) == http.StatusRequestEntityTooLarge }

// IsRateLimited reports whether err is an APIError with status 429 Too Many Requests (after the retries).
func IsRateLimited(err error) bool { return statusOf(err) == http.StatusTooManyRequests }

// IsServerError reports whether err is an APIError with a 5xx status.
func IsServerError(err error) bool { s := statusOf(err); return s >= 500 && s <= 599 }

// ScopeError reports a call that the client's credentials cannot make, found before sending the request.
type ScopeError struct {
	// Operation is the method called, e.g. "ServiceAccounts.Create".
	Operation string
	// Needs lists the scopes the operation accepts.
	Needs []Scope
	// Have is the scope of the client's credentials.
	Have Scope
	// UserAccountOnly is set when the operation also needs a user account key (act_…) and the client has a
	// service account key (svc_…).
	UserAccountOnly bool
}

func (e *ScopeError) Error() string {
	if e.UserAccountOnly {
		return fmt.Sprintf("smooch: %s needs an account-scoped JWT signed with a user account key (act_…); service account keys (svc_…) cannot manage service accounts", e.Operation)
	}
	return fmt.Sprintf("smooch: %s needs %s scope, but the client's credentials have %s scope", e.Operation, joinScopes(e.Needs), e.Have)
}

// ValidationError reports an argument that cannot be sent, found before any request: the API would refuse
// it, or worse accept it and fail later (a webhook target without a scheme, a Twilio number instead of its
// SID).
type ValidationError struct {
	// Subject is the channel, as the API's `type` names it (e.g. "mailgun"), or the method (e.g. "Apps.List").
	Subject string
	// Field is the argument, as the API names it (e.g. "incomingAddress"). A secret's value is never quoted.
	Field string
	// Problem says what is wrong, e.g. "is required".
	Problem string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("smooch: %s: %s %s", e.Subject, e.Field, e.Problem)
}
