// Package smooch is a Go client for the Smooch provisioning API, /v1 as of its last release (2018) and /v1.1 as
// of its last (2021): apps, their secret keys and JWTs, service accounts and their keys, messaging channel
// integrations (WhatsApp, Web Messenger, Instagram and Apple Business Chat included) and their updates, WhatsApp
// deployments and business profiles, app and integration menus, and webhooks, and it receives and decodes the
// webhooks' calls. The examples that call the API run against the in-memory fake, so they are in the
// documentation of package smoochtest (github.com/smoochkit/smooch-go/smooch/smoochtest): its Example_appsGuide
// walks the apps guide from end to end, and Example_receiveWebhooks receives an app user's message; this module
// requires golang-jwt alone, and its own examples need no server.
//
// It is the only package you import. Its models (App, SecretKey, Webhook, each channel's builder and
// integration) are generated from the contract in openapi/smooch.yaml, with the contract's descriptions as
// their documentation.
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
// reach the webhooks and the menu of their own app, and appUser tokens (AppUserKey, with a user id). New
// refuses credentials that cannot work with a *CredentialsError: a key id not in its documented form (act_, svc_
// or app_ and 24 hexadecimal digits), an empty secret, an id and secret that look swapped, an app key asked for
// account scope, appUser without a user id, a token that is not an HS256 JWT. Each method refuses, before
// sending anything, a call the credentials' scope cannot make: a *ScopeError says which scope it needs.
// Service accounts are managed with user account keys only.
//
// BasicAuth sends a key's id and secret as HTTP basic authentication instead of a JWT, on every operation of
// both versions; its scope follows the key's owner, and New checks the key as it checks those that sign JWTs.
//
// To send a ready-made token, use BearerToken: its scope is read from the token's payload; a token whose
// payload does not tell is sent unchecked and the API decides (set Credentials.Scope to check it). To sign
// tokens for others (an app user's device, another service), call SignJWT.
//
// # API versions
//
// Every path starts with the API's version: /v1 (APIVersion1) or /v1.1 (APIVersion1_1), which the vendor
// extended from 2018 to 2021. The client calls /v1 unless WithAPIVersion says otherwise, for the client or for
// one call: an SDK upgrade then changes no request an existing program sends, nor the payload version of the
// webhooks it creates (a webhook receives the version of the path it was created through). The operations v1.1
// added (client.Deployments, Integrations.GetProfile, UploadProfilePhoto and SDKIntegrationIDs) are refused
// under v1 with a *ValidationError before anything is sent. Under v1.1 the integration list is paged
// (Integrations.All walks it) and a new webhook needs its triggers.
//
// # Calling
//
// Operations are grouped by resource: client.Apps, client.AppKeys, client.ServiceAccounts,
// client.ServiceAccountKeys, client.Integrations, client.Menus, client.IntegrationMenus, client.Webhooks and
// client.Deployments (WhatsApp deployments, whose WaitForStatus polls until a status or the context's end). A
// method takes ctx, then the ids of the path, then one params struct for what it sends (AppCreate,
// WebhookCreate, IntegrationUpdate, Menu, *IntegrationListOptions, …), then options. App-level APIs take the app id; with account credentials they reach every app of the
// account through /v1/apps/{appId}/… (or /v1.1/…). No id can change the route a request reaches: each is one escaped
// path segment, and "." and ".." are refused with a *ValidationError.
//
// Apps and service accounts (and, under v1.1, integrations) are paginated: List returns one Page (Items, HasMore, Offset) and All iterates
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
// A returned Integration's details are reached with a type switch on its Channel method, which returns a
// sealed interface: a case that could never match does not compile, and a channel type this package does
// not know yet decodes to *UnknownIntegration instead of failing. Every Integration carries its Status
// (IntegrationStatusActive, IntegrationStatusInactive, IntegrationStatusError) and, when it failed, an Error.
//
// Integrations.Update changes an integration's settings (a Web Messenger's look, LINE credentials, WhatsApp's
// template fallback language), and Integrations.UpdateProfile a WhatsApp integration's business profile,
// within WhatsApp's limits, checked before sending:
//
//	integration, err := client.Integrations.Create(ctx, appID, smooch.WhatsApp{
//		BaseURL:  "https://whatsapp.example.com:8443", // the business's WhatsApp API client
//		Username: username,
//		Password: password,
//	})
//	err = client.Integrations.UpdateProfile(ctx, appID, integration.ID, smooch.IntegrationProfileUpdate{
//		About:    "Open 9 to 5",
//		Websites: []string{"https://example.com"},
//	})
//
// # Menus
//
// An app's persistent menu (Menus.Get, Set, Remove) shows on every channel of the app that has one;
// an integration's own (IntegrationMenus.Get, Create, Update, Delete) overrides it on that channel. A Menu has
// 1 to 3 items: links (with an absolute URI), postbacks (with a Payload) and submenus of 1 to 5 links or
// postbacks; nesting stops there, as MenuSubItem has no Items. A broken rule is a *ValidationError naming the
// item, e.g. items[1].items[0].uri, and nothing is sent.
//
// # Options
//
// An Option given to New applies to every call; given to a method, after its arguments, it applies to that
// call only: WithHeader, WithMaxRetries, WithTimeout, WithBaseURL, WithLogger, and WithResponseInto, which
// captures the call's raw *http.Response. Client.Do calls any path, one this package has no method for yet
// included, with the client's credentials, retries, options and error decoding.
//
// # Errors
//
// A response with a non-2xx status is an *APIError (status, Smooch's error code and description, method,
// path, Retry-After, the response headers and request id); IsNotFound, IsUnauthorized, IsForbidden,
// IsRateLimited and friends test for the common ones. Arguments and options that cannot be sent are a
// *ValidationError naming the field, credentials a *CredentialsError, scope mistakes a *ScopeError; none of
// them leaves the process as a request.
//
// Every error a call returns also says whether the API may have performed the request: it matches
// ErrMaybePerformed or ErrNotPerformed with errors.Is, exactly one of them. A create whose error matches
// ErrMaybePerformed (its answer was lost, timed out, or was a gateway's 5xx) may exist: look for it before
// creating it again.
//
// # Retries
//
// GET, PUT and DELETE are retried on 429, 502, 503, 504 and connection errors; POST only on 429 and when the
// request certainly never left (the connection could not be made, or no byte of it was written), so a create
// is never sent twice. Waits grow exponentially with jitter,
// honour Retry-After, and end at once when the context is cancelled. See WithMaxRetries and WithBackoff.
//
// # Webhooks
//
// Smooch POSTs a payload to a webhook's target for each event the webhook subscribes to, with the webhook's
// secret in the X-API-Key header. A WebhookReceiver, given the secrets of the webhooks it receives, verifies
// each call (the key compared in constant time; 401 without it), reads a bounded body (400 for what is no
// payload) and decodes a WebhookEvent, whose Payload is a sealed interface: *MessagePayload, *PostbackPayload,
// *ConversationPayload, *MergePayload, *DeliveryPayload, *PaymentPayload, *LinkPayload, or *UnknownPayload for
// a trigger this package does not know. Its Handler passes each event to a function and answers as Smooch's
// retry policy reads it (WebhookStatus): 200 for nil, 406 (never retried) for ErrWebhookRejected, 503 (retried)
// for another error or a function that outruns the timeout. Receive serves other routers.
//
//	receiver, err := smooch.NewWebhookReceiver([]string{hook.Secret})
//	http.Handle("/smooch", receiver.Handler(func(ctx context.Context, event *smooch.WebhookEvent) error {
//		if p, ok := event.Payload().(*smooch.MessagePayload); ok {
//			return reply(ctx, event.AppUser.ID, p.Messages)
//		}
//		return nil
//	}))
//
// # Secrets
//
// Every field the contract marks as a credential (x-smooch-secret: key secrets, webhook secrets, channel
// credentials), the Credentials and the Client print, log and encode to JSON with their secrets replaced by
// REDACTED: fmt's %v, %+v and %#v, slog, and json.Marshal alike. Read the field itself to use the secret.
// Errors and the debug log of WithLogger never contain a token or a secret. JWTs returned by AppKeys.JWT,
// ServiceAccountKeys.JWT and SignJWT are plain strings: they are bearer secrets, never log them.
//
// A Client is safe for concurrent use; create one per set of credentials and reuse it.
//
// For tests, package smoochtest serves an in-memory Smooch: point WithBaseURL at its URL.
package smooch
