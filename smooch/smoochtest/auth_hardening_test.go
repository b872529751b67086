package smoochtest_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// hs256 signs header.payload (raw JSON each) with secret by hand, without golang-jwt, so that a test can
// build tokens no library would: a kid that is not a string, a scope claim that is not a string, …
func hs256(header, payload, secret string) string {
	unsigned := b64(header) + "." + b64(payload)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(unsigned))
	return unsigned + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestTamperedAndForgedTokensAreRefused extends TestAuthenticationFailures with tokens an attacker would
// make from a valid one: a payload or header changed after signing, a signature cut or bent, the kid of
// another live key, a scope that is almost right, and every spelling of alg none. smoochtest must answer
// each 401 as the API does, and never serve the request.
func TestTamperedAndForgedTokensAreRefused(t *testing.T) {
	srv := newServer(t)
	acct := srv.AccountKey()
	other := srv.NewAccountKey("other")
	app := createApp(t, accountClient(t, srv), "app")
	appKey := keyOf(createAppKey(t, accountClient(t, srv), app.ID, "k"))

	valid := sign(t, appKey, jwt.MapClaims{"scope": "app"})
	parts := strings.Split(valid, ".")
	withPayload := func(payload string) string { return parts[0] + "." + b64(payload) + "." + parts[2] }
	withHeader := func(header string) string { return b64(header) + "." + parts[1] + "." + parts[2] }
	flipped := []byte(parts[2]) // one character of the signature changed, still base64url
	if flipped[3] == 'A' {
		flipped[3] = 'B'
	} else {
		flipped[3] = 'A'
	}
	unsigned := func(alg string) string {
		return b64(`{"alg":"`+alg+`","typ":"JWT","kid":"`+acct.ID+`"}`) + "." + b64(`{"scope":"account"}`) + "."
	}

	for _, tc := range []struct {
		name, token, code, inDetail string
	}{
		// Tampered after signing.
		{"payload raised to account scope", withPayload(`{"scope":"account"}`), "unauthorized", "signature is invalid"},
		{"payload given a userId", withPayload(`{"scope":"app","userId":"u"}`), "unauthorized", "signature is invalid"},
		{"header's kid switched to the account key", withHeader(`{"alg":"HS256","kid":"` + acct.ID + `","typ":"JWT"}`), "unauthorized", "signature is invalid"},
		{"header's alg switched to none", withHeader(`{"alg":"none","kid":"` + appKey.ID + `","typ":"JWT"}`), "unauthorized", "HS256"},
		{"signature changed", parts[0] + "." + parts[1] + "." + string(flipped), "unauthorized", "signature is invalid"},
		{"signature cut short", parts[0] + "." + parts[1] + "." + parts[2][:10], "unauthorized", "signature is invalid"},
		{"signature removed", parts[0] + "." + parts[1] + ".", "unauthorized", "signature is invalid"},
		{"a fourth segment", valid + ".x", "unauthorized", "malformed"},
		{"two segments", parts[0] + "." + parts[1], "unauthorized", "malformed"},

		// Wrong kid: another live key's id, its secret not the signer's.
		{"kid of another account key", sign(t, smoochtest.Key{ID: other.ID, Secret: acct.Secret}, jwt.MapClaims{"scope": "account"}), "unauthorized", "signature is invalid"},
		{"kid of the app key, signed by the account key", sign(t, smoochtest.Key{ID: appKey.ID, Secret: acct.Secret}, jwt.MapClaims{"scope": "app"}), "unauthorized", "signature is invalid"},
		{"kid in upper case", sign(t, smoochtest.Key{ID: strings.ToUpper(acct.ID), Secret: acct.Secret}, jwt.MapClaims{"scope": "account"}), "unauthorized", strings.ToUpper(acct.ID)},
		{"kid not a string", hs256(`{"alg":"HS256","typ":"JWT","kid":["`+acct.ID+`"]}`, `{"scope":"account"}`, acct.Secret), "unauthorized", "kid"},

		// Wrong scope, correctly signed.
		{"scope in upper case", sign(t, acct, jwt.MapClaims{"scope": "ACCOUNT"}), "invalid_auth", "scope"},
		{"scope with a trailing space", sign(t, acct, jwt.MapClaims{"scope": "account "}), "invalid_auth", "scope"},
		{"scope admin", sign(t, acct, jwt.MapClaims{"scope": "admin"}), "invalid_auth", "scope"},
		{"scope as a list", hs256(`{"alg":"HS256","typ":"JWT","kid":"`+acct.ID+`"}`, `{"scope":["account"]}`, acct.Secret), "invalid_auth", "scope"},
		{"service account key claims app", func() string {
			_, svc, _ := serviceAccount(t, srv, "robot")
			return sign(t, svc, jwt.MapClaims{"scope": "app"})
		}(), "invalid_auth", "scope"},

		// alg none, however spelled, signed or not.
		{"alg none", unsigned("none"), "unauthorized", "HS256"},
		{"alg None", unsigned("None"), "unauthorized", "HS256"},
		{"alg NONE", unsigned("NONE"), "unauthorized", "HS256"},
		{"alg none with a signature", unsigned("none") + "c2lnbmF0dXJl", "unauthorized", "HS256"},
		{"alg empty", unsigned(""), "unauthorized", "HS256"},
		{"no alg", b64(`{"typ":"JWT","kid":"`+acct.ID+`"}`) + "." + b64(`{"scope":"account"}`) + ".", "unauthorized", ""},
		{"alg hs256 in lower case", hs256(`{"alg":"hs256","typ":"JWT","kid":"`+acct.ID+`"}`, `{"scope":"account"}`, acct.Secret), "unauthorized", "HS256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := appCount(t, srv)
			resp, err := client(t, srv, tc.token).CreateAppWithResponse(ctx, v1, gen.AppCreate{Name: "forged"})
			e := wantStatus(t, resp, err, http.StatusUnauthorized)
			if e.Code != tc.code || !strings.Contains(e.Description, tc.inDetail) {
				t.Errorf("error = %+v, want code %q and a description containing %q", e, tc.code, tc.inDetail)
			}
			if after := appCount(t, srv); after != before {
				t.Errorf("the refused request created an app (%d apps, were %d)", after, before)
			}
		})
	}

	// The untampered token still works: the refusals are the tampering's doing.
	resp, err := client(t, srv, valid).ListWebhooksWithResponse(ctx, v1, app.ID)
	wantStatus(t, resp, err, http.StatusOK)
}

func appCount(t *testing.T, srv *smoochtest.Server) int {
	t.Helper()
	resp, err := accountClient(t, srv).ListAppsWithResponse(ctx, v1, nil)
	wantStatus(t, resp, err, http.StatusOK)
	return len(resp.JSON200.Apps)
}
