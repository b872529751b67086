package smooch

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// DefaultBaseURL is the API's default (US) region.
const DefaultBaseURL = "https://api.smooch.io"

// Retry defaults: see WithMaxRetries and WithBackoff.
const (
	DefaultMaxRetries = 2
	DefaultBaseDelay  = 500 * time.Millisecond
	DefaultMaxDelay   = 30 * time.Second
)

// DefaultTimeout bounds each HTTP attempt of a client made without WithHTTPClient.
const DefaultTimeout = 60 * time.Second

// regions are the API's regions and their base URLs; "" is the default region.
var regions = map[string]string{"": DefaultBaseURL, "us": DefaultBaseURL, "eu-1": "https://api.eu-1.smooch.io"}

// An Option configures the client. Given to New it applies to every call of the Client; given to a method it
// applies to that call only, on top of the client's:
//
//	client, err := smooch.New(creds, smooch.WithMaxRetries(5))
//	app, err := client.Apps.Get(ctx, appID, smooch.WithMaxRetries(0), smooch.WithHeader("X-Trace", id))
//
// An option with a bad argument fails New, or the call, with a *ValidationError naming it, before anything
// is sent.
type Option func(*config) error

type config struct {
	baseURL      string
	apiVersion   APIVersion
	httpClient   *http.Client
	userAgent    string
	logger       *slog.Logger
	retry        retryPolicy
	header       http.Header // WithHeader's, added to every request
	timeout      time.Duration
	responseInto **http.Response
	pollInterval time.Duration // WaitForStatus's
}

func defaultConfig() config {
	return config{
		baseURL:      DefaultBaseURL,
		apiVersion:   APIVersion1,
		pollInterval: DefaultPollInterval,
		httpClient:   withoutRedirects(&http.Client{Timeout: DefaultTimeout}),
		userAgent:    userAgent,
		retry:        retryPolicy{maxRetries: DefaultMaxRetries, baseDelay: DefaultBaseDelay, maxDelay: DefaultMaxDelay},
	}
}

func (c *config) apply(opts []Option) error {
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return err
		}
	}
	return nil
}

func optionError(option, field, format string, args ...any) error {
	return &ValidationError{Subject: option, Field: field, Problem: fmt.Sprintf(format, args...)}
}

// WithBaseURL sends requests to baseURL instead of https://api.smooch.io, e.g. a smoochtest.Server's URL.
// It must be an absolute http or https URL without query, fragment or user info; a path in it prefixes every
// request path.
func WithBaseURL(baseURL string) Option {
	return func(c *config) error {
		u, err := url.Parse(baseURL)
		if err != nil {
			// The URL may hold a password (user info): name the problem, never the URL.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return optionError("WithBaseURL", "baseURL", "is not a URL (%v): want an absolute http or https URL, e.g. http://127.0.0.1:8089", err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return optionError("WithBaseURL", "baseURL", "is %s: want an absolute http or https URL, e.g. http://127.0.0.1:8089", quoteURL(baseURL))
		}
		if p := strings.TrimSuffix(u.Path, "/"); strings.HasSuffix(p, "/v1") || strings.HasSuffix(p, "/v1.1") {
			// Every request path starts with its version already: this base would send GET /v1/v1/apps.
			return optionError("WithBaseURL", "baseURL", "is %s: leave out the API version (/v1, /v1.1), which every request path starts with (choose it with WithAPIVersion)", quoteURL(baseURL))
		}
		if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return optionError("WithBaseURL", "baseURL", "is %s: want no query, fragment or user info", quoteURL(baseURL))
		}
		c.baseURL = strings.TrimSuffix(baseURL, "/")
		return nil
	}
}

// quoteURL shows a refused base URL in an error, unless it may hold user info (a password), e.g.
// "user:password@host" without its scheme.
func quoteURL(raw string) string {
	if strings.Contains(raw, "@") {
		return "a URL with user info (not shown)"
	}
	return strconv.Quote(raw)
}

// WithRegion sends requests to one of the API's regions: "us" (or "", the default, https://api.smooch.io) or
// "eu-1" (https://api.eu-1.smooch.io). Any other region is refused.
func WithRegion(region string) Option {
	return func(c *config) error {
		u, ok := regions[region]
		if !ok {
			return optionError("WithRegion", "region", "is %q: want \"us\" or \"eu-1\"", region)
		}
		c.baseURL = u
		return nil
	}
}

// WithHTTPClient sends requests with hc instead of a client with a DefaultTimeout timeout per attempt.
// Retries wrap it: they apply whatever its Transport. Its CheckRedirect is not used: the client never follows
// a redirect (the API sends none), and returns it as an *APIError with the Location in its Header. hc is
// copied when the option applies: change it afterwards and the client does not see the change.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return optionError("WithHTTPClient", "client", "is nil")
		}
		c.httpClient = withoutRedirects(hc)
		return nil
	}
}

// WithUserAgent names your application in the User-Agent header: "product smooch-go/<version>".
func WithUserAgent(product string) Option {
	return func(c *config) error {
		if product == "" {
			c.userAgent = userAgent
			return nil
		}
		// Caught here rather than by net/http, which would refuse every request of the client.
		if strings.ContainsFunc(product, unicode.IsControl) {
			return optionError("WithUserAgent", "product", "%q holds control characters, which cannot go in a header", product)
		}
		c.userAgent = product + " " + userAgent
		return nil
	}
}

// WithHeader adds a header to the requests, e.g. a tracing id. Authorization is the credentials' (see New),
// Host the base URL's, Content-Type and Accept the body's (JSON), and User-Agent WithUserAgent's: they cannot
// be set.
func WithHeader(key, value string) Option {
	return func(c *config) error {
		if !validHeaderName(key) {
			return optionError("WithHeader", "key", "%q is not a header name", key)
		}
		if strings.ContainsFunc(value, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }) {
			return optionError("WithHeader", "value", "of %s holds characters a header cannot carry", key)
		}
		switch http.CanonicalHeaderKey(key) {
		case "Authorization", "Host", "Content-Type", "Accept":
			return optionError("WithHeader", "key", "%s is set by the client, not by an option", http.CanonicalHeaderKey(key))
		case "User-Agent":
			return optionError("WithHeader", "key", "User-Agent is set with WithUserAgent, which keeps the client's own product token")
		}
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header.Add(key, value)
		return nil
	}
}

// WithLogger logs each HTTP attempt at debug level: method, path, status, duration, attempt, and the wait
// before a retry. It never logs headers, bodies, tokens nor secrets. A nil logger (the default) logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithMaxRetries sets how many times a failed request may be retried (default 2; 0 disables retries).
//
// GET, PUT and DELETE are retried on 429, 502, 503 and 504 responses and on connection errors. POST is
// retried only when the request certainly did not reach the server: on 429 and when the connection could
// not be made. So a create is never sent twice.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return optionError("WithMaxRetries", "n", "is %d: want 0 or more", n)
		}
		c.retry.maxRetries = n
		return nil
	}
}

// WithBackoff sets the exponential backoff between retries: the n-th retry waits about base·2ⁿ (jittered
// between half and all of it), never more than max. A Retry-After header replaces the computed wait; one
// longer than max is not waited for: the 429 or 503 is returned as an *APIError at once.
func WithBackoff(base, max time.Duration) Option {
	return func(c *config) error {
		if base <= 0 || max < base {
			return optionError("WithBackoff", "base, max", "are %s, %s: want 0 < base <= max", base, max)
		}
		c.retry.baseDelay, c.retry.maxDelay = base, max
		return nil
	}
}

// WithTimeout bounds a call as a whole, retries and their waits included (the context's deadline bounds it
// too). Zero, the default, leaves calls bounded by the context and by each attempt's HTTP client timeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return optionError("WithTimeout", "d", "is %s: want 0 or more", d)
		}
		c.timeout = d
		return nil
	}
}

// WithResponseInto stores the call's last HTTP response in *dst, whatever its status: headers, status, and a
// Body that can be read again (it holds what the client read). It applies to one call only: New refuses it.
//
//	var resp *http.Response
//	app, err := client.Apps.Get(ctx, appID, smooch.WithResponseInto(&resp))
func WithResponseInto(dst **http.Response) Option {
	return func(c *config) error {
		if dst == nil {
			return optionError("WithResponseInto", "dst", "is nil")
		}
		c.responseInto = dst
		return nil
	}
}

// validHeaderName reports whether name is an HTTP token (RFC 9110, 5.6.2), as a header name must be.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return true
}
