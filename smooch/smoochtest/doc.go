// Package smoochtest is an in-memory Smooch: a fake of the account
// provisioning API (apps, keys and JWTs, service accounts, integrations,
// webhooks, WhatsApp deployments), under /v1 and /v1.1, served over HTTP on
// loopback, for testing code that provisions
// Smooch without the live API — what stripe-mock is to stripe-go and pstest
// to Pub/Sub.
//
// Start one per test and point the smooch client at its URL with its account
// key, as you would point it at the real API with a real account's key:
//
//	func TestProvision(t *testing.T) {
//		srv := smoochtest.NewServer()
//		t.Cleanup(srv.Close)
//		key := srv.AccountKey() // act_… id and its secret
//		client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
//		if err != nil {
//			t.Fatal(err)
//		}
//		// ... run your provisioning code with client ...
//	}
//
// AccountJWT is a ready token for callers that speak HTTP themselves;
// NewAccountKey adds more user account keys. Service accounts, app keys and
// their JWTs are made through the API, as on the real account.
//
// The fake speaks the contract in openapi/smooch.yaml, and every answer it
// gives is one the contract declares for the operation. A request is first
// authenticated as the API documents: a Bearer JWT, HS256 only, whose `kid`
// names a live key and whose signature that key's secret checks, or Basic
// credentials naming a live key and its secret (401 otherwise). It is then validated against the contract (a bad one gets 400
// with a description naming the problem, e.g. `property "name" is missing`).
// A body over the limit gets 413 (see WithMaxBodyBytes); operations that take
// no body (GET, DELETE) ignore one, as they declare neither 413 nor 400. A
// request for no operation of the contract (unknown path, or a method the
// path does not serve) gets 404 not_found, Smooch's answer for what it does
// not serve: its status table has no 405. Scopes are
// enforced per operation from the contract's x-smooch-scopes and
// x-smooch-user-account-only: account keys (act_, svc_) manage apps and
// everything under them; a service account reaches only the apps it created
// (others answer 404 and are left out of lists); service accounts are managed
// with user account keys only (403 for svc_); an app key (scope app) reaches
// its own app's webhooks and menu only (403 elsewhere; another app's answer
// 404, so an app key never learns which apps exist), also by the app-scope
// paths of the 2017 reference that Smooch's own JavaScript client calls
// (/v1/webhooks, /v1/webhooks/{webhookId}, /v1/menu: the app is the key's,
// and an account token is refused with 403); scope appUser is refused
// everywhere with 403. Errors carry the documented body
// {"error":{"code","description"}}.
//
// Behaviour follows the reference: 24-hex ids, 25-character app tokens,
// app_/svc_/act_ key ids with 24-character secrets, 40-hex webhook secrets,
// paging for apps and service accounts (limit 25 by default, at most 100),
// cascading deletes, at most 10 webhooks per app, webhook targets verified
// with a HEAD request to their domain (see WebhookVerifier), and channel
// details derived deterministically from the credentials, which are never
// returned. New integrations are active (SetIntegrationStatus makes one
// inactive or failed, as a channel would). Integration updates change only
// the fields that apply to the integration's type and refuse the others (400,
// naming the field). An app's menu is empty until set and after removal; an
// integration's own menu overrides it on that channel, and without one the
// integration's menu answers 404 (the app's applies). Business profiles are
// WhatsApp's: updating another integration's answers 400.
//
// Both versions serve every operation of v1; those v1.1 added (the WhatsApp
// deployments, the integration profile's read and photo upload, the SDK ids)
// answer 404 under /v1, as the API's paths do. Under /v1.1 the integration
// list is paged like the apps', a webhook reports the payload version of the
// path it was created through, and creating one needs its triggers. A
// deployment goes from starting to unregistered when first read, to pending
// on ActivatePhoneNumber and to registered when ConfirmCode is given the code
// (DeploymentCode tells a test which: the number's last six digits), then to
// integrated once a WhatsApp integration uses it; SetDeploymentStatus puts
// one in any status (error included) for a test to drive. The photo upload
// takes a JPEG or PNG of at most 5 MiB as multipart/form-data and answers its
// URL, without setting the profile's photo. The default verification is the real API's, a HEAD request over
// the network: tests point webhook targets at an httptest server, or stay off
// the network with LoopbackHEADVerifier or WithoutWebhookVerification.
//
// The fake also calls webhooks, as Smooch does: SendAppUserMessage, TapPostback, ReadConversation,
// ReportDelivery and, for any payload of the v1 reference, TriggerEvent make an event happen in an app; the
// fake POSTs its payload, checked against the contract, to every webhook of the app subscribed to its trigger,
// with the webhook's secret in X-API-Key, and retries as Smooch's policy says (DeliveryAttempts calls at most,
// waits doubling, a timeout for each call, no retry after a 2xx or a final status; DeliveryPolicy shortens the
// waits). By default it calls loopback targets only. Event.Wait returns every call made.
//
// For recordings, WithSeed (or Deterministic) makes every id, secret and
// issued JWT the same on every run, given the same requests in the same
// order.
//
// # Faults
//
// FailNext injects faults (error statuses with the documented body, delays,
// dropped connections) into the next calls of an operation, FailCall into
// one call counted from now (the second of two creates), FailMatching into
// the calls a predicate picks; PendingFaults tells whether the code under test
// made those calls. A fault hits the request, as an overloaded front end
// would, and nothing is performed; with Fault.AfterServing it hits the answer
// of a call that was performed: a create whose answer is lost, held past the
// client's deadline or replaced by a gateway's 504, the case a smooch client
// reports as smooch.ErrMaybePerformed.
//
// # Operations
//
// Faults name an operation by the contract's operationId. These are all of
// them, with the request each serves and the method of package smooch that
// sends it; the app-scope paths of the 2017 reference have none (smooch calls
// the /v1/apps/{appId} form):
//
//	createApp                 POST   /{apiVersion}/apps                                       Apps.Create
//	listApps                  GET    /{apiVersion}/apps                                       Apps.List
//	getApp                    GET    /{apiVersion}/apps/{appId}                               Apps.Get
//	updateApp                 PUT    /{apiVersion}/apps/{appId}                               Apps.Update
//	deleteApp                 DELETE /{apiVersion}/apps/{appId}                               Apps.Delete
//	createAppKey              POST   /{apiVersion}/apps/{appId}/keys                          AppKeys.Create
//	listAppKeys               GET    /{apiVersion}/apps/{appId}/keys                          AppKeys.List
//	getAppKey                 GET    /{apiVersion}/apps/{appId}/keys/{keyId}                  AppKeys.Get
//	deleteAppKey              DELETE /{apiVersion}/apps/{appId}/keys/{keyId}                  AppKeys.Delete
//	getAppKeyJWT              GET    /{apiVersion}/apps/{appId}/keys/{keyId}/jwt              AppKeys.JWT
//	createServiceAccount      POST   /{apiVersion}/serviceaccounts                            ServiceAccounts.Create
//	listServiceAccounts       GET    /{apiVersion}/serviceaccounts                            ServiceAccounts.List
//	getServiceAccount         GET    /{apiVersion}/serviceaccounts/{serviceAccountId}         ServiceAccounts.Get
//	updateServiceAccount      PUT    /{apiVersion}/serviceaccounts/{serviceAccountId}         ServiceAccounts.Update
//	deleteServiceAccount      DELETE /{apiVersion}/serviceaccounts/{serviceAccountId}         ServiceAccounts.Delete
//	createServiceAccountKey   POST   /{apiVersion}/serviceaccounts/{serviceAccountId}/keys    ServiceAccountKeys.Create
//	listServiceAccountKeys    GET    /{apiVersion}/serviceaccounts/{serviceAccountId}/keys    ServiceAccountKeys.List
//	getServiceAccountKey      GET    /{apiVersion}/serviceaccounts/{serviceAccountId}/keys/{keyId} ServiceAccountKeys.Get
//	deleteServiceAccountKey   DELETE /{apiVersion}/serviceaccounts/{serviceAccountId}/keys/{keyId} ServiceAccountKeys.Delete
//	getServiceAccountKeyJWT   GET    /{apiVersion}/serviceaccounts/{serviceAccountId}/keys/{keyId}/jwt ServiceAccountKeys.JWT
//	createIntegration         POST   /{apiVersion}/apps/{appId}/integrations                  Integrations.Create
//	listIntegrations          GET    /{apiVersion}/apps/{appId}/integrations                  Integrations.List
//	getIntegration            GET    /{apiVersion}/apps/{appId}/integrations/{integrationId}  Integrations.Get
//	updateIntegration         PUT    /{apiVersion}/apps/{appId}/integrations/{integrationId}  Integrations.Update
//	deleteIntegration         DELETE /{apiVersion}/apps/{appId}/integrations/{integrationId}  Integrations.Delete
//	getIntegrationProfile     GET    /{apiVersion}/apps/{appId}/integrations/{integrationId}/profile Integrations.GetProfile
//	updateIntegrationProfile  PUT    /{apiVersion}/apps/{appId}/integrations/{integrationId}/profile Integrations.UpdateProfile
//	uploadIntegrationProfilePhoto PUT    /{apiVersion}/apps/{appId}/integrations/{integrationId}/profile/photo Integrations.UploadProfilePhoto
//	getSdkIds                 GET    /{apiVersion}/apps/{appId}/sdks                          Integrations.SDKIntegrationIDs
//	getAppScopeMenu           GET    /v1/menu                                                 (app-scope path; smooch calls getAppMenu)
//	updateAppScopeMenu        PUT    /v1/menu                                                 (app-scope path; smooch calls updateAppMenu)
//	deleteAppScopeMenu        DELETE /v1/menu                                                 (app-scope path; smooch calls deleteAppMenu)
//	createIntegrationMenu     POST   /{apiVersion}/apps/{appId}/integrations/{integrationId}/menu IntegrationMenus.Create
//	getIntegrationMenu        GET    /{apiVersion}/apps/{appId}/integrations/{integrationId}/menu IntegrationMenus.Get
//	updateIntegrationMenu     PUT    /{apiVersion}/apps/{appId}/integrations/{integrationId}/menu IntegrationMenus.Update
//	deleteIntegrationMenu     DELETE /{apiVersion}/apps/{appId}/integrations/{integrationId}/menu IntegrationMenus.Delete
//	getAppMenu                GET    /{apiVersion}/apps/{appId}/menu                          Menus.Get
//	updateAppMenu             PUT    /{apiVersion}/apps/{appId}/menu                          Menus.Set
//	deleteAppMenu             DELETE /{apiVersion}/apps/{appId}/menu                          Menus.Remove
//	createDeployment          POST   /{apiVersion}/whatsapp/deployments                       Deployments.Create
//	listDeployments           GET    /{apiVersion}/whatsapp/deployments                       Deployments.List
//	getDeployment             GET    /{apiVersion}/whatsapp/deployments/{deploymentId}        Deployments.Get
//	deleteDeployment          DELETE /{apiVersion}/whatsapp/deployments/{deploymentId}        Deployments.Delete
//	activatePhoneNumber       POST   /{apiVersion}/whatsapp/deployments/{deploymentId}/activate Deployments.ActivatePhoneNumber
//	confirmCode               POST   /{apiVersion}/whatsapp/deployments/{deploymentId}/code/confirm Deployments.ConfirmCode
//	createAppScopeWebhook     POST   /v1/webhooks                                             (app-scope path; smooch calls createWebhook)
//	listAppScopeWebhooks      GET    /v1/webhooks                                             (app-scope path; smooch calls listWebhooks)
//	getAppScopeWebhook        GET    /v1/webhooks/{webhookId}                                 (app-scope path; smooch calls getWebhook)
//	updateAppScopeWebhook     PUT    /v1/webhooks/{webhookId}                                 (app-scope path; smooch calls updateWebhook)
//	deleteAppScopeWebhook     DELETE /v1/webhooks/{webhookId}                                 (app-scope path; smooch calls deleteWebhook)
//	createWebhook             POST   /{apiVersion}/apps/{appId}/webhooks                      Webhooks.Create
//	listWebhooks              GET    /{apiVersion}/apps/{appId}/webhooks                      Webhooks.List
//	getWebhook                GET    /{apiVersion}/apps/{appId}/webhooks/{webhookId}          Webhooks.Get
//	updateWebhook             PUT    /{apiVersion}/apps/{appId}/webhooks/{webhookId}          Webhooks.Update
//	deleteWebhook             DELETE /{apiVersion}/apps/{appId}/webhooks/{webhookId}          Webhooks.Delete
//
// cmd/smooch-fake serves the same fake as a standalone process.
package smoochtest
