package smoochtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// A WebhookVerifier checks a webhook target before the fake stores it, as
// Smooch does: "Smooch will make a HTTP HEAD request to the provided domain".
// origin is the target's scheme://host[:port], with no path. A non-nil error
// rejects the webhook with 400, its text in the description.
type WebhookVerifier func(ctx context.Context, origin *url.URL) error

// DefaultVerifyTimeout bounds HEADVerifier's request when its client sets no
// Timeout of its own.
const DefaultVerifyTimeout = 5 * time.Second

// HEADVerifier makes a real HTTP HEAD request to the origin with client (nil:
// a plain http.Client), without following redirects and giving up after the
// client's Timeout, or DefaultVerifyTimeout if it has none. Any HTTP answer
// below 500 counts: the domain answers. A network error, a timeout or a 5xx
// fails.
func HEADVerifier(client *http.Client) WebhookVerifier {
	if client == nil {
		client = &http.Client{}
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if c.Timeout <= 0 {
		c.Timeout = DefaultVerifyTimeout
	}
	return func(ctx context.Context, origin *url.URL) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, origin.String(), nil)
		if err != nil {
			return err
		}
		resp, err := c.Do(req)
		if err != nil {
			return fmt.Errorf("HEAD %s failed: %w", origin, err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			return fmt.Errorf("HEAD %s answered %s", origin, resp.Status)
		}
		return nil
	}
}

// LoopbackHEADVerifier is HEADVerifier for loopback origins only: a target on
// any other host is rejected without being contacted. It suits environments
// where the fake must not reach the network.
func LoopbackHEADVerifier(client *http.Client) WebhookVerifier {
	head := HEADVerifier(client)
	return func(ctx context.Context, origin *url.URL) error {
		if !isLoopbackHost(origin.Hostname()) {
			return fmt.Errorf("only loopback webhook targets are verified here, not %s", origin.Host)
		}
		return head(ctx, origin)
	}
}

// isLoopbackHost reports whether host (no port) is "localhost" or a loopback
// IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
