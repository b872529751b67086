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
// 404, so an app key never learns which apps exist); scope appUser is refused
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
// For recordings, WithSeed (or Deterministic) makes every id, secret and
// issued JWT the same on every run, given the same requests in the same
// order. FailNext injects faults (error statuses with the documented body,
// delays, dropped connections) into the next calls of an operation;
// PendingFaults tells whether the code under test made those calls.
//
// cmd/smooch-fake serves the same fake as a standalone process.
package smoochtest
