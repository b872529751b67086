package smooch

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
)

// Credentials authenticate a Client. Build them with AccountKey, AppKey, AppUserKey, BasicAuth or BearerToken,
// or fill the fields directly. Either KeyID and Secret are set (the Client signs one JWT from them, once, in
// New, or sends them as HTTP basic authentication when Basic is set) or Token is (a ready-made JWT, sent as is).
//
// Credentials never print or log their secrets: %v, %+v, %#v and slog show Secret and Token as REDACTED.
type Credentials struct {
	// KeyID is the id of a secret key: act_… (user account), svc_… (service account) or app_… (app),
	// followed by 24 hexadecimal digits.
	KeyID string
	// Secret is the key's secret, used to sign the JWT (HS256).
	Secret string `smooch:"secret"`
	// Scope is the scope to sign. When empty it follows from the key id: account for act_… and svc_… keys,
	// app for app_… keys (appUser when UserID is set). For a Token it states the token's scope; when empty it
	// is read from the token's payload, and if the token does not tell, no scope is checked before requests.
	Scope Scope
	// UserID is the app user an appUser-scoped JWT speaks for. Required for ScopeAppUser, refused otherwise.
	UserID string
	// Token is a ready-made JWT to send instead of signing one. Exclusive with KeyID and Secret.
	Token string `smooch:"secret"`
	// Basic sends KeyID and Secret as HTTP basic authentication (the key id as the user name, the secret as
	// the password) instead of signing a JWT with them. The scope is the key's owner's: account for act_… and
	// svc_… keys, app for app_… keys; there is no appUser scope, so UserID is refused.
	Basic bool
}

// AccountKey returns the credentials of an account key: a user account key (act_…) or a service account key
// (svc_…). They sign an account-scoped JWT, which reaches every API of this package; a service account key
// cannot manage service accounts.
func AccountKey(keyID, secret string) Credentials {
	return Credentials{KeyID: keyID, Secret: secret, Scope: ScopeAccount}
}

// AppKey returns the credentials of an app key (app_…). They sign an app-scoped JWT, which reaches the
// app-level APIs of that app only (of this package: webhooks and the app menu).
func AppKey(keyID, secret string) Credentials {
	return Credentials{KeyID: keyID, Secret: secret, Scope: ScopeApp}
}

// AppUserKey returns the credentials of an app key speaking for one app user. No provisioning API accepts
// an appUser token; a Client built from them refuses every call before sending it. They exist so that
// New validates them like any other credentials; to hand tokens to users, call SignJWT.
func AppUserKey(keyID, secret, userID string) Credentials {
	return Credentials{KeyID: keyID, Secret: secret, Scope: ScopeAppUser, UserID: userID}
}

// BasicAuth returns the credentials of a key (act_…, svc_… or app_…) sent as HTTP basic authentication, which
// the API accepts on every operation beside JWTs: no token is signed, and each request carries the key's id and
// secret (base64 encoded, which hides nothing: only ever send it over https). The scope follows the key's
// owner. New checks them as it checks the keys that sign JWTs.
func BasicAuth(keyID, secret string) Credentials {
	return Credentials{KeyID: keyID, Secret: secret, Basic: true}
}

// BearerToken returns credentials that send a ready-made JWT, for example one fetched with AppKeys.JWT or
// signed by another service. Its scope is read from the token's payload (without verifying it); to check a
// token whose payload cannot be read, set the Scope field of the result.
func BearerToken(jwt string) Credentials {
	return Credentials{Token: jwt}
}

// CredentialsError reports credentials that cannot work, found before any request is sent.
type CredentialsError struct {
	KeyID   string // the key id concerned, if any (key ids are not secret)
	Problem string
}

func (e *CredentialsError) Error() string {
	if e.KeyID != "" {
		return "smooch: credentials for key " + e.KeyID + ": " + e.Problem
	}
	return "smooch: credentials: " + e.Problem
}

// auth is what a Client knows about its credentials once resolved: the token to send, and what it may call.
type auth struct {
	token  string
	header string // "Bearer " + token or "Basic " + base64 credentials, built once
	basic  []string
	access
}

// sent are the credentials every request carries besides the token, which errors must not carry either: for
// basic authentication, the encoded credentials and the secret itself.
func (a *auth) sent() []string { return a.basic }

// access is what the credentials may call. A Client keeps it, not the token, so that no copy of the Client
// can print the token.
type access struct {
	scope Scope   // "" when unknown (a ready-made token that does not say)
	kind  keyKind // keyUnknown when unknown
}

// keyIDPattern is the documented form of a key id: its kind's prefix and a 24-digit hexadecimal id.
var keyIDPattern = regexp.MustCompile(`^(act|svc|app)_[0-9a-f]{24}$`)

// resolve validates the credentials and signs the token (once).
func (c Credentials) resolve() (auth, error) {
	if c.Scope != "" && !c.Scope.valid() {
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: fmt.Sprintf("unknown scope %q: want %q, %q or %q", string(c.Scope), ScopeAccount, ScopeApp, ScopeAppUser)}
	}
	if c.Token != "" {
		return c.resolveToken()
	}
	if c.KeyID == "" && c.Secret == "" && c.UserID == "" {
		return auth{}, &CredentialsError{Problem: "empty: pass AccountKey(keyID, secret), AppKey(keyID, secret) or BearerToken(jwt)"}
	}
	if err := c.checkKey(); err != nil {
		return auth{}, err
	}
	kind := kindOfKey(c.KeyID)
	if c.Basic {
		return c.resolveBasic(kind)
	}
	scope := c.Scope
	if scope == "" {
		scope = kind.scopes()[0]
		if kind == keyApp && c.UserID != "" {
			scope = ScopeAppUser
		}
	}
	if !canSign(kind, scope) {
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: fmt.Sprintf("%s cannot sign JWTs of scope %s (it signs %s)", kind, scope, joinScopes(kind.scopes()))}
	}
	if scope == ScopeAppUser && strings.TrimSpace(c.UserID) == "" {
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: "appUser scope needs a UserID"}
	}
	if scope != ScopeAppUser && c.UserID != "" {
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: fmt.Sprintf("UserID is only for appUser scope, not %s", scope)}
	}
	token, err := signJWT(c.KeyID, c.Secret, scope, c.UserID)
	if err != nil {
		return auth{}, err
	}
	return auth{token: token, header: "Bearer " + token, access: access{scope: scope, kind: kind}}, nil
}

// checkKey checks the key id and secret: present, without the white space of a bad copy and paste, the id in
// its documented form, and the two not swapped. A key id is not secret, so errors may name it; a secret is
// never shown.
func (c Credentials) checkKey() error {
	switch {
	case strings.TrimSpace(c.KeyID) == "":
		return &CredentialsError{Problem: "key id is empty"}
	case c.Secret == "":
		return &CredentialsError{KeyID: c.KeyID, Problem: "secret is empty"}
	case strings.TrimSpace(c.Secret) != c.Secret:
		return &CredentialsError{KeyID: c.KeyID, Problem: "secret has leading or trailing white space"}
	case keyIDPattern.MatchString(c.Secret) && !keyIDPattern.MatchString(c.KeyID):
		// Name neither: the "key id" may be the secret.
		return &CredentialsError{Problem: "the key id and the secret look swapped: the secret has the form of a key id (act_…, svc_…, app_…)"}
	case keyIDPattern.MatchString(c.Secret):
		return &CredentialsError{KeyID: c.KeyID, Problem: "the secret has the form of a key id: pass the key's secret, not an id"}
	case strings.HasPrefix(c.Secret, "eyJ") && jwtPattern.MatchString(c.Secret):
		// A JWT (from AppKeys.JWT, say) signs nothing: it is itself the credential.
		return &CredentialsError{KeyID: c.KeyID, Problem: "the secret is a JWT, not a key's secret: pass a JWT with BearerToken"}
	case strings.TrimSpace(c.KeyID) != c.KeyID:
		return &CredentialsError{KeyID: strings.TrimSpace(c.KeyID), Problem: "key id has leading or trailing white space"}
	case !keyIDPattern.MatchString(c.KeyID):
		if looksLikeKeyID(c.KeyID) {
			return &CredentialsError{KeyID: c.KeyID, Problem: "is not a key id: want act_, svc_ or app_ followed by 24 lowercase hexadecimal digits"}
		}
		// Not shown: what is not a key id may be a secret pasted in the wrong place.
		return &CredentialsError{Problem: "the key id is not a key id: want act_, svc_ or app_ followed by 24 lowercase hexadecimal digits"}
	}
	return nil
}

// looksLikeKeyID tells a malformed key id, safe to show in an error, from something else (a secret).
func looksLikeKeyID(s string) bool {
	prefix, _, ok := strings.Cut(s, "_")
	return ok && len(s) < 64 && (prefix == "act" || prefix == "svc" || prefix == "app")
}

// resolveBasic checks the credentials of a key sent as basic authentication: its scope is its owner's.
func (c Credentials) resolveBasic(kind keyKind) (auth, error) {
	scope := kind.scopes()[0]
	switch {
	case c.UserID != "":
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: "basic authentication has no appUser scope: UserID is for JWTs signed with an app key"}
	case c.Scope != "" && c.Scope != scope:
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: fmt.Sprintf("basic authentication with %s has %s scope, not %s: the scope follows the key's owner", kind, scope, c.Scope)}
	}
	encoded := base64.StdEncoding.EncodeToString([]byte(c.KeyID + ":" + c.Secret))
	return auth{header: "Basic " + encoded, basic: []string{encoded, c.Secret}, access: access{scope: scope, kind: kind}}, nil
}

func (c Credentials) resolveToken() (auth, error) {
	if c.Basic {
		return auth{}, &CredentialsError{Problem: "Basic sends a key's id and secret: set KeyID and Secret, not Token"}
	}
	if c.KeyID != "" || c.Secret != "" {
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: "set either Token or KeyID and Secret, not both"}
	}
	if strings.TrimSpace(c.Token) != c.Token || strings.ContainsAny(c.Token, " \t\r\n") {
		return auth{}, &CredentialsError{Problem: "token contains white space (pass the bare JWT, without \"Bearer \")"}
	}
	if !jwtPattern.MatchString(c.Token) {
		return auth{}, &CredentialsError{Problem: "token is not a JWT: want three base64url segments separated by dots (header.payload.signature)"}
	}
	kid, alg, header, claimed := inspectToken(c.Token)
	if c.UserID != "" {
		return auth{}, &CredentialsError{KeyID: kid, Problem: "UserID is carried by the token itself; leave it empty"}
	}
	switch {
	case !header:
		return auth{}, &CredentialsError{Problem: "token's header is not base64url-encoded JSON: the API accepts HS256 JWTs only"}
	case alg == "":
		return auth{}, &CredentialsError{KeyID: kid, Problem: "token's header names no algorithm (alg): the API accepts HS256 JWTs only"}
	case alg != "HS256":
		return auth{}, &CredentialsError{KeyID: kid, Problem: fmt.Sprintf("token is signed with %q: the API accepts HS256 JWTs only", alg)}
	}
	scope := c.Scope
	if scope == "" {
		scope = claimed
		if !scope.valid() {
			scope = "" // unreadable or unknown: let the API decide
		}
	} else if claimed != "" && claimed != scope {
		return auth{}, &CredentialsError{KeyID: kid, Problem: fmt.Sprintf("Scope is %s but the token's scope claim is %s", c.Scope, claimed)}
	}
	return auth{token: c.Token, header: "Bearer " + c.Token, access: access{scope: scope, kind: kindOfKey(kid)}}, nil
}

// jwtPattern is the compact form of a signed JWT: three non-empty base64url segments.
var jwtPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)

func canSign(kind keyKind, scope Scope) bool {
	for _, s := range kind.scopes() {
		if s == scope {
			return true
		}
	}
	return false
}

func joinScopes(scopes []Scope) string {
	parts := make([]string, len(scopes))
	for i, s := range scopes {
		parts[i] = string(s)
	}
	return strings.Join(parts, " or ")
}

// Format prints the credentials with Secret and Token redacted, for every verb.
func (c Credentials) Format(s fmt.State, verb rune) { formatModel(s, verb, c) }

// LogValue logs the credentials with Secret and Token redacted.
func (c Credentials) LogValue() slog.Value { return logModel(c) }

// MarshalJSON encodes the credentials with Secret and Token redacted, so that a struct holding them can be
// dumped as JSON (into a log, an error report) without leaking them. Credentials are meant to be built from
// configuration, never decoded from JSON, so nothing is lost.
func (c Credentials) MarshalJSON() ([]byte, error) {
	type fields Credentials
	return marshalRedacted(fields(c))
}
