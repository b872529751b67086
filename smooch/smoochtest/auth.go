package smoochtest

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/golang-jwt/jwt/v5"
)

// The JWT scopes of the contract's bearerAuth scheme.
const (
	scopeAccount = "account"
	scopeApp     = "app"
	scopeAppUser = "appUser"
)

// principal is who a request acts as, from its verified JWT.
type principal struct {
	keyID            string
	kind             keyKind
	scope            string
	serviceAccountID string // for svc_ keys
	appID            string // for app_ keys
	userID           string // for scope appUser
}

type principalKey struct{}

func withPrincipal(ctx context.Context, p principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

func principalFrom(ctx context.Context) principal {
	p, _ := ctx.Value(principalKey{}).(principal)
	return p
}

func unauthorized(format string, args ...any) *apiError {
	return newError(http.StatusUnauthorized, format, args...)
}

func invalidAuth(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusUnauthorized, Code: "invalid_auth", Description: fmt.Sprintf(format, args...)}
}

// authenticate verifies the request's credentials as the API documents them: a
// bearer JWT (HS256 only, `kid` naming a live key, signature by that key's
// secret, and a `scope` claim that the key's type may carry), or basic
// authentication with a live key's id and secret, whose scope is its owner's.
func (s *Server) authenticate(r *http.Request) (principal, *apiError) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Basic") {
		return s.authenticateBasic(token)
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return principal{}, unauthorized("Authorization is required")
	}
	if p, ok := s.tokens.lookup(token, s.store); ok {
		return p, nil
	}
	var key keyRecord
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(token, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, keyError("the JWT header has no kid")
		}
		k, ok := s.store.lookupKey(kid)
		if !ok {
			return nil, keyError(fmt.Sprintf("no key with id %q", kid))
		}
		key = k
		return []byte(k.secret), nil
	}, jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}))
	if err != nil {
		return principal{}, unauthorized("Invalid JWT: %s", jwtReason(err))
	}
	scope, _ := claims["scope"].(string)
	p := principal{keyID: key.id, kind: key.kind, scope: scope}
	switch key.kind {
	case userAccountKey, serviceAccountKey:
		if scope != scopeAccount {
			return principal{}, invalidAuth("Invalid JWT scope %q for key %s: account keys sign scope %q", scope, key.id, scopeAccount)
		}
		if key.kind == serviceAccountKey {
			p.serviceAccountID = key.owner
		}
	case appKey:
		p.appID = key.owner
		switch scope {
		case scopeApp:
		case scopeAppUser:
			userID, _ := claims["userId"].(string)
			if userID == "" {
				return principal{}, invalidAuth("Invalid JWT: scope %q needs a userId claim", scopeAppUser)
			}
			p.userID = userID
		default:
			return principal{}, invalidAuth("Invalid JWT scope %q for key %s: app keys sign scope %q or %q", scope, key.id, scopeApp, scopeAppUser)
		}
	}
	if claims["exp"] == nil && claims["nbf"] == nil { // a token that expires is verified every time
		s.tokens.remember(token, verifiedToken{key: key, principal: p})
	}
	return p, nil
}

// authenticateBasic verifies basic credentials: base64 of "keyId:secret", a live key and its secret. The scope
// is the key's owner's: account for act_ and svc_ keys, app for app_ keys (there is no appUser scope).
func (s *Server) authenticateBasic(credentials string) (principal, *apiError) {
	decoded, err := base64.StdEncoding.DecodeString(strings.TrimSpace(credentials))
	if err != nil {
		return principal{}, unauthorized("Invalid basic credentials: not base64")
	}
	id, secret, ok := strings.Cut(string(decoded), ":")
	if !ok || id == "" {
		return principal{}, unauthorized("Invalid basic credentials: want keyId:secret")
	}
	key, found := s.store.lookupKey(id)
	if !found || subtle.ConstantTimeCompare([]byte(key.secret), []byte(secret)) != 1 {
		// The same answer whether the key or the secret is wrong: a caller learns nothing about which key exists.
		return principal{}, unauthorized("Invalid basic credentials")
	}
	p := principal{keyID: key.id, kind: key.kind, scope: scopeAccount}
	switch key.kind {
	case serviceAccountKey:
		p.serviceAccountID = key.owner
	case appKey:
		p.scope, p.appID = scopeApp, key.owner
	}
	return p, nil
}

// verifiedTokens remembers the bearer tokens the server has verified: a client sends the same token with
// every request (smooch signs once per client), and a lookup costs far less than parsing and verifying a
// JWT, which was a third of the fake's time per request. An entry holds only while its key exists unchanged
// (a deleted key's tokens are refused as before); tokens with time claims are never remembered.
type verifiedTokens struct {
	mu sync.Mutex
	m  map[string]verifiedToken
}

type verifiedToken struct {
	key       keyRecord
	principal principal
}

// maxVerifiedTokens bounds the memory a test minting many tokens could make the server hold.
const maxVerifiedTokens = 1024

func (v *verifiedTokens) lookup(token string, st *store) (principal, bool) {
	v.mu.Lock()
	t, ok := v.m[token]
	v.mu.Unlock()
	if !ok {
		return principal{}, false
	}
	if k, ok := st.lookupKey(t.key.id); ok && k == t.key {
		return t.principal, true
	}
	v.mu.Lock()
	delete(v.m, token)
	v.mu.Unlock()
	return principal{}, false
}

func (v *verifiedTokens) remember(token string, t verifiedToken) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil || len(v.m) >= maxVerifiedTokens {
		v.m = make(map[string]verifiedToken)
	}
	v.m[token] = t
}

// keyError is why the key func found no key for a token: the answer names it as it is.
type keyError string

func (e keyError) Error() string { return string(e) }

// jwtReason says why golang-jwt refused a token, without its error chain's
// repetitions.
func jwtReason(err error) string {
	var noKey keyError
	switch {
	case errors.As(err, &noKey):
		// First: the kid is the caller's text, and may itself read "signing method".
		return string(noKey)
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "malformed token"
	case strings.Contains(err.Error(), "signing method"):
		// Refused by WithValidMethods (a known algorithm) or unknown to golang-jwt ("None", "hs256", ""):
		// either way the answer is the same.
		return "signing method must be HS256"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return "signature is invalid"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "token is expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "token is not valid yet"
	}
	return err.Error()
}

// signJWT makes a token the way Smooch's own key JWT endpoints do: HS256,
// `kid` in the header, only `scope` in the payload (no time claims, so a
// deterministic server issues identical tokens on every run).
func signJWT(keyID, secret, scope string) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"scope": scope})
	t.Header["kid"] = keyID
	return t.SignedString([]byte(secret))
}

// authorize applies an operation's contract extensions: x-smooch-scopes (the
// scopes it accepts) and x-smooch-user-account-only (no svc_ keys).
func authorize(p principal, scopes []string, userAccountOnly bool) *apiError {
	allowed := false
	for _, sc := range scopes {
		if sc == p.scope {
			allowed = true
		}
	}
	if !allowed {
		return forbidden("This action requires %s scope", strings.Join(scopes, " or "))
	}
	if userAccountOnly && p.kind != userAccountKey {
		return forbidden("This action requires a user account key (act_); service account keys cannot manage service accounts")
	}
	return nil
}
