package clienttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
	"github.com/smoochkit/smooch-go/smooch"
)

// Obviously fake webhook secrets: the current one, the one it replaces, and one of no webhook of ours.
const (
	hookSecret    = "5ecre7-current-webhook-not-real-0001"
	oldHookSecret = "5ecre7-previous-webhook-not-real-002"
	strangeSecret = "5ecre7-someone-else-not-real-000003"
)

const textPayload = `{"trigger":"message:appUser","app":{"_id":"5698edbf2a43bd081be982f1"},"appUser":{"_id":"c7f6e6d6c3a637261bd9656f"},
	"messages":[{"_id":"55c8c1498590aa1900b9b9b1","type":"text","text":"Hi","role":"appUser","authorId":"c7f6e6d6c3a637261bd9656f",
	"received":1444348338.704,"source":{"type":"messenger"}}]}`

func webhookCall(body string, header http.Header) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/smooch", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return req
}

func withKey(key string) http.Header { return http.Header{smooch.WebhookSecretHeader: {key}} }

// countingHandler counts the events it is given and answers with result.
func countingHandler(calls *atomic.Int32, result error) func(context.Context, *smooch.WebhookEvent) error {
	return func(context.Context, *smooch.WebhookEvent) error {
		calls.Add(1)
		return result
	}
}

// TestWebhookReceiverRefusesWhatIsNoCallOfItsWebhooks: a missing, wrong, duplicated or rotated-out secret gets
// 401, a body that is no payload 400, another method 405; in none of them is the user's function called, and
// no answer or error quotes the key the caller sent. Each refusal is final for Smooch, but 405, which Smooch
// never causes.
func TestWebhookReceiverRefusesWhatIsNoCallOfItsWebhooks(t *testing.T) {
	receiver, err := smooch.NewWebhookReceiver([]string{hookSecret}, smooch.WithWebhookBodyLimit(1024))
	require.NoError(t, err)
	var calls atomic.Int32
	handler := receiver.Handler(countingHandler(&calls, nil))
	webhook, err := contractWebhook()
	require.NoError(t, err)

	big := strings.Replace(textPayload, `"Hi"`, `"`+strings.Repeat("a", 1024)+`"`, 1)
	call := func(body string, header http.Header) func() *http.Request {
		return func() *http.Request { return webhookCall(body, header) }
	}
	edited := func(body string, header http.Header, edit func(*http.Request)) func() *http.Request {
		return func() *http.Request {
			r := webhookCall(body, header)
			edit(r)
			return r
		}
	}
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		status int
		reason string
	}{
		{"no key", call(textPayload, nil), 401, "has no X-API-Key header"},
		{"an empty key", call(textPayload, withKey("")), 401, "none of the receiver's secrets"},
		{"a wrong key", call(textPayload, withKey(strangeSecret)), 401, "none of the receiver's secrets"},
		{"the rotated-out key", call(textPayload, withKey(oldHookSecret)), 401, "none of the receiver's secrets"},
		{"the key with a newline", call(textPayload, withKey(hookSecret+"\n")), 401, "none of the receiver's secrets"},
		{"a prefix of the key", call(textPayload, withKey(hookSecret[:len(hookSecret)-1])), 401, "none of the receiver's secrets"},
		{"two keys", call(textPayload, http.Header{smooch.WebhookSecretHeader: {strangeSecret, hookSecret}}), 401, "more than one"},
		{"the key in the query", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/smooch?X-API-Key="+hookSecret, strings.NewReader(textPayload))
		}, 401, "has no X-API-Key header"},
		{"GET", edited("", withKey(hookSecret), func(r *http.Request) { r.Method = http.MethodGet }), 405, "not GET"},
		{"not JSON", call(`trigger=message:appUser`, withKey(hookSecret)), 400, "invalid character"},
		{"a form", edited(textPayload, withKey(hookSecret), func(r *http.Request) {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}), 400, "Content-Type is not application/json"},
		{"a broken Content-Type", edited(textPayload, withKey(hookSecret), func(r *http.Request) {
			r.Header.Set("Content-Type", "application/json; charset")
		}), 400, "Content-Type"},
		{"no trigger", call(`{"app":{"_id":"a"}}`, withKey(hookSecret)), 400, "no trigger"},
		{"an empty body", call(``, withKey(hookSecret)), 400, "unexpected end of JSON input"},
		{"two payloads", call(textPayload+textPayload, withKey(hookSecret)), 400, "invalid character"},
		{"too large", call(big, withKey(hookSecret)), 400, "over the limit of 1024"},
		{"too large, without a length", edited(big, withKey(hookSecret), func(r *http.Request) { r.ContentLength = -1 }),
			400, "over the limit of 1024 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := receiver.Receive(tc.req())
			var refused *smooch.WebhookRequestError
			require.ErrorAs(t, err, &refused)
			assert.Equal(t, tc.status, refused.Status)
			assert.Equal(t, tc.status, smooch.WebhookStatus(err))
			assert.Contains(t, refused.Reason, tc.reason)

			w := httptest.NewRecorder()
			handler.ServeHTTP(w, tc.req())
			assert.Equal(t, tc.status, w.Code)
			assert.Contains(t, w.Body.String(), tc.reason)
			if tc.status == 405 {
				assert.Equal(t, "POST", w.Header().Get("Allow"))
			} else {
				assert.Contains(t, webhook.FinalStatuses, tc.status, "Smooch does not retry what can never succeed")
			}
			for _, secret := range []string{hookSecret, oldHookSecret, strangeSecret} {
				assert.NotContains(t, w.Body.String(), secret)
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}
	assert.Zero(t, calls.Load(), "no refused call reaches the user's function")
}

func contractWebhook() (*openapi.WebhookCall, error) {
	v, err := openapi.NewValidator()
	if err != nil {
		return nil, err
	}
	return v.Webhook()
}

// TestWebhookReceiverAcceptsEverySecretOfARotation: a receiver given the old and the new secret accepts calls
// with either; one given the new only refuses the old.
func TestWebhookReceiverAcceptsEverySecretOfARotation(t *testing.T) {
	both, err := smooch.NewWebhookReceiver([]string{oldHookSecret, hookSecret})
	require.NoError(t, err)
	for _, key := range []string{oldHookSecret, hookSecret} {
		e, err := both.Receive(webhookCall(textPayload, withKey(key)))
		require.NoError(t, err)
		assert.Equal(t, smooch.WebhookTriggerMessageAppUser, e.Trigger)
	}
	_, err = both.Receive(webhookCall(textPayload, withKey(strangeSecret)))
	assert.Equal(t, http.StatusUnauthorized, smooch.WebhookStatus(err))

	newOnly, err := smooch.NewWebhookReceiver([]string{hookSecret})
	require.NoError(t, err)
	_, err = newOnly.Receive(webhookCall(textPayload, withKey(oldHookSecret)))
	assert.Equal(t, http.StatusUnauthorized, smooch.WebhookStatus(err))
	// A Content-Type with parameters, or none, is JSON enough.
	req := webhookCall(textPayload, withKey(hookSecret))
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	_, err = newOnly.Receive(req)
	assert.NoError(t, err)
	req = webhookCall(textPayload, withKey(hookSecret))
	req.Header.Del("Content-Type")
	_, err = newOnly.Receive(req)
	assert.NoError(t, err)
}

// TestWebhookSecretsAreComparedInConstantTime holds the receiver's comparison to what makes it constant-time:
// digests of one length, compared with crypto/subtle, against every secret without stopping at a match. A
// timing measurement would be flaky; the code's shape is not.
func TestWebhookSecretsAreComparedInConstantTime(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(smoochDir, "webhookreceive.go"), nil, 0)
	require.NoError(t, err)
	var verify *ast.FuncDecl
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Name.Name == "verify" {
			verify = fn
		}
	}
	require.NotNil(t, verify, "webhookreceive.go has no verify function")
	var calls []string
	var loops int
	ast.Inspect(verify.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				if pkg, ok := sel.X.(*ast.Ident); ok {
					calls = append(calls, pkg.Name+"."+sel.Sel.Name)
				}
			}
		case *ast.RangeStmt:
			loops++
			ast.Inspect(n.Body, func(m ast.Node) bool {
				switch m := m.(type) {
				case *ast.ReturnStmt, *ast.BranchStmt:
					t.Errorf("the comparison loop stops early at %v", fset.Position(m.Pos()))
				case *ast.BinaryExpr:
					if m.Op == token.EQL || m.Op == token.NEQ {
						t.Errorf("the comparison loop compares with %s at %v", m.Op, fset.Position(m.Pos()))
					}
				}
				return true
			})
		}
		return true
	})
	assert.Contains(t, calls, "subtle.ConstantTimeCompare")
	assert.Contains(t, calls, "sha256.Sum256")
	assert.Equal(t, 1, loops)
}

// TestWebhookStatusFollowsTheRetryPolicy: the handler answers the user's result as Smooch's retry policy reads
// it: nil is a success, ErrWebhookRejected (wrapped or not) a final status, any other error a status Smooch
// retries.
func TestWebhookStatusFollowsTheRetryPolicy(t *testing.T) {
	call, err := contractWebhook()
	require.NoError(t, err)
	receiver, err := smooch.NewWebhookReceiver([]string{hookSecret})
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		result error
		status int
		final  bool
	}{
		{"handled", nil, 200, true},
		{"rejected", smooch.ErrWebhookRejected, 406, true},
		{"rejected, wrapped", fmt.Errorf("app 5698edbf2a43bd081be982f1 is not ours: %w", smooch.ErrWebhookRejected), 406, true},
		{"failed", errors.New("the database is down: password=hunter2"), 503, false},
		{"cancelled", context.Canceled, 503, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			w := httptest.NewRecorder()
			receiver.Handler(countingHandler(&calls, tc.result)).ServeHTTP(w, webhookCall(textPayload, withKey(hookSecret)))
			assert.Equal(t, int32(1), calls.Load())
			assert.Equal(t, tc.status, w.Code)
			assert.Equal(t, tc.status, smooch.WebhookStatus(tc.result))
			success := w.Code >= 200 && w.Code < 300
			assert.Equal(t, tc.final, success || slices.Contains(call.FinalStatuses, w.Code), "final for Smooch")
			assert.NotContains(t, w.Body.String(), "hunter2", "the handler's error is not the caller's business")
		})
	}
}

// TestWebhookHandlerAnswersWithinItsTimeout: a handle function that outruns the timeout gets 503 answered for
// it (Smooch retries) at the timeout, well before Smooch's 20 s, and its context cancelled.
func TestWebhookHandlerAnswersWithinItsTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		receiver, err := smooch.NewWebhookReceiver([]string{hookSecret})
		require.NoError(t, err)
		released := make(chan struct{})
		var cancelled atomic.Bool
		handler := receiver.Handler(func(ctx context.Context, _ *smooch.WebhookEvent) error {
			<-ctx.Done()
			cancelled.Store(true)
			<-released // and still running after the answer
			return nil
		})
		start := time.Now()
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, webhookCall(textPayload, withKey(hookSecret)))
		assert.Equal(t, http.StatusServiceUnavailable, w.Code)
		assert.Equal(t, smooch.DefaultWebhookTimeout, time.Since(start))
		assert.Less(t, smooch.DefaultWebhookTimeout, 20*time.Second)
		synctest.Wait()
		assert.True(t, cancelled.Load())
		close(released)

		short, err := smooch.NewWebhookReceiver([]string{hookSecret}, smooch.WithWebhookTimeout(time.Second))
		require.NoError(t, err)
		start = time.Now()
		w = httptest.NewRecorder()
		short.Handler(func(ctx context.Context, _ *smooch.WebhookEvent) error {
			<-ctx.Done()
			return ctx.Err()
		}).ServeHTTP(w, webhookCall(textPayload, withKey(hookSecret)))
		assert.Equal(t, http.StatusServiceUnavailable, w.Code)
		assert.Equal(t, time.Second, time.Since(start))
	})
}

// TestWebhookHandlerPanicsAsTheServerSees: a panic in the user's function is raised in the server's goroutine,
// where net/http recovers it (and Smooch, without an answer, retries), not in a goroutine that would end the
// process.
func TestWebhookHandlerPanicsAsTheServerSees(t *testing.T) {
	receiver, err := smooch.NewWebhookReceiver([]string{hookSecret})
	require.NoError(t, err)
	handler := receiver.Handler(func(context.Context, *smooch.WebhookEvent) error { panic("boom") })
	assert.PanicsWithValue(t, "boom", func() {
		handler.ServeHTTP(httptest.NewRecorder(), webhookCall(textPayload, withKey(hookSecret)))
	})
	assert.PanicsWithValue(t, "smooch: WebhookReceiver.Handler: nil handle function", func() { receiver.Handler(nil) })
}

// TestNewWebhookReceiverRefusesWhatCannotWork: no secret, an empty one, one with white space around it (read
// with its newline), and options out of range are *ValidationErrors naming them, never quoting a secret.
func TestNewWebhookReceiverRefusesWhatCannotWork(t *testing.T) {
	for _, tc := range []struct {
		name    string
		secrets []string
		opts    []smooch.WebhookOption
		want    string
	}{
		{"no secrets", nil, nil, "NewWebhookReceiver: secrets is empty"},
		{"an empty secret", []string{hookSecret, ""}, nil, "secrets[1] is empty"},
		{"a secret with its newline", []string{hookSecret + "\n"}, nil, "secrets[0] has white space around it"},
		{"a secret after a space", []string{" " + hookSecret}, nil, "secrets[0] has white space around it"},
		{"a body limit of 0", []string{hookSecret}, []smooch.WebhookOption{smooch.WithWebhookBodyLimit(0)}, "WithWebhookBodyLimit: n must be positive, got 0"},
		{"a negative timeout", []string{hookSecret}, []smooch.WebhookOption{smooch.WithWebhookTimeout(-time.Second)}, "WithWebhookTimeout: d must be positive, got -1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := smooch.NewWebhookReceiver(tc.secrets, tc.opts...)
			assert.Nil(t, r)
			var invalid *smooch.ValidationError
			require.ErrorAs(t, err, &invalid)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), hookSecret)
		})
	}
}

// TestWebhookReceiverPrintsNoSecret: the receiver holds digests, never its secrets, and prints and logs them
// as REDACTED.
func TestWebhookReceiverPrintsNoSecret(t *testing.T) {
	receiver, err := smooch.NewWebhookReceiver([]string{oldHookSecret, hookSecret})
	require.NoError(t, err)
	for how, text := range printed(receiver) {
		assert.NotContains(t, text, hookSecret, how)
		assert.NotContains(t, text, oldHookSecret, how)
	}
	assert.Equal(t, "{Secrets:2 REDACTED BodyLimit:1048576 Timeout:15s}", fmt.Sprint(receiver))
}

// FuzzWebhookReceive sends any body with any key to a receiver. A key that is not its secret gets 401 and no
// event, whatever the body; with its secret, the body either decodes to an event with a trigger and a payload
// that encodes back to the body as received (compacted), or is refused with 400. Nothing panics, and no other error
// arises.
func FuzzWebhookReceive(f *testing.F) {
	for _, body := range webhookExamplesOf(f) {
		f.Add(string(body), hookSecret)
	}
	for _, seed := range []string{
		textPayload, `{"trigger":"typing:appUser"}`, `{"trigger":""}`, `{"trigger":null}`, `{"trigger":"message:appUser","messages":[{"type":"form"}]}`,
		`{"trigger":"postback","postbacks":[{"message":null}]}`, `{"trigger":"message\u003aappUser","messages":[]}`, `null`, `[]`, `{`, ``,
		`{"trigger":"delivery:failure","error":{"code":7}}`, `{"trigger":"merge:appUser","surviving":{"signedUpAt":"yesterday"}}`,
	} {
		f.Add(seed, hookSecret)
		f.Add(seed, oldHookSecret)
	}
	receiver, err := smooch.NewWebhookReceiver([]string{hookSecret}, smooch.WithWebhookBodyLimit(64<<10))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body, key string) {
		req := httptest.NewRequest(http.MethodPost, "/smooch", strings.NewReader(body))
		req.Header.Set(smooch.WebhookSecretHeader, key)
		event, err := receiver.Receive(req)
		var refused *smooch.WebhookRequestError
		if key != hookSecret {
			if event != nil || !errors.As(err, &refused) || refused.Status != http.StatusUnauthorized {
				t.Fatalf("key %q: %v, %v: want 401 and no event", key, event, err)
			}
			return
		}
		if err != nil {
			if !errors.As(err, &refused) || refused.Status != http.StatusBadRequest || event != nil {
				t.Fatalf("%v: want a 400 refusal", err)
			}
			return
		}
		if event.Trigger == "" || event.Payload() == nil || string(event.Raw) != body {
			t.Fatalf("event %+v of %q: no trigger, payload or raw body", event, body)
		}
		if _, unknown := event.Payload().(*smooch.UnknownPayload); unknown == v1PayloadTriggers[event.Trigger] {
			t.Fatalf("trigger %q decoded to %T", event.Trigger, event.Payload())
		}
		again, err := json.Marshal(event)
		// json.Marshal compacts what a MarshalJSON method returns, and escapes <, > and & in it for HTML.
		var compact, escaped bytes.Buffer
		_ = json.Compact(&compact, []byte(body))
		json.HTMLEscape(&escaped, compact.Bytes())
		if err != nil || string(again) != escaped.String() {
			t.Fatalf("the event encodes to %q (%v), not to the body %q", again, err, escaped.String())
		}
		if _, err := json.Marshal(event.Payload()); err != nil {
			t.Fatalf("the payload does not encode: %v", err)
		}
		_ = fmt.Sprintf("%+v %#v", event, event.Payload())
	})
}

func webhookExamplesOf(f *testing.F) map[string]json.RawMessage {
	v, err := openapi.NewValidator()
	if err != nil {
		f.Fatal(err)
	}
	call, err := v.Webhook()
	if err != nil {
		f.Fatal(err)
	}
	return call.Examples
}

// v1PayloadTriggers are the triggers whose payloads the v1 reference documents, each decoded to its typed
// payload; any other trigger, v1.1's included (typing:appUser, client:add, message:delivery:user, …), arrives as
// an *UnknownPayload with its raw JSON.
var v1PayloadTriggers = map[smooch.WebhookTrigger]bool{
	smooch.WebhookTriggerMessageAppUser: true, smooch.WebhookTriggerMessageAppMaker: true, smooch.WebhookTriggerPostback: true,
	smooch.WebhookTriggerConversationStart: true, smooch.WebhookTriggerConversationRead: true,
	smooch.WebhookTriggerConversationReferral: true, smooch.WebhookTriggerMergeAppUser: true,
	smooch.WebhookTriggerDeliverySuccess: true, smooch.WebhookTriggerDeliveryFailure: true,
	smooch.WebhookTriggerPaymentSuccess: true, smooch.WebhookTriggerLinkSuccess: true,
	smooch.WebhookTriggerLinkFailure: true, smooch.WebhookTriggerLinkMatch: true,
}
