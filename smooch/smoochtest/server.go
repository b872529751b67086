package smoochtest

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/openapi"
)

// The fake answers every operation of the contract; a contract change it does
// not follow breaks the build here.
var _ gen.StrictServerInterface = (*backend)(nil)

// backend implements the operations. It is separate from Server so that the
// 46 handler methods do not clutter Server's API.
type backend struct {
	ids      *idSource
	store    *store
	verifier WebhookVerifier
}

// Key is a secret key pair: the id goes in a JWT's `kid` header and the secret
// signs it (HS256).
type Key struct {
	ID     string
	Secret string
}

// Server is an in-memory Smooch account served over HTTP on loopback. It is
// safe for concurrent use.
type Server struct {
	// URL is the base URL of the running server, e.g. "http://127.0.0.1:51234",
	// with no trailing slash. It is set by Start (NewServer calls Start).
	URL string

	cfg        config
	backend    *backend
	store      *store
	validator  *openapi.Validator
	policies   map[string]opPolicy // by operationId
	faults     faultQueue
	accountKey Key
	handler    http.Handler
	tokens     verifiedTokens
	delivery   *deliverer // webhook calls (deliver.go)
	appUsers   appUsers   // the app users events named (events.go)

	mu       sync.Mutex
	http     *http.Server
	closed   bool
	inflight sync.WaitGroup // requests being served, for Close to wait on
}

// NewServer starts a fake Smooch on a loopback port (or as the options say)
// and returns it. Stop it with Close. It panics if it cannot start, like
// httptest.NewServer.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewUnstartedServer returns a fake Smooch that does not listen yet: call
// Start, or serve Handler() yourself. Its account key exists already.
func NewUnstartedServer(opts ...Option) *Server {
	cfg := newConfig(opts)
	v, err := openapi.NewValidator() // built once per process and shared: it is safe for concurrent use
	if err != nil {
		// The contract is embedded and tested; this is a broken build.
		panic("smoochtest: load contract: " + err.Error())
	}
	ids := newIDSource(cfg.seed)
	s := &Server{
		cfg:       cfg,
		backend:   &backend{ids: ids, store: newStore(ids), verifier: cfg.verifier},
		validator: v,
		policies:  policiesOf(v),
		delivery:  newDeliverer(cfg.delivery),
	}
	s.store = s.backend.store
	s.faults.init()
	s.store.mu.Lock()
	k := s.store.newKey(userAccountKey, "Account key", "")
	s.store.mu.Unlock()
	s.accountKey = Key{ID: k.id, Secret: k.secret}
	s.handler = s.buildHandler()
	return s
}

// Start starts serving on the configured listener or address. It panics if
// the server was started before or cannot listen.
func (s *Server) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.http != nil || s.closed {
		panic("smoochtest: Start called twice or after Close")
	}
	l := s.cfg.listener
	if l == nil {
		var err error
		if l, err = net.Listen("tcp", s.cfg.addr); err != nil {
			panic(fmt.Sprintf("smoochtest: listen on %s: %v", s.cfg.addr, err))
		}
	}
	s.URL = "http://" + l.Addr().String()
	s.http = &http.Server{Handler: s.track(s.handler), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(l) }()
}

// Close stops the server, closes its connections and blocks until every
// request it was serving has returned, like httptest's Close. Requests held by
// a Delay fault or a webhook verification see their context cancelled, and so
// do the webhook calls under way; no call follows.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	hs := s.http
	s.mu.Unlock()
	s.delivery.stop()
	switch {
	case hs != nil:
		_ = hs.Close() // closes the listener too
		s.inflight.Wait()
	case s.cfg.listener != nil:
		_ = s.cfg.listener.Close() // never started: WithListener's still belongs to us
	}
}

// track counts the requests being served so that Close can wait for them.
// The count only grows while the server is open, so it never races Wait.
func (s *Server) track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			panic(http.ErrAbortHandler) // closing: drop the connection
		}
		s.inflight.Add(1)
		s.mu.Unlock()
		defer s.inflight.Done()
		next.ServeHTTP(w, r)
	})
}

// Handler is the fake as an http.Handler, for serving it yourself (as
// cmd/smooch-fake does) or calling it in-process.
func (s *Server) Handler() http.Handler { return s.handler }

// AccountKey is the account owner's user account key (`act_…`). JWTs it signs
// with scope "account" may call every operation.
func (s *Server) AccountKey() Key { return s.accountKey }

// AccountJWT is a JWT with scope "account" signed with AccountKey, ready for
// an Authorization: Bearer header.
func (s *Server) AccountJWT() string {
	t, err := signJWT(s.accountKey.ID, s.accountKey.Secret, scopeAccount)
	if err != nil {
		panic("smoochtest: sign JWT: " + err.Error()) // HMAC signing of a string key cannot fail
	}
	return t
}

// NewAccountKey adds another user account key (`act_…`) to the account, as
// the dashboard would. Service accounts and their keys, by contrast, are made
// through the API (createServiceAccount, createServiceAccountKey).
func (s *Server) NewAccountKey(name string) Key {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	k := s.store.newKey(userAccountKey, name, "")
	return Key{ID: k.id, Secret: k.secret}
}
