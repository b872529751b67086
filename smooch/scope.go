package smooch

import "strings"

// Scope is the `scope` claim of a Smooch JWT: it decides which APIs the token may call.
type Scope string

const (
	// ScopeAccount grants the account APIs (apps, app keys, service accounts, integrations, webhooks) and every
	// app-level API through /v1/apps/{appId}/…. It is signed with a user account key (act_…) or a service
	// account key (svc_…).
	ScopeAccount Scope = "account"
	// ScopeApp grants the app-level APIs of one app (here: webhooks and the app menu). It is signed with an app key (app_…).
	ScopeApp Scope = "app"
	// ScopeAppUser grants one app user's data. It is signed with an app key and carries a userId claim.
	// None of the provisioning APIs of this package accept it.
	ScopeAppUser Scope = "appUser"
)

func (s Scope) valid() bool {
	return s == ScopeAccount || s == ScopeApp || s == ScopeAppUser
}

// keyKind is what a key id's prefix says about the key.
type keyKind int

const (
	keyUnknown        keyKind = iota // no known prefix (or a ready-made token without a kid)
	keyUserAccount                   // act_…
	keyServiceAccount                // svc_…
	keyApp                           // app_…
)

func kindOfKey(keyID string) keyKind {
	switch {
	case strings.HasPrefix(keyID, "act_"):
		return keyUserAccount
	case strings.HasPrefix(keyID, "svc_"):
		return keyServiceAccount
	case strings.HasPrefix(keyID, "app_"):
		return keyApp
	}
	return keyUnknown
}

// scopes lists the scopes a kind of key can sign.
func (k keyKind) scopes() []Scope {
	switch k {
	case keyUserAccount, keyServiceAccount:
		return []Scope{ScopeAccount}
	case keyApp:
		return []Scope{ScopeApp, ScopeAppUser}
	}
	return nil
}

func (k keyKind) String() string {
	switch k {
	case keyUserAccount:
		return "a user account key (act_…)"
	case keyServiceAccount:
		return "a service account key (svc_…)"
	case keyApp:
		return "an app key (app_…)"
	}
	return "a key of unknown kind"
}
