package smooch

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// SignJWT signs a Smooch JWT: HS256 with the key id in the header's `kid`, the scope in the `scope` claim and,
// for ScopeAppUser, the user id in the `userId` claim. Use it to hand tokens to other services or to your app
// users' devices (an appUser token); a Client signs its own token from its Credentials.
//
// The key must be able to carry the scope: account keys (act_…, svc_…) sign ScopeAccount tokens, app keys
// (app_…) sign ScopeApp and ScopeAppUser tokens. userID is required for ScopeAppUser and must be empty
// otherwise. The token is a bearer secret: never log it.
func SignJWT(keyID, secret string, scope Scope, userID string) (string, error) {
	c := Credentials{KeyID: keyID, Secret: secret, Scope: scope, UserID: userID}
	if scope == "" {
		return "", &CredentialsError{Problem: "scope is empty: pass ScopeAccount, ScopeApp or ScopeAppUser"}
	}
	a, err := c.resolve()
	if err != nil {
		return "", err
	}
	return a.token, nil
}

// signJWT is the only place a token is signed; Credentials.resolve calls it once per Client.
var signJWT = func(keyID, secret string, scope Scope, userID string) (string, error) {
	claims := jwt.MapClaims{"scope": string(scope)}
	if scope == ScopeAppUser {
		claims["userId"] = userID
	}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	t.Header["kid"] = keyID
	signed, err := t.SignedString([]byte(secret))
	if err != nil {
		return "", fmt.Errorf("smooch: signing the JWT for key %s: %w", keyID, err)
	}
	return signed, nil
}

// inspectToken reads, without verifying, what a ready-made token says about itself: its header's kid and
// signing algorithm (header is false when the header is not a base64url-encoded JSON object), and its
// payload's scope claim. The header is read on its own, so that a token whose payload cannot be read still
// has its algorithm checked; a payload that cannot be read yields no scope: the API, not the client, will
// judge the token.
func inspectToken(token string) (kid, alg string, header bool, scope Scope) {
	head, _, _ := strings.Cut(token, ".")
	var h map[string]any
	if raw, err := base64.RawURLEncoding.DecodeString(head); err == nil && json.Unmarshal(raw, &h) == nil && h != nil {
		header = true
		kid, _ = h["kid"].(string)
		alg, _ = h["alg"].(string)
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, claims); err == nil {
		s, _ := claims["scope"].(string)
		scope = Scope(s)
	}
	return kid, alg, header, scope
}
