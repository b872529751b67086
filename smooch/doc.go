// Package smooch is a Go client for the Smooch v1 provisioning API: apps, their secret keys and JWTs,
// service accounts and their keys, messaging channel integrations, and webhooks.
//
// It is the only package you import: the models come from the generated package gen (driven by the
// contract in openapi/smooch.yaml) and are re-exported here.
//
// # Authenticating
//
// Every request carries a JWT signed with HS256 by a secret key, whose id goes in the token's kid header.
// New signs it once from the Credentials and reuses it for every request:
//
//	client, err := smooch.New(smooch.AccountKey(keyID, secret)) // act_… or svc_… key: scope account
//
// The key's prefix tells what it can sign: user account keys (act_…) and service account keys (svc_…) sign
// account-scoped tokens, which reach every API here; app keys (app_…) sign app-scoped tokens (AppKey), which
// reach the webhooks of their own app, and appUser tokens (AppUserKey, with a user id). New refuses
// credentials that cannot work (an empty key id or secret, an app key asked for account scope, appUser
// without a user id), and each method refuses, before sending anything, a call the credentials' scope cannot
// make: a *ScopeError says which scope it needs. Service accounts are managed with user account keys only.
//
// To send a ready-made token, use BearerToken: its scope is read from the token's payload; a token whose
// payload does not tell is sent unchecked and the API decides (set Credentials.Scope to check it). To sign
// tokens for others (an app user's device, another service), call SignJWT.
//
// # Calling
//
// Operations are grouped by resource, ctx first: client.Apps, client.AppKeys, client.ServiceAccounts,
// client.ServiceAccountKeys, client.Integrations and client.Webhooks. App-level APIs take the app id; with
// account credentials they reach every app of the account through /v1/apps/{appId}/….
//
// Apps and service accounts are paginated: List returns one Page (Items, HasMore, Offset) and All iterates
// over every record, fetching pages as the loop goes.
//
// Channels are typed values, one per channel, whose arguments are checked before any request:
//
//	integration, err := client.Integrations.Create(ctx, appID, smooch.Twilio{
//		AccountSID:     "AC…",
//		AuthToken:      authToken,
//		PhoneNumberSID: "PN…",
//	})
//
// A returned Integration's details are reached with a type switch on its Channel method; a channel type
// this package does not know yet decodes to *UnknownIntegration instead of failing.
//
// # Errors
//
// A response with a non-2xx status is an *APIError (status, Smooch's error code and description, method,
// path, Retry-After); IsNotFound, IsUnauthorized, IsForbidden, IsRateLimited and friends test for the common
// ones. Arguments that cannot be sent are a *ValidationError naming the field, credentials a
// *CredentialsError, scope mistakes a *ScopeError; none of them leaves the process as a request.
//
// # Retries
//
// GET, PUT and DELETE are retried on 429, 502, 503, 504 and connection errors; POST only on 429 and when the
// connection could not be made, so a create is never sent twice. Waits grow exponentially with jitter,
// honour Retry-After, and end at once when the context is cancelled. See WithMaxRetries and WithBackoff.
//
// # Secrets
//
// Credentials, SecretKey, Webhook, the channel arguments and the Client print and log (fmt and slog) with
// their secrets replaced by REDACTED; errors and the debug log of WithLogger never contain a token or a
// secret. JWTs returned by AppKeys.JWT, ServiceAccountKeys.JWT and SignJWT are plain strings: they are bearer
// secrets, never log them.
//
// A Client is safe for concurrent use; create one per set of credentials and reuse it.
//
// For tests, package smoochtest serves an in-memory Smooch: point WithBaseURL at its URL.
package smooch
