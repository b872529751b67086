package smoochtest

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// A test minting a token per request cannot make the server hold more than maxVerifiedTokens of them.
func TestVerifiedTokensAreBounded(t *testing.T) {
	var v verifiedTokens
	for i := range 3 * maxVerifiedTokens {
		v.remember("token-"+strconv.Itoa(i), verifiedToken{})
		if len(v.m) > maxVerifiedTokens {
			t.Fatalf("after %d tokens, %d remembered: more than %d", i+1, len(v.m), maxVerifiedTokens)
		}
	}
}

// The server remembers a token it verified, but never one with a time claim, which must be checked again
// on every request: remembered, it would outlive its exp.
func TestOnlyTimelessTokensAreRemembered(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	sign := func(claims jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
		tok.Header["kid"] = key.ID
		s, err := tok.SignedString([]byte(key.Secret))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	hour := time.Now().Add(time.Hour).Unix()
	for _, tc := range []struct {
		claims     jwt.MapClaims
		remembered bool
	}{
		{jwt.MapClaims{"scope": "account"}, true},
		{jwt.MapClaims{"scope": "account", "exp": hour}, false},
		{jwt.MapClaims{"scope": "account", "nbf": time.Now().Add(-time.Hour).Unix()}, false},
	} {
		token := sign(tc.claims)
		r := httptest.NewRequest("GET", "/v1/apps", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		if _, apiErr := srv.authenticate(r); apiErr != nil {
			t.Fatalf("%v: %v", tc.claims, apiErr)
		}
		srv.tokens.mu.Lock()
		_, remembered := srv.tokens.m[token]
		srv.tokens.mu.Unlock()
		if remembered != tc.remembered {
			t.Errorf("%v: remembered %v, want %v", tc.claims, remembered, tc.remembered)
		}
	}
}
