package smoochtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/openapi"
)

// The fake answers every operation of the contract; a contract change it does
// not follow breaks the build here.
var _ gen.StrictServerInterface = (*backend)(nil)

// backend implements the operations. It is separate from Server so that the
// 29 handler methods do not clutter Server's API.
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

	mu       sync.Mutex
	listener net.Listener
	http     *http.Server
	closed   bool
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
	v, err := openapi.NewValidator()
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
	s.listener = l
	s.URL = "http://" + l.Addr().String()
	s.http = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(l) }()
}

// Close stops the server and closes its connections, like httptest's Close.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	if s.http != nil {
		_ = s.http.Close()
	}
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

// opPolicy is who may call an operation, from its contract extensions.
type opPolicy struct {
	scopes          []string
	userAccountOnly bool
}

func policiesOf(v *openapi.Validator) map[string]opPolicy {
	out := map[string]opPolicy{}
	for _, item := range v.Doc().Paths.Map() {
		for _, op := range item.Operations() {
			var p opPolicy
			raw, _ := op.Extensions["x-smooch-scopes"].([]any)
			for _, sc := range raw {
				if str, ok := sc.(string); ok {
					p.scopes = append(p.scopes, str)
				}
			}
			if len(p.scopes) == 0 {
				panic("smoochtest: contract operation " + op.OperationID + " has no x-smooch-scopes")
			}
			p.userAccountOnly, _ = op.Extensions["x-smooch-user-account-only"].(bool)
			out[op.OperationID] = p
		}
	}
	return out
}

type routeKey struct{}

// buildHandler chains the middleware in the order the API would judge a
// request: body size (413), injected faults, contract validation (400),
// authentication (401), authorization by operation (403), then the handler.
func (s *Server) buildHandler() http.Handler {
	strict := gen.NewStrictHandlerWithOptions(s.backend, nil, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, badRequest("%v", err))
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, asAPIError(err))
		},
	})
	mux := gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, badRequest("%v", err))
		},
	})
	return s.limitBody(s.route(s.injectFaults(s.validate(s.authn(mux)))))
}

func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		max := s.cfg.maxBodyBytes
		tooLarge := newError(http.StatusRequestEntityTooLarge, "Request body is too large (limit %d bytes)", max)
		if r.ContentLength > max {
			writeError(w, tooLarge)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(io.LimitReader(r.Body, max+1))
			if err != nil {
				writeError(w, badRequest("read request body: %v", err))
				return
			}
			if int64(len(body)) > max {
				writeError(w, tooLarge)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) route(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, _, err := s.validator.Route(r)
		switch {
		case errors.Is(err, routers.ErrMethodNotAllowed):
			writeError(w, newError(http.StatusMethodNotAllowed, "%s is not allowed on %s", r.Method, r.URL.Path))
			return
		case err != nil:
			writeError(w, newError(http.StatusNotFound, "No such endpoint: %s %s", r.Method, r.URL.Path))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), routeKey{}, route)))
	})
}

func operationID(r *http.Request) string {
	route, _ := r.Context().Value(routeKey{}).(*routers.Route)
	if route == nil {
		return ""
	}
	return route.Operation.OperationID
}

func (s *Server) validate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// kin-openapi and the generated binder both decode the first JSON
		// value and ignore what follows; the API would refuse such a body.
		if r.Body != nil && r.Body != http.NoBody {
			body, _ := io.ReadAll(r.Body) // an in-memory reader: limitBody read it
			r.Body = io.NopCloser(bytes.NewReader(body))
			if len(bytes.TrimSpace(body)) > 0 && !json.Valid(body) {
				writeError(w, badRequest("request body is not valid JSON"))
				return
			}
		}
		_, err := s.validator.ValidateRequest(r.Context(), r)
		if err != nil {
			var secErr *openapi3filter.SecurityRequirementsError
			if errors.As(err, &secErr) {
				writeError(w, unauthorized("Authorization is required"))
				return
			}
			writeError(w, badRequest("%s", describeValidation(err)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) authn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, aerr := s.authenticate(r)
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		policy := s.policies[operationID(r)]
		if aerr := authorize(p, policy.scopes, policy.userAccountOnly); aerr != nil {
			writeError(w, aerr)
			return
		}
		next.ServeHTTP(w, r.WithContext(withPrincipal(r.Context(), p)))
	})
}
