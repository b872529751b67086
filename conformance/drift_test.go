package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
)

// newDrift is a drift against the 3.19-era contract (contract319): these tests judge the drift machinery on a
// contract that stays put, whatever the contract of the day.
func newDrift(t *testing.T) (*conformance.Drift, *openapi.Validator) {
	t.Helper()
	_, v := load319(t)
	return conformance.NewDrift(v), v
}

// spec319 is the 3.19-era contract's text.
func spec319(t *testing.T) []byte {
	t.Helper()
	spec, _ := load319(t)
	return spec
}

// exchange is an answered request for drift tests.
func exchange(method, url string, status int, contentType, body string) conformance.Exchange {
	return conformance.Exchange{Method: method, URL: "https://api.smooch.io" + url, Header: http.Header{"Authorization": {conformance.RedactedAuthorization}},
		Status: status, RespHeader: http.Header{"Content-Type": {contentType}}, RespBody: []byte(body)}
}

// brief is what a test compares of a finding: everything but where it was first seen.
type brief struct {
	Kind                       conformance.FindingKind
	Operation, Schema, Ref, At string
	Status                     int
	Field, ContentType, Decl   string
	Value, Example             any
	Types, Members             []string
	Count, Interactions        int
}

func briefs(findings []conformance.Finding) []brief {
	out := make([]brief, len(findings))
	for i, f := range findings {
		out[i] = brief{f.Kind, f.Operation, f.Schema, f.Ref, f.At, f.Status, f.Field, f.ContentType, f.Declared,
			f.Value, f.Example, f.Types, f.Members, f.Count, f.Interactions}
	}
	return out
}

func TestDriftFindsNothingInTrafficTheContractDescribes(t *testing.T) {
	t.Parallel() // CPU-bound and self-contained: it runs beside the suite's tests that wait on loopback

	v, err := openapi.NewValidator() // today's contract, which the committed cassettes follow
	require.NoError(t, err)
	d := conformance.NewDrift(v)
	cassettes, err := conformance.LoadCassettes(committedCassettes, "testdata/good.yaml")
	require.NoError(t, err)
	d.AddCassettes(cassettes)
	assert.Empty(t, d.Findings())
	assert.Greater(t, d.Interactions(), 100)
}

func TestDriftNamesEachKindWithItsSchemaAndCounts(t *testing.T) {
	t.Parallel() // CPU-bound and self-contained: it runs beside the suite's tests that wait on loopback
	d, _ := newDrift(t)
	const app = "/v1/apps/55c8d9758590aa1900b9b9f6"
	for i, ex := range []conformance.Exchange{
		exchange("POST", "/v1/apps", 201, "application/json", `{"app":{"_id":"a1","name":"A","region":"us-1"}}`),
		exchange("GET", "/v1/apps?limit=2", 200, "application/json; charset=utf-8",
			`{"apps":[{"_id":"a1","name":"A","region":"eu-1"},{"_id":"a2","region":null}],"hasMore":false,"offset":0}`),
		exchange("POST", app+"/keys", 201, "application/json", `{"key":{"_id":"app_1","name":"k","secret":"REDACTED","privateKey":"pk_live_4f2a9c0e1b7d"}}`),
		exchange("GET", app+"/integrations", 200, "application/json",
			`{"integrations":[{"_id":"i1","type":"telegram","username":"bot"},{"_id":"i2","type":"instagram","phoneNumber":"+15146125236"}]}`),
		exchange("GET", app+"/webhooks", 200, "application/json",
			`{"webhooks":[{"_id":"w1","target":"https://example.com/h","triggers":["message","typing:appUser"],"secret":"REDACTED"}]}`),
		exchange("POST", app+"/webhooks", 409, "application/json", `{"error":{"code":"conflict","description":"exists"}}`),
		exchange("DELETE", app, 200, "text/plain", "OK"),
		exchange("GET", app, 200, "application/json", `{"app":{"_id":"a1","name":42}}`),
		exchange("GET", app+"/colors", 200, "application/json", `{}`),
		exchange("GET", app, 503, "application/json", `{"error":{"code":"unavailable","description":"later"}}`), // 5XX is declared
	} {
		d.Add(fmt.Sprintf("traffic: interaction %d", i), ex)
	}
	assert.Equal(t, 10, d.Interactions())
	want := []brief{
		{Kind: conformance.UndeclaredField, Operation: "createApp", Schema: "App", Ref: "#/components/schemas/App", At: "app.region",
			Status: 201, Field: "region", ContentType: "application/json", Example: "us-1", Types: []string{"string"}, Count: 1, Interactions: 1},
		{Kind: conformance.UndeclaredField, Operation: "listApps", Schema: "App", Ref: "#/components/schemas/App", At: "apps[].region",
			Status: 200, Field: "region", ContentType: "application/json", Example: "eu-1", Types: []string{"null", "string"}, Count: 2, Interactions: 1},
		{Kind: conformance.MissingRequired, Operation: "listApps", Schema: "App", Ref: "#/components/schemas/App", At: "apps[].name",
			Status: 200, Field: "name", ContentType: "application/json", Count: 1, Interactions: 1},
		{Kind: conformance.WrongType, Operation: "getApp", Schema: "App.name", Ref: "#/components/schemas/App/properties/name", At: "app.name",
			Status: 200, ContentType: "application/json", Decl: "string", Example: json.Number("42"), Types: []string{"integer"}, Count: 1, Interactions: 1},
		{Kind: conformance.UndeclaredContentType, Operation: "deleteApp", Ref: "#/components/responses/Deleted",
			Status: 200, ContentType: "text/plain", Example: "OK", Count: 1, Interactions: 1},
		{Kind: conformance.UndeclaredEnumValue, Operation: "listIntegrations", Schema: "Integration", Ref: "#/components/schemas/Integration",
			At: "integrations[].type", Status: 200, Field: "type", ContentType: "application/json", Value: "instagram",
			Example: map[string]any{"_id": "i2", "type": "instagram", "phoneNumber": "+15146125236"},
			Members: []string{"_id", "phoneNumber", "type"}, Count: 1, Interactions: 1},
		{Kind: conformance.UndeclaredField, Operation: "createAppKey", Schema: "SecretKey", Ref: "#/components/schemas/SecretKey", At: "key.privateKey",
			Status: 201, Field: "privateKey", ContentType: "application/json", Example: conformance.Redacted, Types: []string{"string"}, Count: 1, Interactions: 1},
		{Kind: conformance.UndeclaredStatus, Operation: "createWebhook", Ref: "#/paths/~1v1~1apps~1{appId}~1webhooks/post/responses",
			Status: 409, ContentType: "application/json", Example: map[string]any{"error": map[string]any{"code": "conflict", "description": "exists"}},
			Count: 1, Interactions: 1},
		{Kind: conformance.UndeclaredEnumValue, Operation: "listWebhooks", Schema: "WebhookTrigger", Ref: "#/components/schemas/WebhookTrigger",
			At: "webhooks[].triggers[]", Status: 200, ContentType: "application/json", Value: "typing:appUser", Example: "typing:appUser", Count: 1, Interactions: 1},
		{Kind: conformance.UndeclaredOperation, Count: 1, Interactions: 1},
	}
	got := briefs(d.Findings())
	// The undeclared operation has no contract path: its own.
	require.Len(t, got, len(want))
	assert.Equal(t, "/v1/apps/{appId}/colors", d.Findings()[len(got)-1].Path, "its id recognised as a parameter")
	for i := range want {
		assert.Equal(t, want[i], got[i], "finding %d", i)
	}
	first := d.Findings()[0].First
	assert.Equal(t, "traffic: interaction 0", first)
}

func TestDriftExamplesAreRedacted(t *testing.T) {
	d, _ := newDrift(t)
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFwcCJ9.c2lnbmF0dXJlLXRoYXQtaXMtbG9uZw"
	d.Add("t", exchange("POST", "/v1/apps", 201, "application/json",
		`{"app":{"_id":"a","name":"A","owner":{"email":"a@example.com","apiKey":"sk_live_abcdefgh"},"note":"token `+jwt+`"}}`))
	findings := d.Findings()
	require.Len(t, findings, 2)
	assert.Equal(t, "note", findings[0].Field)
	assert.Equal(t, "token "+conformance.RedactedJWT, findings[0].Example)
	assert.Equal(t, "owner", findings[1].Field)
	assert.Equal(t, map[string]any{"email": "a@example.com", "apiKey": conformance.Redacted}, findings[1].Example)
	assert.Equal(t, []string{"object"}, findings[1].Types)
}

// injectDrift changes the first interaction of the cassette at path that
// answers method on a URL ending in suffix with status.
func injectDrift(t *testing.T, c *conformance.Cassette, method, suffix string, status int, change func(body map[string]any) (int, map[string]any)) {
	t.Helper()
	for _, in := range c.Interactions {
		if in.Request.Method == method && strings.HasSuffix(strings.SplitN(in.Request.URL, "?", 2)[0], suffix) && in.Response.Code == status {
			var body map[string]any
			require.NoError(t, json.Unmarshal([]byte(in.Response.Body), &body))
			code, changed := change(body)
			data, err := json.Marshal(changed)
			require.NoError(t, err)
			in.Response.Body = string(data)
			in.Response.Code = code
			in.Response.Status = fmt.Sprintf("%d %s", code, http.StatusText(code))
			return
		}
	}
	t.Fatalf("%s: no %s …%s answered %d", c.Path, method, suffix, status)
}

// The loop closes: a recorded cassette with drift injected (a new field, a
// new channel type in a list, a new status), its findings turned into a
// patch, the patch applied to a copy of the contract with git apply, and the
// same cassette then validates clean against the copy, with no drift left.
func TestDriftPatchDeclaresWhatItFound(t *testing.T) {
	t.Parallel() // CPU-bound and self-contained: it runs beside the suite's tests that wait on loopback
	c, err := conformance.LoadCassette(filepath.Join(committedCassettes, "channels.yaml"))
	require.NoError(t, err)
	injectDrift(t, c, "POST", "/v1/apps", 201, func(b map[string]any) (int, map[string]any) {
		b["app"].(map[string]any)["region"] = "us-1"
		return 201, b
	})
	injectDrift(t, c, "GET", "/integrations", 200, func(b map[string]any) (int, map[string]any) {
		list := b["integrations"].([]any)
		b["integrations"] = append(list, map[string]any{"_id": "5e1f2a3b4c5d6e7f80910111", "type": "instagram", "phoneNumber": "+15146125236", "status": "active"})
		return 200, b
	})
	injectDrift(t, c, "DELETE", "/v1/apps/"+appIDOf(t, c), 200, func(map[string]any) (int, map[string]any) {
		return 409, map[string]any{"error": map[string]any{"code": "conflict", "description": "the app is being modified"}}
	})
	dir := t.TempDir()
	c.File = filepath.Join(dir, "channels.yaml")
	require.NoError(t, c.Save())
	cassettes, err := conformance.LoadCassettes(dir)
	require.NoError(t, err)

	d, v := newDrift(t)
	d.AddCassettes(cassettes)
	findings := d.Findings()
	var kinds []string
	for _, f := range findings {
		kinds = append(kinds, fmt.Sprintf("%s %s %s %v", f.Kind, f.Operation, f.Schema, f.Value))
	}
	assert.Equal(t, []string{
		"undeclared-field createApp App <nil>",
		"undeclared-status deleteApp  <nil>",
		"undeclared-enum-value listIntegrations Integration instagram",
	}, kinds)

	p, err := conformance.PatchContract("openapi/smooch.yaml", spec319(t), v.Doc(), findings)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"App: declare property region (string)",
		"deleteApp: response 409 ($ref Conflict)",
		"Integration: new variant InstagramIntegration for type instagram (members _id, type, status, phoneNumber)",
		"IntegrationType: enum value instagram (Go name Instagram)",
	}, p.Changes)
	assert.Empty(t, p.Skipped)

	// The diff, applied by git to a copy, gives the patched contract.
	work := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(work, "openapi"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(work, "openapi", "smooch.yaml"), spec319(t), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(work, "drift.patch"), []byte(p.Diff()), 0o644))
	apply := exec.Command("git", "apply", "drift.patch")
	apply.Dir = work
	out, err := apply.CombinedOutput()
	require.NoError(t, err, "git apply: %s\n%s", out, p.Diff())
	patched, err := os.ReadFile(filepath.Join(work, "openapi", "smooch.yaml"))
	require.NoError(t, err)
	assert.Equal(t, string(p.Patched), string(patched))

	// Against the patched contract the cassette is clean, and has no drift.
	pv, err := openapi.NewValidatorFromData(patched)
	require.NoError(t, err, "the patched contract is a valid OpenAPI document")
	_, violations := conformance.NewChecker(pv).CheckCassettes(context.Background(), cassettes)
	assert.Empty(t, violations)
	again := conformance.NewDrift(pv)
	again.AddCassettes(cassettes)
	assert.Empty(t, again.Findings())
	// While against the original it was not.
	_, violations = conformance.NewChecker(v).CheckCassettes(context.Background(), cassettes)
	assert.Len(t, violations, 3)
}

func appIDOf(t *testing.T, c *conformance.Cassette) string {
	t.Helper()
	for _, in := range c.Interactions {
		if in.Request.Method == "POST" && strings.HasSuffix(in.Request.URL, "/v1/apps") {
			var body struct {
				App struct {
					ID string `json:"_id"`
				} `json:"app"`
			}
			require.NoError(t, json.Unmarshal([]byte(in.Response.Body), &body))
			return body.App.ID
		}
	}
	t.Fatal("no app created")
	return ""
}

// Each kind of patch, on drift made up for it, leaves no drift and no
// violation behind: a 2xx status the contract lacks (its body fits a
// component), an error body in a JSON media type it lacks, an object and an
// array member (their schemas inferred), a required member gone missing.
func TestDriftPatchForEachKindLeavesTheTrafficClean(t *testing.T) {
	t.Parallel() // CPU-bound and self-contained: it runs beside the suite's tests that wait on loopback
	const app = "/v1/apps/55c8d9758590aa1900b9b9f6"
	traffic := []conformance.Exchange{
		exchange("GET", app, 202, "application/json", `{"app":{"_id":"a1","name":"A"}}`),
		exchange("GET", app, 404, "application/problem+json", `{"error":{"code":"not_found","description":"gone"}}`),
		exchange("POST", "/v1/apps", 201, "application/json",
			`{"app":{"_id":"a1","name":"A","owner":{"id":"u1","seats":3,"admin":true},"tags":["a","b"],"limits":[1,2.5],"note":null}}`),
		exchange("GET", app+"/keys", 200, "application/json", `{"keys":[{"_id":"app_1","secret":"REDACTED"}]}`),
	}
	traffic[2].Body = []byte(`{"name":"A"}`)
	traffic[2].Header.Set("Content-Type", "application/json")
	d, v := newDrift(t)
	for i, ex := range traffic {
		d.Add(fmt.Sprintf("made up: interaction %d", i), ex)
	}
	findings := d.Findings()
	p, err := conformance.PatchContract("openapi/smooch.yaml", spec319(t), v.Doc(), findings)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"App: declare property limits (array of number)",
		"App: declare property note (type unknown: only null was seen)",
		"App: declare property owner (object)",
		"App: declare property tags (array of string)",
		"getApp: response 202 (description TODO, schema AppResponse)",
		"response NotFound (shared by every operation that declares it): declare content type application/problem+json",
		"SecretKey: name is no longer required",
	}, p.Changes)
	assert.Contains(t, p.Diff(), `
+        owner:
+          type: object
+          properties:
+            admin: {type: boolean, description: TODO}
+            id: {type: string, description: TODO}
+            seats: {type: integer, description: TODO}
+          description: TODO
+        tags: {type: array, items: {type: string}, description: TODO}
`)
	assert.Contains(t, p.Diff(), "\n+        note: {nullable: true, description: TODO}\n")
	assert.Contains(t, p.Diff(), `
+        '202':
+          description: TODO
+          content:
+            application/json:
+              schema: {$ref: '#/components/schemas/AppResponse'}
`)

	pv, err := openapi.NewValidatorFromData(p.Patched)
	require.NoError(t, err, "the patched contract is valid:\n%s", p.Diff())
	checker := conformance.NewChecker(pv)
	for i, ex := range traffic {
		assert.Empty(t, checker.Check(context.Background(), "made up", i, ex), "interaction %d", i)
	}
	again := conformance.NewDrift(pv)
	for i, ex := range traffic {
		again.Add(fmt.Sprintf("made up: interaction %d", i), ex)
	}
	assert.Empty(t, again.Findings())
}
