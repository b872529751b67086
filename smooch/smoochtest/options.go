package smoochtest

import (
	"net"
)

// An Option configures a Server.
type Option func(*config)

type config struct {
	seed         *int64
	addr         string
	listener     net.Listener
	verifier     WebhookVerifier
	maxBodyBytes int64
	delivery     DeliveryPolicy
}

// DefaultMaxBodyBytes is the request body limit unless WithMaxBodyBytes says
// otherwise. Larger bodies get 413.
const DefaultMaxBodyBytes = 1 << 20

func newConfig(opts []Option) config {
	c := config{addr: "127.0.0.1:0", verifier: HEADVerifier(nil), maxBodyBytes: DefaultMaxBodyBytes}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithSeed makes the server deterministic: ids, app tokens, secrets (the
// starting account key's included) and the JWTs it issues come from a
// generator seeded with seed, so the same requests in the same order get
// byte-identical answers on every run. Issued JWTs never carry time claims.
func WithSeed(seed int64) Option {
	return func(c *config) { c.seed = &seed }
}

// Deterministic is WithSeed(1).
func Deterministic() Option { return WithSeed(1) }

// WithAddr makes the server listen on addr (host:port) instead of a random
// loopback port. NewServer panics if it cannot listen there.
func WithAddr(addr string) Option {
	return func(c *config) { c.addr = addr }
}

// WithListener makes the server serve on l, which it closes on Close.
// It takes precedence over WithAddr.
func WithListener(l net.Listener) Option {
	return func(c *config) { c.listener = l }
}

// WithWebhookVerifier replaces the check run on a webhook's target before the
// webhook is created or its target changed. The default is HEADVerifier(nil),
// which makes a real HTTP HEAD request to the target's scheme://host; tests
// point targets at an httptest server on loopback, or pass their own verifier.
func WithWebhookVerifier(v WebhookVerifier) Option {
	return func(c *config) { c.verifier = v }
}

// WithoutWebhookVerification accepts every syntactically valid webhook target
// without contacting it.
func WithoutWebhookVerification() Option {
	return WithWebhookVerifier(nil)
}

// WithMaxBodyBytes sets the request body limit (default DefaultMaxBodyBytes).
// A larger body gets 413 with the documented error body.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) { c.maxBodyBytes = n }
}
