package smooch

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
)

// Credentials authenticate a Client. Build them with AccountKey, AppKey, AppUserKey or BearerToken, or fill
// the fields directly. Either KeyID and Secret are set (the Client signs one JWT from them, once, in New) or
// Token is (a ready-made JWT, sent as is).
//
// Credentials never print or log their secrets: %v, %+v, %#v and slog show Secret and Token as REDACTED.
type Credentials struct {
	// KeyID is the id of a secret key: act_… (user account), svc_… (service account) or app_… (app).
	KeyID string
	// Secret is the key's secret, used to sign the JWT (HS256).
	Secret string
	// Scope is the scope to sign. When empty it follows from the key id: account for act_… and svc_… keys,
	// app for app_… keys (appUser when UserID is set). For a Token it states the token's scope; when empty it
	// is read from the token's payload, and if the token does not tell, no scope is checked before requests.
	Scope Scope
	// UserID is the app user an appUser-scoped JWT speaks for. Required for ScopeAppUser, refused otherwise.
	UserID string
	// Token is a ready-made JWT to send instead of signing one. Exclusive with KeyID and Secret.
	Token string
}

// AccountKey returns the credentials of an account key: a user account key (act_…) or a service account key
// (svc_…). They sign an account-scoped JWT, which reaches every API of this package; a service account key
// cannot manage service accounts.
func AccountKey(keyID, secret string) Credentials {
	return Credentials{KeyID: keyID, Secret: secret, Scope: ScopeAccount}
}

// AppKey returns the credentials of an app key (app_…). They sign an app-scoped JWT, which reaches the
// app-level APIs of that app only (of this package: webhooks).
func AppKey(keyID, secret string) Credentials {
	return Credentials{KeyID: keyID, Secret: secret, Scope: ScopeApp}
}

// AppUserKey returns the credentials of an app key speaking for one app user. No provisioning API accepts
// an appUser token; a Client built from them refuses every call before sending it. They exist so that
// New validates them like any other credentials; to hand tokens to users, call SignJWT.
func AppUserKey(keyID, secret, userID string) Credentials {
	return Credentials{KeyID: keyID, Secret: secret, Scope: ScopeAppUser, UserID: userID}
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
	token string
	access
}

// access is what the credentials may call. A Client keeps it, not the token, so that no copy of the Client
// can print the token.
type access struct {
	scope Scope   // "" when unknown (a ready-made token that does not say)
	kind  keyKind // keyUnknown when unknown
}

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
	if strings.TrimSpace(c.KeyID) == "" {
		return auth{}, &CredentialsError{Problem: "key id is empty"}
	}
	if strings.TrimSpace(c.KeyID) != c.KeyID {
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: "key id has leading or trailing white space"}
	}
	if c.Secret == "" {
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: "secret is empty"}
	}
	if strings.TrimSpace(c.Secret) != c.Secret {
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: "secret has leading or trailing white space"}
	}
	kind := kindOfKey(c.KeyID)
	scope := c.Scope
	if scope == "" {
		switch kind {
		case keyUserAccount, keyServiceAccount:
			scope = ScopeAccount
		case keyApp:
			scope = ScopeApp
			if c.UserID != "" {
				scope = ScopeAppUser
			}
		default:
			return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: "cannot tell the scope from the key id (expected a prefix act_, svc_ or app_): set Credentials.Scope"}
		}
	}
	if kind != keyUnknown && !canSign(kind, scope) {
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
	return auth{token: token, access: access{scope: scope, kind: kind}}, nil
}

func (c Credentials) resolveToken() (auth, error) {
	if c.KeyID != "" || c.Secret != "" {
		return auth{}, &CredentialsError{KeyID: c.KeyID, Problem: "set either Token or KeyID and Secret, not both"}
	}
	if strings.TrimSpace(c.Token) != c.Token || strings.ContainsAny(c.Token, " \t\r\n") {
		return auth{}, &CredentialsError{Problem: "token contains white space (pass the bare JWT, without \"Bearer \")"}
	}
	kid, claimed := inspectToken(c.Token)
	scope := c.Scope
	if scope == "" {
		scope = claimed
		if !scope.valid() {
			scope = "" // unreadable or unknown: let the API decide
		}
	} else if claimed != "" && claimed != scope {
		return auth{}, &CredentialsError{KeyID: kid, Problem: fmt.Sprintf("Scope is %s but the token's scope claim is %s", c.Scope, claimed)}
	}
	if c.UserID != "" {
		return auth{}, &CredentialsError{KeyID: kid, Problem: "UserID is carried by the token itself; leave it empty"}
	}
	return auth{token: c.Token, access: access{scope: scope, kind: kindOfKey(kid)}}, nil
}

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

func (c Credentials) fields() []field {
	return []field{
		{name: "KeyID", value: c.KeyID},
		{name: "Secret", value: c.Secret, secret: true},
		{name: "Scope", value: c.Scope},
		{name: "UserID", value: c.UserID},
		{name: "Token", value: c.Token, secret: true},
	}
}

// Format prints the credentials with Secret and Token redacted, for every verb.
func (c Credentials) Format(s fmt.State, verb rune) {
	formatRedacted(s, verb, "Credentials", c.fields())
}

// GoString is %#v, redacted.
func (c Credentials) GoString() string { return goStringRedacted("Credentials", c.fields()) }

// String is %v, redacted.
func (c Credentials) String() string { return fmt.Sprint(c) }

// LogValue logs the credentials with Secret and Token redacted.
func (c Credentials) LogValue() slog.Value { return logValueRedacted(c.fields()) }

// MarshalJSON encodes the credentials with Secret and Token redacted, so that a
// struct holding them can be dumped as JSON (into a log, an error report)
// without leaking them. Credentials are meant to be built from configuration,
// never decoded from JSON, so nothing is lost.
func (c Credentials) MarshalJSON() ([]byte, error) {
	shown := make(map[string]any, 5)
	for _, f := range c.fields() {
		shown[f.name] = f.shown()
	}
	return json.Marshal(shown)
}
