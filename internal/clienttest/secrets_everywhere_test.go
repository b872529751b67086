package clienttest_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/smooch"
)

// Obviously fake credentials, each distinct, pushed through every path of the client. None may come out in
// anything the client prints, logs, encodes as JSON, puts in an error, or lets the contract suite record.
const (
	leakAccountSecret = "s3cr3t-account-key-not-real-01"
	leakAppKeySecret  = "s3cr3t-app-key-not-real-02"
	leakSvcKeySecret  = "s3cr3t-svc-key-not-real-03"
	leakHookSecret    = "s3cr3t-webhook-not-real-04"
	leakWeChatHook    = "s3cr3t-wechat-webhook-not-real-05"
	leakBirdHook      = "s3cr3t-messagebird-webhook-not-real-06"
	leakLINESecret    = "s3cr3t-line-channel-secret-not-real-07"
)

// secretBag is the set of values that must not leak, each with the forms it takes on the wire.
type secretBag struct {
	mu     sync.Mutex
	values map[string]bool
}

func (b *secretBag) add(values ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.values == nil {
		b.values = map[string]bool{}
	}
	for _, v := range values {
		if v != "" {
			b.values[v] = true
		}
	}
}

// addBytes adds a secret []byte in the forms it may take: its text, and base64 as JSON encodes it.
func (b *secretBag) addBytes(v []byte) {
	b.add(base64.StdEncoding.EncodeToString(v))
	if text := string(bytes.TrimPrefix(v, []byte{0x30, 0x82})); text != "" { // a DER header, then the text
		b.add(text)
	}
}

func (b *secretBag) list() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.values))
	for v := range b.values {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// leaked returns the secrets that appear in text.
func (b *secretBag) leaked(text string) []string {
	var out []string
	for _, s := range b.list() {
		if strings.Contains(text, s) {
			out = append(out, s)
		}
	}
	return out
}

// assertNoLeak fails for each secret of b found in text.
func (b *secretBag) assertNoLeak(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range b.leaked(text) {
		t.Errorf("%s leaks %.12s…: %.300s", where, s, text)
	}
}

// printed is every way a value leaves a program as text: fmt's verbs, slog at debug level (JSON and text
// handlers) and JSON.
func printed(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	var js, text bytes.Buffer
	debug := &slog.HandlerOptions{Level: slog.LevelDebug}
	slog.New(slog.NewJSONHandler(&js, debug)).Debug("value", "v", v)
	slog.New(slog.NewTextHandler(&text, debug)).Debug("value", "v", v)
	out["slog JSON"], out["slog text"] = js.String(), text.String()
	if encoded, err := json.Marshal(v); err == nil {
		out["json.Marshal"] = string(encoded)
	} else {
		out["json.Marshal"] = "error: " + err.Error()
	}
	return out
}

func (b *secretBag) assertNotPrinted(t *testing.T, what string, v any) {
	t.Helper()
	for how, text := range printed(v) {
		b.assertNoLeak(t, fmt.Sprintf("%s of %s (%T)", how, what, v), text)
	}
}

// secretChannels are well-formed arguments for every channel with every credential, optional ones included,
// set to a distinct fake secret; the secrets are added to bag.
func secretChannels(bag *secretBag) []smooch.Channel {
	var out []smooch.Channel
	seen := map[smooch.IntegrationType]bool{}
	for _, tc := range validChannels() {
		if seen[tc.ch.Type()] {
			continue
		}
		seen[tc.ch.Type()] = true
		v := reflect.New(reflect.TypeOf(tc.ch)).Elem()
		v.Set(reflect.ValueOf(tc.ch))
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.Tag.Get("smooch") != "secret" {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			value := fmt.Sprintf("s3cr3t-%s-%s-not-real", tc.ch.Type(), name)
			switch {
			case f.Type.Kind() == reflect.Slice: // APN's certificate: DER, so it starts with 0x30
				cert := append([]byte{0x30, 0x82}, value...)
				v.Field(i).SetBytes(cert)
				bag.addBytes(cert)
				continue
			case tc.ch.Type() == smooch.IntegrationTypeTelegram:
				value = "123456:" + strings.ReplaceAll(value, "-", "_")
			case name == "encodingAesKey":
				value = strings.ReplaceAll(value, "-", "")
				value += strings.Repeat("X", 43-len(value))
			}
			v.Field(i).SetString(value)
			bag.add(value)
		}
		ch := v.Interface().(smooch.Channel)
		if err := ch.Validate(); err != nil {
			panic(fmt.Sprintf("secretChannels: %T: %v", ch, err))
		}
		out = append(out, ch)
	}
	return out
}

// leakServer answers every operation the way the API does, with credentials in its answers (key secrets, a
// JWT, webhook secrets, the webhook secrets of WeChat and MessageBird integrations). In echo mode it answers
// every request with an error that repeats the request's Authorization header and body, as a misbehaving
// proxy or a too-helpful error page would: as Smooch's JSON error, or as plain text.
type leakServer struct {
	*httptest.Server
	jwt  string
	echo atomic.Value // "", "json" or "text"
	bag  *secretBag
}

func newLeakServer(t *testing.T, bag *secretBag) *leakServer {
	t.Helper()
	jwt, err := smooch.SignJWT(appKeyID, leakAppKeySecret, smooch.ScopeApp, "")
	require.NoError(t, err)
	bag.add(jwt)
	s := &leakServer{jwt: jwt, bag: bag}
	const app = `{"_id":"a1","name":"n","appToken":"public-app-token"}`
	appKey := fmt.Sprintf(`{"_id":%q,"name":"k","secret":%q}`, appKeyID, leakAppKeySecret)
	svcKey := fmt.Sprintf(`{"_id":%q,"name":"k","secret":%q}`, serviceKeyID, leakSvcKeySecret)
	hook := fmt.Sprintf(`{"_id":"w1","target":"https://example.com/hook","triggers":["message"],"secret":%q}`, leakHookSecret)
	sa := `{"_id":"sa1","name":"robot"}`
	wechat := fmt.Sprintf(`{"_id":"i1","type":"wechat","appId":"wx1","webhookSecret":%q}`, leakWeChatHook)
	bird := fmt.Sprintf(`{"_id":"i2","type":"messagebird","originator":"12262121021","webhookSecret":%q}`, leakBirdHook)
	routes := map[string]string{
		"POST /v1/apps":                           `{"app":` + app + `}`,
		"GET /v1/apps":                            `{"apps":[` + app + `],"hasMore":false,"offset":0}`,
		"GET /v1/apps/a1":                         `{"app":` + app + `}`,
		"PUT /v1/apps/a1":                         `{"app":` + app + `}`,
		"DELETE /v1/apps/a1":                      `{}`,
		"POST /v1/apps/a1/keys":                   `{"key":` + appKey + `}`,
		"GET /v1/apps/a1/keys":                    `{"keys":[` + appKey + `]}`,
		"GET /v1/apps/a1/keys/k1":                 `{"key":` + appKey + `}`,
		"GET /v1/apps/a1/keys/k1/jwt":             `{"jwt":"` + jwt + `"}`,
		"POST /v1/serviceaccounts":                `{"serviceAccount":` + sa + `}`,
		"POST /v1/serviceaccounts/sa1/keys":       `{"key":` + svcKey + `}`,
		"GET /v1/serviceaccounts/sa1/keys":        `{"keys":[` + svcKey + `]}`,
		"GET /v1/serviceaccounts/sa1/keys/k1":     `{"key":` + svcKey + `}`,
		"GET /v1/serviceaccounts/sa1/keys/k1/jwt": `{"jwt":"` + jwt + `"}`,
		"POST /v1/apps/a1/webhooks":               `{"webhook":` + hook + `}`,
		"GET /v1/apps/a1/webhooks":                `{"webhooks":[` + hook + `]}`,
		"GET /v1/apps/a1/webhooks/w1":             `{"webhook":` + hook + `}`,
		"PUT /v1/apps/a1/webhooks/w1":             `{"webhook":` + hook + `}`,
		"GET /v1/apps/a1/integrations":            `{"integrations":[` + wechat + `,` + bird + `]}`,
		"GET /v1/apps/a1/integrations/i1":         `{"integration":` + wechat + `}`,
		"PUT /v1/apps/a1/integrations/i3":         `{"integration":{"_id":"i3","type":"line","channelId":"1234"}}`,
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		auth := r.Header.Get("Authorization")
		bag.add(strings.TrimPrefix(auth, "Bearer ")) // whatever token the client sent is a secret too
		echo, _ := s.echo.Load().(string)
		switch echo {
		case "json":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Echo-Authorization", auth)
			w.WriteHeader(http.StatusBadRequest)
			description, _ := json.Marshal(fmt.Sprintf("invalid request: Authorization: %s; body: %s", auth, body))
			_, _ = fmt.Fprintf(w, `{"error":{"code":"bad_request","description":%s}}`, description)
			return
		case "json-escaped": // every character as \uXXXX: what it echoes matches no byte of the request
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			description := escapeEveryCharacter(fmt.Sprintf("invalid request: Authorization: %s; body: %s", auth, body))
			_, _ = fmt.Fprintf(w, `{"error":{"code":"bad_request","description":%s}}`, description)
			return
		case "proxy-json-escaped": // not Smooch's error shape: the echo, escaped, sits in an array
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadGateway)
			echo := escapeEveryCharacter(fmt.Sprintf("Authorization: %s; body: %s", auth, body))
			_, _ = fmt.Fprintf(w, `{"message":"upstream refused the request","echo":[%s]}`, echo)
			return
		case "text":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = fmt.Fprintf(w, "upstream refused %s %s\nAuthorization: %s\n\n%s", r.Method, r.URL.Path, auth, body)
			return
		}
		key := r.Method + " " + r.URL.Path
		answer, ok := routes[key]
		status := http.StatusOK
		if r.Method == http.MethodPost {
			status = http.StatusCreated
		}
		if key == "POST /v1/apps/a1/integrations" {
			ok = true
			var in struct {
				Type string `json:"type"`
			}
			_ = json.Unmarshal(body, &in)
			switch in.Type {
			case "wechat":
				answer = `{"integration":` + wechat + `}`
			case "messagebird":
				answer = `{"integration":` + bird + `}`
			default:
				answer = fmt.Sprintf(`{"integration":{"_id":"i9","type":%q}}`, in.Type)
			}
		}
		if !ok {
			status, answer = http.StatusOK, `{}`
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(s.Close)
	bag.add(leakAppKeySecret, leakSvcKeySecret, leakHookSecret, leakWeChatHook, leakBirdHook, leakLINESecret)
	return s
}

// session is what a run of every secret-carrying path returned: values, errors and the debug log.
type session struct {
	client *smooch.Client
	values map[string]any // by the call that returned it
	jwts   []string       // the JWT endpoints' bare strings
	errs   map[string]error
	log    bytes.Buffer
}

// runSession calls every operation that carries a credential one way or the other, with a client logging at
// debug level, through transport (nil: the default).
func runSession(t *testing.T, s *leakServer, bag *secretBag, transport http.RoundTripper) *session {
	t.Helper()
	out := &session{values: map[string]any{}, errs: map[string]error{}}
	logger := slog.New(teeHandler{slog.NewJSONHandler(&out.log, &slog.HandlerOptions{Level: slog.LevelDebug}),
		slog.NewTextHandler(&out.log, &slog.HandlerOptions{Level: slog.LevelDebug})})
	opts := []smooch.Option{smooch.WithBaseURL(s.URL), smooch.WithLogger(logger), smooch.WithMaxRetries(1), fastRetries}
	if transport != nil {
		opts = append(opts, smooch.WithHTTPClient(&http.Client{Transport: transport}))
	}
	bag.add(leakAccountSecret)
	c, err := smooch.New(smooch.AccountKey(accountKeyID, leakAccountSecret), opts...)
	require.NoError(t, err)
	out.client = c
	ctx := context.Background()
	record := func(name string, v any, err error) {
		if err != nil {
			out.errs[name] = err
			return
		}
		out.values[name] = v
	}
	jwt := func(name string, v string, err error) {
		if err == nil {
			out.jwts = append(out.jwts, v)
		}
		record(name, nil, err)
	}

	v1, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "n"})
	record("Apps.Create", v1, err)
	v2, err := c.Apps.List(ctx, nil)
	record("Apps.List", v2, err)
	v3, err := c.AppKeys.Create(ctx, "a1", smooch.SecretKeyCreate{Name: "k"})
	record("AppKeys.Create", v3, err)
	v4, err := c.AppKeys.List(ctx, "a1")
	record("AppKeys.List", v4, err)
	v5, err := c.AppKeys.Get(ctx, "a1", "k1")
	record("AppKeys.Get", v5, err)
	j1, err := c.AppKeys.JWT(ctx, "a1", "k1")
	jwt("AppKeys.JWT", j1, err)
	v6, err := c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: "robot"})
	record("ServiceAccounts.Create", v6, err)
	v7, err := c.ServiceAccountKeys.Create(ctx, "sa1", smooch.SecretKeyCreate{Name: "k"})
	record("ServiceAccountKeys.Create", v7, err)
	v8, err := c.ServiceAccountKeys.List(ctx, "sa1")
	record("ServiceAccountKeys.List", v8, err)
	v9, err := c.ServiceAccountKeys.Get(ctx, "sa1", "k1")
	record("ServiceAccountKeys.Get", v9, err)
	j2, err := c.ServiceAccountKeys.JWT(ctx, "sa1", "k1")
	jwt("ServiceAccountKeys.JWT", j2, err)
	v10, err := c.Webhooks.Create(ctx, "a1", smooch.WebhookCreate{Target: "https://example.com/hook"})
	record("Webhooks.Create", v10, err)
	v11, err := c.Webhooks.List(ctx, "a1")
	record("Webhooks.List", v11, err)
	v12, err := c.Webhooks.Get(ctx, "a1", "w1")
	record("Webhooks.Get", v12, err)
	v13, err := c.Webhooks.Update(ctx, "a1", "w1", smooch.WebhookUpdate{Target: "https://example.com/other"})
	record("Webhooks.Update", v13, err)
	for _, ch := range secretChannels(bag) {
		v, err := c.Integrations.Create(ctx, "a1", ch)
		record("Integrations.Create "+string(ch.Type()), v, err)
	}
	v14, err := c.Integrations.List(ctx, "a1", nil)
	record("Integrations.List", v14, err)
	v15, err := c.Integrations.Get(ctx, "a1", "i1")
	record("Integrations.Get", v15, err)
	v16, err := c.Integrations.Update(ctx, "a1", "i3", smooch.IntegrationUpdate{ChannelID: "1234", ChannelSecret: leakLINESecret})
	record("Integrations.Update", v16, err)

	// Clients made from what the API returned: a key's credentials, a JWT.
	if key, ok := out.values["AppKeys.Create"].(*smooch.SecretKey); ok {
		byKey, err := smooch.New(key.Credentials(), opts...)
		require.NoError(t, err)
		v, err := byKey.Webhooks.List(ctx, "a1")
		record("Webhooks.List by the app key", v, err)
	}
	if len(out.jwts) > 0 {
		byJWT, err := smooch.New(smooch.BearerToken(out.jwts[0]), opts...)
		require.NoError(t, err)
		v, err := byJWT.Webhooks.Get(ctx, "a1", "w1")
		record("Webhooks.Get by the JWT", v, err)
	}
	return out
}

// teeHandler logs each record to two handlers.
type teeHandler [2]slog.Handler

func (h teeHandler) Enabled(ctx context.Context, l slog.Level) bool { return h[0].Enabled(ctx, l) }
func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	_ = h[0].Handle(ctx, r.Clone())
	return h[1].Handle(ctx, r)
}
func (h teeHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return teeHandler{h[0].WithAttrs(a), h[1].WithAttrs(a)}
}
func (h teeHandler) WithGroup(n string) slog.Handler {
	return teeHandler{h[0].WithGroup(n), h[1].WithGroup(n)}
}

// TestNoSecretLeavesThroughAnyPath pushes every kind of credential through the client: its own key secret
// and the JWT it signs, app and service account key secrets from create, list and get, the JWT endpoints'
// tokens, webhook secrets, every channel's credentials, and the webhook secrets of integrations. None may
// appear in the debug log, in anything the calls returned as printed (fmt's verbs, slog, JSON), in any
// error, even from a server that echoes the request's Authorization header and body back in its error, or
// in a cassette recorded through the contract suite's recorder.
func TestNoSecretLeavesThroughAnyPath(t *testing.T) {
	bag := &secretBag{}
	srv := newLeakServer(t, bag)

	normal := runSession(t, srv, bag, nil)
	require.Empty(t, normal.errs, "every call succeeds against the well-behaved server")
	require.Len(t, normal.jwts, 2)
	// The calls did return the secrets, readable where they are meant to be read.
	assert.Equal(t, leakAppKeySecret, normal.values["AppKeys.Create"].(*smooch.SecretKey).Secret)
	assert.Equal(t, leakHookSecret, normal.values["Webhooks.Create"].(*smooch.Webhook).Secret)
	assert.Equal(t, leakWeChatHook, normal.values["Integrations.Get"].(*smooch.Integration).Channel().(*smooch.WeChatIntegration).WebhookSecret)
	assert.Equal(t, srv.jwt, normal.jwts[0])

	t.Run("debug log", func(t *testing.T) {
		require.Contains(t, normal.log.String(), `"path":"/v1/apps/a1/keys/k1/jwt"`, "the log has every request")
		bag.assertNoLeak(t, "the debug log", normal.log.String())
	})
	t.Run("returned values", func(t *testing.T) {
		for name, v := range normal.values {
			bag.assertNotPrinted(t, "what "+name+" returned", v)
		}
		bag.assertNotPrinted(t, "the client", normal.client)
		bag.assertNotPrinted(t, "the client's services", *normal.client)
	})

	for _, mode := range []string{"json", "json-escaped", "proxy-json-escaped", "text"} {
		t.Run("errors from a server echoing the request as "+mode, func(t *testing.T) {
			srv.echo.Store(mode)
			defer srv.echo.Store("")
			echoed := runSession(t, srv, bag, nil)
			require.NotEmpty(t, echoed.errs)
			assert.Contains(t, echoed.errs, "Integrations.Create telegram", "the channels' calls failed and were checked")
			for name, err := range echoed.errs {
				var apiErr *smooch.APIError
				require.ErrorAs(t, err, &apiErr, name)
				// The echo arrived, scrubbed: the error still tells what the server said.
				if mode == "json" || mode == "json-escaped" {
					assert.Contains(t, apiErr.Description, "Authorization: Bearer REDACTED", name)
				} else {
					assert.Contains(t, string(apiErr.Body), "Authorization: Bearer REDACTED", name)
				}
				bag.assertNoLeak(t, name+": Error()", err.Error())
				bag.assertNoLeak(t, name+": Description", apiErr.Description)
				bag.assertNoLeak(t, name+": Body", string(apiErr.Body))
				for key, values := range apiErr.Header {
					bag.assertNoLeak(t, name+": header "+key, strings.Join(values, " "))
				}
				bag.assertNotPrinted(t, name+"'s error", err)
				bag.assertNotPrinted(t, name+"'s *APIError", apiErr)
			}
			bag.assertNoLeak(t, "the debug log", echoed.log.String())
		})
	}

	t.Run("cassettes", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "secrets.yaml")
		rec, err := conformance.NewRecorder(path, http.DefaultTransport)
		require.NoError(t, err)
		recorded := runSession(t, srv, bag, rec)
		require.Empty(t, recorded.errs)
		require.NoError(t, rec.Stop())
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		require.Contains(t, string(raw), "/v1/serviceaccounts/sa1/keys/k1/jwt", "the cassette holds the session")
		bag.assertNoLeak(t, "the cassette", string(raw))
		findings, err := conformance.ScanSecrets(path)
		require.NoError(t, err)
		assert.Empty(t, findings)

		// A server that echoes credentials in its error descriptions defeats redaction by member name; the
		// suite's SeenSecrets then finds every one of them, so that such a cassette fails the run instead of
		// being committed.
		// So it does when the server escapes what it echoes (every character as \uXXXX): the raw file then
		// holds none of them, and the suite looks into the decoded strings of each body.
		for _, mode := range []string{"json", "json-escaped", "proxy-json-escaped"} {
			srv.echo.Store(mode)
			echoPath := filepath.Join(dir, "echo-"+mode+".yaml")
			rec, err = conformance.NewRecorder(echoPath, http.DefaultTransport)
			require.NoError(t, err)
			runSession(t, srv, bag, rec)
			require.NoError(t, rec.Stop())
			srv.echo.Store("")
			c, err := conformance.LoadCassette(echoPath)
			require.NoError(t, err)
			var echoed []string // the cassette's response bodies, as a reader of the JSON sees them
			for _, in := range c.Interactions {
				var decoded any
				if json.Unmarshal([]byte(in.Response.Body), &decoded) == nil {
					echoed = append(echoed, fmt.Sprint(decoded))
				}
			}
			seen := &conformance.SeenSecrets{}
			for _, s := range bag.list() {
				seen.Add(s)
			}
			findings, err = seen.Find(echoPath)
			require.NoError(t, err)
			leaked := bag.leaked(strings.Join(echoed, "\n"))
			require.NotEmpty(t, leaked, "%s: the server echoed the requests' credentials", mode)
			assert.NotEmpty(t, findings, "%s: the cassette holds %d secrets and the suite does not see them", mode, len(leaked))
		}
	})

	t.Run("every public type", func(t *testing.T) {
		srv.echo.Store("json")
		echoed := runSession(t, srv, bag, nil)
		srv.echo.Store("")
		for name, values := range publicValues(t, bag, normal, echoed) {
			for i, v := range values {
				bag.assertNotPrinted(t, fmt.Sprintf("smooch.%s #%d", name, i), v)
			}
		}
	})
}

// publicValues has values of every exported type of package smooch, filled with secrets wherever the type
// holds one. The list is held complete by the package's source: a new exported type fails the test until it
// is added here.
func publicValues(t *testing.T, bag *secretBag, normal, echoed *session) map[string][]any {
	t.Helper()
	var integrations []any
	for name, v := range normal.values {
		if strings.HasPrefix(name, "Integrations.") {
			integrations = append(integrations, v)
			if i, ok := v.(*smooch.Integration); ok {
				integrations = append(integrations, *i, i.Channel())
			}
		}
	}
	for _, v := range normal.values["Integrations.List"].([]smooch.Integration) {
		integrations = append(integrations, v, v.Channel())
	}
	var apiErrors []any
	for _, err := range echoed.errs {
		apiErrors = append(apiErrors, err)
	}
	_, credErr := smooch.New(smooch.AccountKey("Y4SINFtAUzEjayxgUjJZoTjG-"+leakAccountSecret, accountKeyID))
	_, scopeErr := mustNew(t, smooch.AppKey(appKeyID, leakAppKeySecret)).Apps.List(context.Background(), nil)
	bad := smooch.Telegram{Token: "not a bot token " + leakAccountSecret}
	appUser := smooch.AppUserKey(appKeyID, leakAppKeySecret, "user-1")
	c := normal.client
	// A receiver of a secret, its refusal of a call carrying another, and the event of a call it accepts.
	receiver, err := smooch.NewWebhookReceiver([]string{leakHookSecret})
	require.NoError(t, err)
	_, refusal := receiver.Receive(webhookCall(textPayload, withKey(leakWeChatHook)))
	require.Error(t, refusal)
	event, err := receiver.Receive(webhookCall(textPayload, withKey(leakHookSecret)))
	require.NoError(t, err)
	values := map[string][]any{
		// Values the calls returned or the client made.
		"Client":                    {c, *c},
		"AppsService":               {c.Apps, *c.Apps},
		"AppKeysService":            {c.AppKeys, *c.AppKeys},
		"ServiceAccountsService":    {c.ServiceAccounts, *c.ServiceAccounts},
		"ServiceAccountKeysService": {c.ServiceAccountKeys, *c.ServiceAccountKeys},
		"IntegrationsService":       {c.Integrations, *c.Integrations},
		"WebhooksService":           {c.Webhooks, *c.Webhooks},
		"DeploymentsService":        {c.Deployments, *c.Deployments},
		"MenusService":              {c.Menus, *c.Menus},
		"IntegrationMenusService":   {c.IntegrationMenus, *c.IntegrationMenus},
		"Credentials": {smooch.AccountKey(accountKeyID, leakAccountSecret), smooch.BearerToken(normal.jwts[0]), appUser, &appUser,
			smooch.BasicAuth(accountKeyID, leakAccountSecret)},
		"APIError":                   apiErrors,
		"CredentialsError":           {credErr},
		"ScopeError":                 {scopeErr},
		"ValidationError":            {bad.Validate(), smooch.Mailgun{APIKey: leakAccountSecret, Domain: "x"}.Validate()},
		"Integration":                integrations,
		"SecretKey":                  {normal.values["AppKeys.Create"], normal.values["AppKeys.List"], normal.values["ServiceAccountKeys.Get"]},
		"Webhook":                    {normal.values["Webhooks.Create"], normal.values["Webhooks.List"]},
		"Page":                       {normal.values["Apps.List"], fill(reflect.ValueOf(new(smooch.Page[smooch.Webhook])).Elem(), bag)},
		"Scope":                      {smooch.ScopeAccount},
		"IntegrationType":            {smooch.IntegrationTypeWeChat},
		"WebhookTrigger":             {smooch.WebhookTriggerMessage},
		"IntegrationStatus":          {smooch.IntegrationStatusError},
		"DisplayStyle":               {smooch.DisplayStyleTab},
		"MenuItemType":               {smooch.MenuItemTypeLink},
		"TwitterTier":                {smooch.TwitterTierPremium},
		"AppMetadata":                {smooch.AppMetadata{"plan": "gold", "seats": 3}},
		"APIVersion":                 {smooch.APIVersion1_1},
		"DeploymentStatus":           {smooch.DeploymentStatusRegistered},
		"DeploymentHosting":          {smooch.DeploymentHostingSelf},
		"DeploymentActivationMethod": {smooch.DeploymentActivationMethodSMS},
		"WebhookReceiver":            {receiver, *receiver},
		"WebhookRequestError":        {refusal},
		"WebhookEvent":               {event, *event, fill(reflect.ValueOf(new(smooch.WebhookEvent)).Elem(), bag)},
		"MessageType":                {smooch.MessageTypeText},
		"MessageRole":                {smooch.MessageRoleWhisper},
		"MessageActionType":          {smooch.MessageActionTypeBuy},
		"Timestamp":                  {smooch.Timestamp(1444348338.704)},

		// Interfaces and functions: their values are the types above, or code.
		"Channel":            nil,
		"IntegrationChannel": nil,
		"Option":             nil,
		"WebhookPayload":     nil,
		"WebhookOption":      nil,
		// UnknownIntegration holds, in Raw, the JSON of a channel this version does not know, as received: it
		// cannot know which members are credentials, and its documentation says not to log it.
		"UnknownIntegration": nil,
	}
	for _, v := range []any{
		new(smooch.App), new(smooch.AppCreate), new(smooch.AppUpdate), new(smooch.AppSettings), new(smooch.AppListOptions),
		new(smooch.ListOptions), new(smooch.IntegrationListOptions), new(smooch.SecretKeyCreate), new(smooch.ServiceAccount),
		new(smooch.ServiceAccountCreate), new(smooch.ServiceAccountUpdate), new(smooch.WebhookCreate), new(smooch.WebhookUpdate),
		new(smooch.Messenger), new(smooch.Twitter), new(smooch.Twilio), new(smooch.Telegram), new(smooch.LINE), new(smooch.Viber),
		new(smooch.WeChat), new(smooch.Mailgun), new(smooch.MessageBird), new(smooch.Email), new(smooch.APN), new(smooch.FCM),
		new(smooch.MessengerIntegration), new(smooch.TwitterIntegration), new(smooch.TwilioIntegration),
		new(smooch.TelegramIntegration), new(smooch.LINEIntegration), new(smooch.ViberIntegration), new(smooch.WeChatIntegration),
		new(smooch.MailgunIntegration), new(smooch.MessageBirdIntegration), new(smooch.EmailIntegration),
		new(smooch.APNIntegration), new(smooch.FCMIntegration), new(smooch.SecretKey), new(smooch.Webhook),
		new(smooch.WebMessenger), new(smooch.WhatsApp), new(smooch.WebMessengerIntegration), new(smooch.WhatsAppIntegration),
		new(smooch.IntegrationUpdate), new(smooch.IntegrationProfileUpdate), new(smooch.Menu), new(smooch.MenuItem),
		new(smooch.MenuSubItem),
		// Webhook payloads hold no credential (the secret travels in a header): they print as they are.
		new(smooch.MessagePayload), new(smooch.PostbackPayload), new(smooch.ConversationPayload), new(smooch.MergePayload),
		new(smooch.DeliveryPayload), new(smooch.PaymentPayload), new(smooch.LinkPayload), new(smooch.UnknownPayload),
		new(smooch.WebhookApp), new(smooch.AppUser), new(smooch.AppUserClient), new(smooch.Message), new(smooch.MessageSource),
		new(smooch.MessageAction), new(smooch.MessageItem), new(smooch.MessageCoordinates), new(smooch.MessageDisplaySettings),
		new(smooch.Referral), new(smooch.ReferralDetails), new(smooch.Postback), new(smooch.Payment), new(smooch.PaymentCharge),
		new(smooch.ChannelError),
		// v1.1
		new(smooch.Instagram), new(smooch.InstagramIntegration), new(smooch.AppleBusinessChat), new(smooch.AppleBusinessChatIntegration),
		new(smooch.Deployment), new(smooch.DeploymentCreate), new(smooch.PhoneNumberActivation), new(smooch.ActivationCode),
		new(smooch.IntegrationProfile), new(smooch.SDKIntegrationIDs),
	} {
		name := reflect.TypeOf(v).Elem().Name()
		f := fill(reflect.ValueOf(v).Elem(), bag)
		values[name] = append(values[name], f, v)
	}

	exported := exportedTypes(t)
	for _, name := range exported {
		_, ok := values[name]
		assert.True(t, ok, "exported type smooch.%s has no values in publicValues: add some that hold every secret it can", name)
	}
	for name := range values {
		assert.Contains(t, exported, name, "publicValues names %s, which package smooch does not export", name)
	}
	return values
}

func mustNew(t *testing.T, creds smooch.Credentials) *smooch.Client {
	t.Helper()
	c, err := smooch.New(creds)
	require.NoError(t, err)
	return c
}

// exportedTypes lists the exported types declared by package smooch's source (tests excluded).
func exportedTypes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(smoochDir, "*.go"))
	require.NoError(t, err)
	var names []string
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, spec := range g.Specs {
					if name := spec.(*ast.TypeSpec).Name.Name; ast.IsExported(name) {
						names = append(names, name)
					}
				}
			}
		}
	}
	require.Greater(t, len(names), 40)
	sort.Strings(names)
	return names
}

// fill sets every exported field of the struct v, recursively: a field tagged `smooch:"secret"` to a fresh
// secret (added to bag), any other string to a public value, and returns the struct.
func fill(v reflect.Value, bag *secretBag) any {
	fillValue(v, reflect.StructField{}, bag, v.Type().Name())
	return v.Interface()
}

func fillValue(v reflect.Value, f reflect.StructField, bag *secretBag, path string) {
	secret := f.Tag.Get("smooch") == "secret"
	switch v.Kind() {
	case reflect.String:
		value := "public-" + path
		if secret {
			value = "s3cr3t-" + path + "-not-real"
			bag.add(value)
		}
		v.SetString(value)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := []byte("public-" + path)
			if secret {
				b = []byte("\x30\x82s3cr3t-" + path + "-not-real")
				bag.addBytes(b)
			}
			v.SetBytes(b)
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fillValue(s.Index(0), f, bag, path+"0")
		v.Set(s)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillValue(p.Elem(), f, bag, path)
		v.Set(p)
	case reflect.Struct:
		for i := range v.NumField() {
			if sf := v.Type().Field(i); sf.IsExported() {
				fillValue(v.Field(i), sf, bag, path+"."+sf.Name)
			}
		}
	}
}

// TestDecodeErrorsNeverQuoteTheBody: a 2xx body the client cannot decode is an error that says why without
// quoting the body, which may hold credentials (an integration's webhookSecret, a key's secret). The message
// of an integration without a type used to quote up to 200 bytes of it.
func TestDecodeErrorsNeverQuoteTheBody(t *testing.T) {
	const secret = "s3cr3t-in-a-bad-answer-not-real"
	for _, tc := range []struct {
		body string
		call func(c *smooch.Client) error
		want string
	}{
		{`{"integration":{"_id":"i1","webhookSecret":"` + secret + `"}}`,
			func(c *smooch.Client) error {
				_, err := c.Integrations.Get(context.Background(), "a1", "i1")
				return err
			},
			`smooch: Integrations.Get: decoding the response: smooch: an integration without a type (id "i1")`},
		{`{"integrations":[{"_id":"i1","type":"wechat","webhookSecret":["` + secret + `"]}]}`,
			func(c *smooch.Client) error {
				_, err := c.Integrations.List(context.Background(), "a1", nil)
				return err
			},
			"smooch: Integrations.List: decoding the response: smooch: decoding a wechat integration: json: cannot unmarshal array"},
		{`{"key":{"_id":"app_1","secret":{"value":"` + secret + `"}}}`,
			func(c *smooch.Client) error { _, err := c.AppKeys.Get(context.Background(), "a1", "k1"); return err },
			"smooch: AppKeys.Get: decoding the response: json: cannot unmarshal object"},
		{`{"jwt":"` + secret + `"`,
			func(c *smooch.Client) error { _, err := c.AppKeys.JWT(context.Background(), "a1", "k1"); return err },
			"smooch: AppKeys.JWT: decoding the response: unexpected end of JSON input"},
	} {
		f := newFakeAPI(t, answer(200, tc.body))
		err := tc.call(newClient(t, f, accountCreds()))
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
		assert.NotContains(t, err.Error(), secret)
	}
}

// escapeEveryCharacter encodes s as a JSON string whose every character is a \uXXXX escape.
func escapeEveryCharacter(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, unit := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, `\u%04x`, unit)
	}
	b.WriteByte('"')
	return b.String()
}
