package openapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

func TestUndeclaredFieldsWalksRefsArraysAndDiscriminatedUnions(t *testing.T) {
	doc, err := loadedContract()
	require.NoError(t, err)
	schemas := doc.Components.Schemas

	cases := []struct {
		schema, body string
		want         []string
	}{
		{"AppResponse", `{"app": {"_id": "a", "name": "n", "settings": {"maskCreditCardNumbers": true}}}`, nil},
		{"AppResponse", `{"app": {"_id": "a", "name": "n", "color": "red", "settings": {"x": 1}}, "meta": {}}`,
			[]string{"app.color", "app.settings.x", "meta"}},
		{"AppListResponse", `{"apps": [{"_id": "a", "name": "n"}, {"_id": "b", "name": "m", "extra": 1}], "hasMore": false, "offset": 0}`,
			[]string{"apps[1].extra"}},
		// The discriminator selects the variant: telegram declares username, not botName.
		{"IntegrationListResponse", `{"integrations": [
			{"_id": "1", "type": "telegram", "username": "bot"},
			{"_id": "2", "type": "telegram", "botName": "bot"},
			{"_id": "3", "type": "line", "botName": "bot", "channelSecret": "s"}]}`,
			[]string{"integrations[1].botName", "integrations[2].channelSecret"}},
		{"WebhookResponse", `{"webhook": {"_id": "w", "target": "https://x", "triggers": ["message"], "secret": "s"}}`, nil},
		{"Error", `{"error": {"code": "not_found", "description": "App not found", "traceId": "t"}}`, []string{"error.traceId"}},
		// A menu item declares its fields beside the per-type rules its discriminator chooses: both count.
		{"MenuResponse", `{"menu": {"items": [
			{"_id": "1", "type": "link", "text": "Site", "uri": "https://x.example"},
			{"_id": "2", "type": "submenu", "text": "More", "items": [{"_id": "3", "type": "postback", "text": "Hi", "payload": "HI", "color": "red"}]},
			{"type": "postback", "text": "Hi", "payload": "HI", "icon": "x"}]}}`,
			[]string{"menu.items[1].items[0].color", "menu.items[2].icon"}},
	}
	for _, c := range cases {
		got := openapi.UndeclaredFields(schemas[c.schema], decode(t, c.body))
		assert.Equal(t, c.want, got, "%s %s", c.schema, c.body)
	}
}

func TestValidatorReportsUndeclaredRequestAndResponseFields(t *testing.T) {
	v, err := contractValidator()
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "https://api.smooch.io/v1/apps", strings.NewReader(`{"name": "x", "plan": "pro"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer REDACTED")
	in, err := v.ValidateRequest(context.Background(), req)
	require.NoError(t, err, "an extra member is valid JSON Schema, only undeclared")

	fields, err := v.UndeclaredRequestFields(in, []byte(`{"name": "x", "plan": "pro"}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"plan"}, fields)

	fields, err = v.UndeclaredResponseFields(in, 201, "application/json; charset=utf-8", []byte(`{"app": {"_id": "a", "name": "x", "plan": "pro"}}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"app.plan"}, fields)

	fields, err = v.UndeclaredResponseFields(in, 400, "application/json", []byte(`{"error": {"code": "bad_request", "description": "d"}}`))
	require.NoError(t, err)
	assert.Empty(t, fields)

	_, err = v.UndeclaredResponseFields(in, 201, "application/json", []byte(`not json`))
	assert.Error(t, err)
}

func TestValidatorReportsUndeclaredQueryParameters(t *testing.T) {
	v, err := contractValidator()
	require.NoError(t, err)
	for url, want := range map[string][]string{
		"https://api.smooch.io/v1/apps?limit=2&offset=4&serviceAccountId=s": nil,
		"https://api.smooch.io/v1/apps?limit=2&page=3&debug":                {"debug", "page"},
		"https://api.smooch.io/v1/apps/a/integrations?types=telegram":       nil,
		"https://api.smooch.io/v1/apps/a/integrations?type=telegram":        {"type"},
		"https://api.smooch.io/v1/apps/a/webhooks?limit=1":                  {"limit"},
	} {
		req := httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer REDACTED")
		in, _ := v.ValidateRequest(context.Background(), req)
		require.NotNil(t, in, url)
		assert.Equal(t, want, v.UndeclaredQueryParameters(in), url)
	}
	assert.Nil(t, v.UndeclaredQueryParameters(nil))
}

func TestNewValidatorFromDataUsesTheGivenContract(t *testing.T) {
	edited := strings.Replace(string(openapi.YAML), "  /{apiVersion}/apps:\n", "  /{apiVersion}/applications:\n", 1)
	v, err := openapi.NewValidatorFromData([]byte(edited))
	require.NoError(t, err)
	_, _, err = v.Route(httptest.NewRequest(http.MethodGet, "https://api.smooch.io/v1/applications", nil))
	assert.NoError(t, err)
	_, _, err = v.Route(httptest.NewRequest(http.MethodGet, "https://api.smooch.io/v1/apps", nil))
	assert.Error(t, err)

	_, err = openapi.NewValidatorFromData([]byte("openapi: [not a contract"))
	assert.Error(t, err)
}

// The shapes the walker must follow beyond the contract's own: maps
// (additionalProperties with a schema, or true), allOf, anyOf and oneOf
// without a discriminator, nulls, and Empty (type: object, maxProperties: 0).
func TestUndeclaredFieldsFollowsEverySchemaShape(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(`
openapi: 3.0.3
info: {title: shapes, version: "1"}
paths: {}
components:
  schemas:
    Named:
      type: object
      properties:
        name: {type: string}
    Map:
      type: object
      additionalProperties:
        $ref: '#/components/schemas/Named'
    Open:
      type: object
      additionalProperties: true
      properties:
        id: {type: string}
    Both:
      allOf:
        - $ref: '#/components/schemas/Named'
        - type: object
          properties:
            id: {type: string}
    Either:
      anyOf:
        - type: object
          required: [a]
          properties: {a: {type: string}}
        - type: object
          required: [b]
          properties: {b: {type: integer}}
    OneOfUntagged:
      oneOf:
        - type: object
          required: [a]
          properties: {a: {type: string}}
        - type: object
          required: [b]
          properties: {b: {type: integer}, nested: {$ref: '#/components/schemas/Named'}}
    Nullable:
      type: object
      properties:
        named: {$ref: '#/components/schemas/Named'}
        list: {type: array, nullable: true, items: {$ref: '#/components/schemas/Named'}}
`))
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	schemas := doc.Components.Schemas
	contract, err := loadedContract()
	require.NoError(t, err)

	cases := []struct {
		schema *openapi3.SchemaRef
		body   string
		want   []string
	}{
		{schemas["Map"], `{"k1": {"name": "a"}, "k2": {"name": "b", "color": "red"}}`, []string{"k2.color"}},
		{schemas["Open"], `{"id": "1", "anything": {"goes": true}}`, nil},
		{schemas["Both"], `{"name": "a", "id": "1", "color": "red"}`, []string{"color"}},
		{schemas["Either"], `{"b": 1, "z": 2}`, []string{"z"}},
		{schemas["OneOfUntagged"], `{"b": 1, "nested": {"name": "n", "x": 1}}`, []string{"nested.x"}},
		{schemas["Nullable"], `{"named": null, "list": null}`, nil},
		{schemas["Nullable"], `{"named": {"name": null, "y": null}, "list": [{"name": "a"}, {"z": 1}]}`, []string{"list[1].z", "named.y"}},
		{contract.Components.Schemas["Empty"], `{}`, nil},
		{contract.Components.Schemas["Empty"], `{"deleted": true}`, []string{"deleted"}},
		{contract.Components.Schemas["AppResponse"], `{"app": null}`, nil},
		{contract.Components.Schemas["AppResponse"], `{"app": {"_id": "a", "name": "n", "settings": null}}`, nil},
		// A type no variant maps: no variant to judge by; schema validation reports it.
		{contract.Components.Schemas["IntegrationResponse"], `{"integration": {"_id": "i", "type": "carrier-pigeon", "wings": 2}}`, nil},
	}
	for _, c := range cases {
		require.NotNil(t, c.schema, c.body)
		assert.Equal(t, c.want, openapi.UndeclaredFields(c.schema, decode(t, c.body)), c.body)
	}
}

// A body that is not JSON has no members: a text/plain response that the
// contract declares is not parsed as JSON (which would fail).
func TestUndeclaredResponseFieldsOnlyReadsJSON(t *testing.T) {
	v, err := openapi.NewValidatorFromData([]byte(strings.Replace(string(openapi.YAML),
		"              value: {}\n    BadRequest:\n",
		"              value: {}\n        text/plain:\n          schema: {type: string}\n    BadRequest:\n", 1)))
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodDelete, "https://api.smooch.io/v1/apps/a1", nil)
	req.Header.Set("Authorization", "Bearer REDACTED")
	in, err := v.ValidateRequest(context.Background(), req)
	require.NoError(t, err)
	header := http.Header{"Content-Type": {"text/plain; charset=utf-8"}}
	require.NoError(t, v.ValidateResponse(context.Background(), in, 200, header, []byte("OK")))
	fields, err := v.UndeclaredResponseFields(in, 200, header.Get("Content-Type"), []byte("OK"))
	assert.NoError(t, err)
	assert.Empty(t, fields)
	fields, err = v.UndeclaredResponseFields(in, 200, "application/json", []byte(`{"x":1}`))
	assert.NoError(t, err)
	assert.Equal(t, []string{"x"}, fields, "JSON bodies are still walked")
}
