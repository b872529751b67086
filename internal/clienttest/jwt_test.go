package clienttest_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

// jwtHeader decodes a compact JWT's header without any JWT library: what the API will read.
func jwtHeader(token string) (map[string]any, error) {
	head, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return nil, err
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		return nil, err
	}
	return h, nil
}

// TestTheClientSignsHS256Only checks every token the client makes, as it goes over the wire and as SignJWT
// returns it, by hand rather than with the library that made it: the header says HS256 (never none, never
// another algorithm), names the key, and the signature is the HMAC-SHA256 of header.payload with the secret.
func TestTheClientSignsHS256Only(t *testing.T) {
	for _, tc := range []struct {
		creds smooch.Credentials
		scope smooch.Scope
	}{
		{smooch.AccountKey(accountKeyID, testSecret), smooch.ScopeAccount},
		{smooch.AccountKey(serviceKeyID, testSecret), smooch.ScopeAccount},
		{smooch.AppKey(appKeyID, testSecret), smooch.ScopeApp},
		{smooch.AppUserKey(appKeyID, testSecret, "user-1"), smooch.ScopeAppUser},
	} {
		t.Run(string(tc.scope)+"/"+tc.creds.KeyID[:4], func(t *testing.T) {
			f := newFakeAPI(t, answer(200, `{"webhooks":[]}`))
			c := newClient(t, f, tc.creds, smooch.WithMaxRetries(0))
			_, err := c.Webhooks.List(context.Background(), "app1")
			var tokens []string
			if tc.scope == smooch.ScopeAppUser {
				// An appUser token is for the end user's own resources: the client refuses before sending.
				var scopeErr *smooch.ScopeError
				require.ErrorAs(t, err, &scopeErr)
				require.Empty(t, f.requests())
			} else {
				require.NoError(t, err)
				reqs := f.requests()
				require.Len(t, reqs, 1)
				tokens = append(tokens, strings.TrimPrefix(reqs[0].Header.Get("Authorization"), "Bearer "))
			}
			signed, err := smooch.SignJWT(tc.creds.KeyID, tc.creds.Secret, tc.scope, tc.creds.UserID)
			require.NoError(t, err)
			tokens = append(tokens, signed)
			for _, token := range tokens {
				h, err := jwtHeader(token)
				require.NoError(t, err)
				assert.Equal(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": tc.creds.KeyID}, h)
				parts := strings.Split(token, ".")
				require.Len(t, parts, 3)
				mac := hmac.New(sha256.New, []byte(testSecret))
				mac.Write([]byte(parts[0] + "." + parts[1]))
				assert.Equal(t, base64.RawURLEncoding.EncodeToString(mac.Sum(nil)), parts[2], "HMAC-SHA256 with the key's secret")
			}
		})
	}
}

// b64 is s in base64url without padding, as JWT segments are.
func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestBearerTokenMustSayHS256 hands New ready-made tokens whose header is anything but an HS256 JWT's. Each is
// refused with a *CredentialsError before anything is sent, including a token whose payload cannot be read:
// such a token used to be accepted whatever its header said, "none" included.
func TestBearerTokenMustSayHS256(t *testing.T) {
	payload, sig := b64(`{"scope":"app"}`), b64("signature-not-real")
	for name, token := range map[string]string{
		"alg none":                                b64(`{"alg":"none","typ":"JWT"}`) + "." + payload + "." + sig,
		"alg none, unreadable payload":            b64(`{"alg":"none","typ":"JWT"}`) + "." + b64("not json") + "." + sig,
		"alg None, unreadable payload":            b64(`{"alg":"None"}`) + ".e30x." + sig,
		"alg HS512, unreadable payload":           b64(`{"alg":"HS512"}`) + "." + b64("[") + "." + sig,
		"alg RS256":                               b64(`{"alg":"RS256","kid":"`+appKeyID+`"}`) + "." + payload + "." + sig,
		"alg hs256 (the API compares exactly)":    b64(`{"alg":"hs256"}`) + "." + payload + "." + sig,
		"no alg":                                  b64(`{"typ":"JWT","kid":"`+appKeyID+`"}`) + "." + payload + "." + sig,
		"alg not a string":                        b64(`{"alg":["HS256"]}`) + "." + payload + "." + sig,
		"a header that is not JSON":               b64(`alg=HS256`) + "." + payload + "." + sig,
		"a header that is a JSON string":          b64(`"HS256"`) + "." + payload + "." + sig,
		"a header that is not base64url":          "eyJhbGciOiJIUzI1NiJ9x." + payload + "." + sig,
		"a header with two alg members, the last": b64(`{"alg":"HS256","alg":"none"}`) + "." + payload + "." + sig,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, answer(200, `{}`))
			c, err := smooch.New(smooch.BearerToken(token), smooch.WithBaseURL(f.URL))
			assert.Nil(t, c)
			var ce *smooch.CredentialsError
			require.ErrorAs(t, err, &ce)
			assert.NotContains(t, err.Error(), token, "the token is a secret")
			assert.Zero(t, f.count())
		})
	}

	// The header is what counts: an HS256 token is accepted even when the client cannot read its payload
	// (the API will judge the token; the client checks no scope before sending).
	c, err := smooch.New(smooch.BearerToken(b64(`{"alg":"HS256","typ":"JWT"}`) + "." + b64("not json") + "." + sig))
	require.NoError(t, err)
	assert.Empty(t, c.Scope())
}

// FuzzBearerToken: whatever string is passed as a ready-made token, New either refuses it with a
// *CredentialsError that does not repeat it, or accepts it because its header says exactly HS256, and then
// sends it unchanged.
func FuzzBearerToken(f *testing.F) {
	good, err := smooch.SignJWT(appKeyID, testSecret, smooch.ScopeApp, "")
	require.NoError(f, err)
	for _, seed := range []string{
		good, unscopedToken, "", "a.b.c", "not-a-jwt", "Bearer " + good, good + "\n",
		b64(`{"alg":"none"}`) + "." + b64("x") + ".c2ln",
		b64(`{"alg":"HS256","alg":"none"}`) + ".e30.c2ln",
		b64(`{"alg":"HS256"}`) + "." + b64(`{"scope":"account"}`) + ".c2ln",
		b64(`{"alg":"HS256","kid":"svc_5808ba5cedf3b5931970e054"}`) + "." + b64(`{"scope":"account"}`) + ".c2ln",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		c, err := smooch.New(smooch.BearerToken(token), smooch.WithBaseURL("http://127.0.0.1:1"))
		if err != nil {
			var ce *smooch.CredentialsError
			if !errors.As(err, &ce) {
				t.Fatalf("New(BearerToken(%q)) = %T %v, want a *CredentialsError", token, err, err)
			}
			if len(token) >= 12 && strings.Contains(err.Error(), token) {
				t.Fatalf("the error repeats the token: %v", err)
			}
			return
		}
		h, herr := jwtHeader(token)
		if herr != nil || h["alg"] != "HS256" {
			t.Fatalf("New accepted %q whose header is %v (%v)", token, h, herr)
		}
		// Sent as is: capture it with a transport that answers without a network.
		var sent string
		capture := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent = r.Header.Get("Authorization")
			return jsonResponse(r, 200, `{"webhooks":[]}`), nil
		})
		_, _ = c.Webhooks.List(context.Background(), "app1", smooch.WithHTTPClient(&http.Client{Transport: capture}))
		if sent != "" && sent != "Bearer "+token {
			t.Fatalf("sent %q for token %q", sent, token)
		}
	})
}
