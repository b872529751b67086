package smoochtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/openapi"
)

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
// request: routing (404 for what the contract does not serve), body size
// (413), injected faults, authentication (401) and authorization by operation
// (403), contract validation (400), then the handler. Credentials are judged
// before the body, so a caller without them learns nothing about the
// request's shape, and a test of a bad token gets 401 whatever it sends.
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
	return s.route(s.limitBody(s.injectFaults(s.authn(s.validate(mux)))))
}

// limitBody answers 413 to a body over the limit. Operations that take no
// body (GET, DELETE) ignore one instead: the contract declares neither 413 nor
// 400 for them, and "the request body exceeds the maximum allowed size for the
// current endpoint" cannot apply where the endpoint reads no body.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		if routeOf(r).Operation.RequestBody == nil {
			// net/http discards what is left unread once the handler returns.
			r.Body, r.ContentLength = http.NoBody, 0
			next.ServeHTTP(w, r)
			return
		}
		limit := s.cfg.maxBodyBytes
		if operationID(r) == "uploadIntegrationProfilePhoto" {
			limit = max(limit, maxProfilePhoto+64<<10) // a 5 MiB photo and its multipart framing
		}
		tooLarge := newError(http.StatusRequestEntityTooLarge, "Request body is too large (limit %d bytes)", limit)
		if r.ContentLength > limit {
			writeError(w, tooLarge)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			writeError(w, badRequest("read request body: %v", err))
			return
		}
		if int64(len(body)) > limit {
			writeError(w, tooLarge)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func (s *Server) route(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !plainPath(r.URL.EscapedPath()) {
			writeError(w, newError(http.StatusNotFound, "No such endpoint: %s %s", r.Method, r.URL.EscapedPath()))
			return
		}
		route, params, err := s.validator.Route(r)
		if err == nil && !servesVersion(route, params["apiVersion"]) {
			// /v2/apps, or /v1/whatsapp/deployments (an operation v1.1 added): no endpoint, as the API answers.
			err = errors.New("no such version")
		}
		if err != nil {
			// Unknown paths and unknown methods on known paths alike: Smooch's
			// status table has no 405, and 404 is its answer for what it does
			// not serve. The contract has no operation here, so it declares
			// nothing either way.
			writeError(w, newError(http.StatusNotFound, "No such endpoint: %s %s", r.Method, r.URL.Path))
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), routeKey{}, route)))
	})
}

// servesVersion reports whether the route's operation is served under the API version a path names: its
// apiVersion parameter's enum (the operation's own, or its path's) lists it.
func servesVersion(route *routers.Route, version string) bool {
	var enum []any
	for _, params := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.Name == "apiVersion" && p.Value.Schema != nil && p.Value.Schema.Value != nil {
				enum = p.Value.Schema.Value.Enum
			}
		}
	}
	return enum == nil || slices.Contains(enum, any(version))
}

// plainPath reports whether every segment of an escaped path is one the API could route: not empty, not a
// dot segment ("." or "..", escaped or not) and not one that unescapes to a slash. Anything else is answered
// 404 before routing, as the API answers it: an id never contains a slash nor is a dot segment, and a router
// that cleaned such a path (net/http's mux redirects to the cleaned path, kin-openapi's router matches the
// unescaped one) would serve another resource, the parent above all.
func plainPath(p string) bool {
	rest, ok := strings.CutPrefix(p, "/")
	if !ok {
		return false
	}
	for _, seg := range strings.Split(rest, "/") {
		u, err := url.PathUnescape(seg)
		if err != nil || u == "" || u == "." || u == ".." || strings.Contains(u, "/") {
			return false
		}
	}
	return true
}

// routeOf is the contract operation the route middleware found for r.
func routeOf(r *http.Request) *routers.Route {
	route, _ := r.Context().Value(routeKey{}).(*routers.Route)
	return route
}

func operationID(r *http.Request) string { return routeOf(r).Operation.OperationID }

func (s *Server) validate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// kin-openapi and the generated binder both decode the first JSON
		// value and ignore what follows; the API would refuse such a body.
		if r.Body != nil && r.Body != http.NoBody {
			body, _ := io.ReadAll(r.Body) // an in-memory reader: limitBody read it
			r.Body = io.NopCloser(bytes.NewReader(body))
			multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
			if len(bytes.TrimSpace(body)) > 0 && !multipart && !json.Valid(body) {
				writeError(w, badRequest("request body is not valid JSON"))
				return
			}
		}
		// authn has accepted the bearer token, so the contract's security
		// check passes and every error left is the request's shape.
		if _, err := s.validator.ValidateRequest(r.Context(), r); err != nil {
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
