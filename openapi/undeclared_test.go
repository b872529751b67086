package openapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
	doc, err := openapi.Load()
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
	}
	for _, c := range cases {
		got := openapi.UndeclaredFields(schemas[c.schema], decode(t, c.body))
		assert.Equal(t, c.want, got, "%s %s", c.schema, c.body)
	}
}

func TestValidatorReportsUndeclaredRequestAndResponseFields(t *testing.T) {
	v, err := openapi.NewValidator()
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

func TestNewValidatorFromDataUsesTheGivenContract(t *testing.T) {
	edited := strings.Replace(string(openapi.YAML), "  /v1/apps:\n", "  /v2/apps:\n", 1)
	v, err := openapi.NewValidatorFromData([]byte(edited))
	require.NoError(t, err)
	_, _, err = v.Route(httptest.NewRequest(http.MethodGet, "https://api.smooch.io/v2/apps", nil))
	assert.NoError(t, err)
	_, _, err = v.Route(httptest.NewRequest(http.MethodGet, "https://api.smooch.io/v1/apps", nil))
	assert.Error(t, err)

	_, err = openapi.NewValidatorFromData([]byte("openapi: [not a contract"))
	assert.Error(t, err)
}
