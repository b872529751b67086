package conformance_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// The harness every scenario runs in: the suite's mode and configuration,
// one cassette per scenario, the clients scenarios use and what they assert.

// The suite's modes, chosen by SMOOCH_CONFORMANCE.
const (
	modeReplay = "replay" // default: offline, from cassettes/
	modeRecord = "record" // against a deterministic smoochtest, rewriting cassettes/
	modeLive   = "live"   // against SMOOCH_API_URL with SMOOCH_KEY_ID / SMOOCH_SECRET
)

// committedCassettes is the repository's cassettes/ directory, seen from this package.
const committedCassettes = "../cassettes"

// defaultWebhookTarget is where the suite's webhooks point. The live API checks that
// the target's domain answers a HEAD request; example.com does.
const defaultWebhookTarget = "https://example.com/smooch-conformance/hook"

// unreachableTarget is on a reserved domain that never resolves (RFC 2606), so
// creating a webhook for it fails verification everywhere.
const unreachableTarget = "https://smooch-conformance.invalid/hook"

// suite is what every scenario shares in one run.
type suite struct {
	mode    string
	dir     string // where cassettes are read or written
	checker *conformance.Checker
	target  string          // webhook target
	ctx     context.Context // the scenarios' calls; canceled when a live run is interrupted

	// live mode
	runPrefix string // conformance.ResourcePrefix plus this run's id, so that a sweep can find its leftovers
	baseURL   string
	keyID     string
	secret    string
	janitor   *smooch.Client // deletes what scenarios leave; neither recorded nor validated

	mu        sync.Mutex
	scenarios []string          // cassette files this run used
	excused   map[string]string // operationId -> why a live run may leave it without a 2xx
}

// excuse says why a live run may leave operation without a 2xx interaction: the live API refused what the
// operation needs (a channel with fake credentials). The coverage gap is then logged, not an error, in live
// mode only; recordings and replays cover every operation.
func (h *harness) excuse(operation, why string) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	if h.s.excused == nil {
		h.s.excused = map[string]string{}
	}
	h.s.excused[operation] = why
}

func newSuite(t *testing.T) *suite {
	t.Helper()
	mode := os.Getenv("SMOOCH_CONFORMANCE")
	if mode == "" {
		mode = modeReplay
	}
	v, err := openapi.NewValidator()
	require.NoError(t, err)
	s := &suite{mode: mode, dir: committedCassettes, checker: conformance.NewChecker(v), target: defaultWebhookTarget,
		ctx: context.Background(), runPrefix: conformance.ResourcePrefix}
	switch mode {
	case modeReplay, modeRecord:
	case modeLive:
		s.checker.UndeclaredAreWarnings = true // the live API may grow fields
		s.baseURL = os.Getenv("SMOOCH_API_URL")
		if s.baseURL == "" {
			s.baseURL = smooch.DefaultBaseURL
		}
		s.keyID, s.secret = os.Getenv("SMOOCH_KEY_ID"), os.Getenv("SMOOCH_SECRET")
		if s.keyID == "" || s.secret == "" {
			t.Fatal("SMOOCH_CONFORMANCE=live needs SMOOCH_KEY_ID and SMOOCH_SECRET: the id and secret of an account key (act_…)")
		}
		// Said now rather than as a ScopeError halfway through a run that has already created resources.
		if !strings.HasPrefix(s.keyID, "act_") {
			t.Fatalf("SMOOCH_KEY_ID=%s: the suite manages service accounts, which takes a user account key (act_…)", s.keyID)
		}
		if target := os.Getenv("SMOOCH_CONFORMANCE_WEBHOOK_TARGET"); target != "" {
			s.target = target
		}
		var id [4]byte
		_, _ = rand.Read(id[:])
		s.runPrefix = conformance.ResourcePrefix + hex.EncodeToString(id[:]) + "-"
		s.dir = os.Getenv("SMOOCH_CONFORMANCE_DIR")
		if s.dir == "" {
			s.dir, err = os.MkdirTemp("", "smooch-conformance-cassettes-")
			require.NoError(t, err)
		}
		require.NoError(t, os.MkdirAll(s.dir, 0o755))
		// The janitor keeps the client's default retries: its deletes are idempotent, and a 429 or 503
		// during cleanup should not leave resources behind.
		s.janitor, err = smooch.New(smooch.AccountKey(s.keyID, s.secret), smooch.WithBaseURL(s.baseURL),
			smooch.WithHTTPClient(&http.Client{Timeout: time.Minute}))
		require.NoError(t, err)
		// Registered first, so it runs last: after every scenario's own cleanup and the run's checks.
		t.Cleanup(func() { s.sweepLeftovers(t) })
		s.ctx = s.cancelOnInterrupt(t)
		// Printed, not only logged: the user needs the directory even when the run passes quietly.
		fmt.Fprintf(os.Stderr, "smooch-conformance: live run against %s; resources named %s…; cassettes in %s\n", s.baseURL, s.runPrefix, s.dir)
		t.Logf("live run against %s; resources named %s…; cassettes in %s", s.baseURL, s.runPrefix, s.dir)
	default:
		t.Fatalf("SMOOCH_CONFORMANCE=%q: want %s (default), %s or %s", mode, modeReplay, modeRecord, modeLive)
	}
	return s
}

// harness runs one scenario: one cassette, one fresh fake in record mode.
type harness struct {
	t       *testing.T
	s       *suite
	ctx     context.Context
	base    string // where clients send requests
	keyID   string // the account key the scenario acts with
	secret  string
	http    *http.Client // the chain every scenario client sends through
	tamper  *tamperTransport
	cleanup *tracker
	seen    *conformance.SeenSecrets // credentials that went over the wire, searched for in the cassette
	fake    *smoochtest.Server       // the fake recorded against, in record mode only: what the API's side does on its own
}

// scenario starts a scenario named name, recording or replaying
// cassettes/name.yaml, and returns its harness. Everything is finished in
// t.Cleanup: the cassette saved and validated, unused interactions reported,
// and in live mode every resource the scenario created deleted.
func (s *suite) scenario(t *testing.T, name string) *harness {
	t.Helper()
	path := filepath.Join(s.dir, name+".yaml")
	s.mu.Lock()
	s.scenarios = append(s.scenarios, path)
	s.mu.Unlock()

	if s.ctx.Err() != nil {
		t.Fatal("interrupted: scenario not started")
	}
	h := &harness{t: t, s: s, ctx: s.ctx, cleanup: &tracker{}, seen: &conformance.SeenSecrets{}}
	var below http.RoundTripper
	switch s.mode {
	case modeReplay:
		player, err := conformance.NewReplayer(path)
		require.NoError(t, err)
		t.Cleanup(func() {
			if err := player.Finish(); err != nil {
				t.Error(err)
			}
		})
		below = player
		h.base = smooch.DefaultBaseURL
		// Replayed key secrets are "REDACTED"; the JWT the client signs is never compared.
		h.keyID, h.secret = "act_000000000000000000000000", conformance.Redacted // cassettes hold "Bearer REDACTED": any key of the right form replays
	case modeRecord:
		srv := smoochtest.NewServer(smoochtest.Deterministic(), smoochtest.WithWebhookVerifier(verifyWithoutNetwork))
		t.Cleanup(srv.Close)
		h.fake = srv
		rec, err := conformance.NewRecorder(path, http.DefaultTransport, conformance.RewriteBaseURL(srv.URL, smooch.DefaultBaseURL))
		require.NoError(t, err)
		t.Cleanup(func() { h.saveAndValidate(rec.Stop, path) })
		below = rec
		h.base = srv.URL
		key := srv.AccountKey()
		h.keyID, h.secret = key.ID, key.Secret
	case modeLive:
		// The live API may answer members the contract does not know yet, credentials among them whatever
		// their names: RedactUndeclared writes every such value as REDACTED unless it is plainly not one.
		rec, err := conformance.NewRecorder(path, http.DefaultTransport, conformance.RedactUndeclared(s.checker.Validator(), h.seen))
		require.NoError(t, err)
		// Registered before the janitor, so it runs after it: the janitor's deletes are not recorded anyway.
		t.Cleanup(func() { h.saveAndValidate(rec.Stop, path) })
		t.Cleanup(func() { h.cleanup.deleteAll(t, s.janitor) })
		below = rec
		h.base = s.baseURL
		h.keyID, h.secret = s.keyID, s.secret
	}
	h.seen.Add(h.secret)
	checked := &checkingTransport{t: t, checker: s.checker, cassette: path, seen: h.seen, next: below}
	h.tamper = &tamperTransport{next: checked}
	// A bound on every call, so that a live API that stops answering fails the run instead of hanging it.
	h.http = &http.Client{Transport: h.tamper, Timeout: time.Minute}
	return h
}

// verifyWithoutNetwork stands in for the API's HEAD check of a webhook target
// while recording: reserved .invalid domains fail, as they do live; every
// other target answers.
func verifyWithoutNetwork(_ context.Context, origin *url.URL) error {
	if strings.HasSuffix(origin.Hostname(), ".invalid") {
		return fmt.Errorf("webhook target %s did not answer a HEAD request", origin)
	}
	return nil
}

func (h *harness) saveAndValidate(stop func() error, path string) {
	t := h.t
	if err := stop(); err != nil {
		t.Errorf("save cassette %s: %v", path, err)
		return
	}
	cassettes, err := conformance.LoadCassettes(path)
	if err != nil {
		t.Errorf("reload cassette: %v", err)
		return
	}
	_, violations := h.s.checker.CheckCassettes(context.Background(), cassettes)
	for _, v := range violations {
		if v.Warning {
			t.Log(v)
		} else {
			t.Error(v)
		}
	}
	findings, err := conformance.ScanSecrets(path)
	if err != nil {
		t.Error(err)
	}
	for _, f := range findings {
		t.Errorf("secret written to a cassette: %s", f)
	}
	findings, err = h.seen.Find(path)
	if err != nil {
		t.Error(err)
	}
	for _, f := range findings {
		t.Errorf("secret written to a cassette: %s", f)
	}
}

// name is a resource name carrying the suite's prefix.
func (h *harness) name(suffix string) string { return h.s.runPrefix + suffix }

// client builds a smooch client sending through the scenario's cassette, with
// retries off: a retried request would make recordings vary.
func (h *harness) client(creds smooch.Credentials) *smooch.Client {
	h.t.Helper()
	c, err := smooch.New(creds, smooch.WithBaseURL(h.base), smooch.WithHTTPClient(h.http), smooch.WithMaxRetries(0))
	require.NoError(h.t, err)
	return c
}

// account is a client with the scenario's account key.
func (h *harness) account() *smooch.Client {
	return h.client(smooch.AccountKey(h.keyID, h.secret))
}

// v11 is a client of the API's v1.1 with the scenario's account key, sent as basic authentication when basic
// is set, else as a JWT.
func (h *harness) v11(basic bool) *smooch.Client {
	h.t.Helper()
	creds := smooch.AccountKey(h.keyID, h.secret)
	if basic {
		creds = smooch.BasicAuth(h.keyID, h.secret)
	}
	c, err := smooch.New(creds, smooch.WithBaseURL(h.base), smooch.WithHTTPClient(h.http), smooch.WithMaxRetries(0),
		smooch.WithAPIVersion(smooch.APIVersion1_1))
	require.NoError(h.t, err)
	return c
}

func (h *harness) newApp(c *smooch.Client, suffix string) *smooch.App {
	h.t.Helper()
	app, err := c.Apps.Create(h.ctx, smooch.AppCreate{Name: h.name(suffix)})
	require.NoError(h.t, err)
	h.createdApp(app.ID)
	return app
}

// wantStatus asserts that err is the API's answer with the given status.
func (h *harness) wantStatus(err error, status int, doing string) {
	h.t.Helper()
	var apiErr *smooch.APIError
	if assert.ErrorAs(h.t, err, &apiErr, "%s: want the API's %d", doing, status) {
		assert.Equal(h.t, status, apiErr.StatusCode, "%s: %v", doing, err)
		assert.NotEmpty(h.t, apiErr.Code, "%s: the error body has a code", doing)
	}
}

// wantClientError asserts that err is an API answer with a 4xx status. The
// live API's choice among them is not pinned down by the contract.
func (h *harness) wantClientError(err error, recorded int, doing string) {
	h.t.Helper()
	if h.s.mode != modeLive {
		h.wantStatus(err, recorded, doing)
		return
	}
	var apiErr *smooch.APIError
	if assert.ErrorAs(h.t, err, &apiErr, doing) {
		assert.True(h.t, apiErr.StatusCode >= 400 && apiErr.StatusCode < 500, "%s: %v", doing, err)
	}
}
