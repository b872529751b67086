package smooch

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
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

// Option configures a Client in New.
type Option func(*config) error

type config struct {
	baseURL    string
	httpClient *http.Client
	userAgent  string
	logger     *slog.Logger
	retry      retryPolicy
}

func defaultConfig() config {
	return config{
		baseURL:    DefaultBaseURL,
		httpClient: &http.Client{Timeout: 60 * time.Second},
		userAgent:  userAgent,
		retry:      retryPolicy{maxRetries: DefaultMaxRetries, baseDelay: DefaultBaseDelay, maxDelay: DefaultMaxDelay},
	}
}

// WithBaseURL sends requests to baseURL instead of https://api.smooch.io, e.g. a smoochtest.Server's URL.
// It must be an absolute http or https URL; a path in it prefixes every request path.
func WithBaseURL(baseURL string) Option {
	return func(c *config) error {
		u, err := url.Parse(baseURL)
		if err != nil {
			// The URL may hold a password (user info): name the problem, never the URL.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return fmt.Errorf("smooch: WithBaseURL: not a URL: %w", err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("smooch: WithBaseURL(%s): want an absolute http or https URL", quoteURL(baseURL))
		}
		if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("smooch: WithBaseURL(%s): want no query, fragment or user info", quoteURL(baseURL))
		}
		c.baseURL = baseURL
		return nil
	}
}

// quoteURL shows a refused base URL in an error, unless it may hold user info (a password), e.g.
// "user:password@host" without its scheme.
func quoteURL(raw string) string {
	if strings.Contains(raw, "@") {
		return "URL with user info, not shown"
	}
	return strconv.Quote(raw)
}

var regionPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// WithRegion sends requests to a regional API: WithRegion("eu-1") uses https://api.eu-1.smooch.io. The
// region "us" (or "") keeps the default https://api.smooch.io.
func WithRegion(region string) Option {
	return func(c *config) error {
		switch {
		case region == "" || region == "us":
			c.baseURL = DefaultBaseURL
		case regionPattern.MatchString(region):
			c.baseURL = "https://api." + region + ".smooch.io"
		default:
			return fmt.Errorf("smooch: WithRegion(%q): not a region name like \"eu-1\"", region)
		}
		return nil
	}
}

// WithHTTPClient sends requests with hc instead of a client with a 60 second timeout. Retries wrap it: they
// apply whatever its Transport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("smooch: WithHTTPClient(nil)")
		}
		c.httpClient = hc
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
			return fmt.Errorf("smooch: WithUserAgent(%q): control characters cannot go in a header", product)
		}
		c.userAgent = product + " " + userAgent
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
			return fmt.Errorf("smooch: WithMaxRetries(%d): want 0 or more", n)
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
			return fmt.Errorf("smooch: WithBackoff(%s, %s): want 0 < base <= max", base, max)
		}
		c.retry.baseDelay, c.retry.maxDelay = base, max
		return nil
	}
}
