package openapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/gen"
	"github.com/smoochkit/smooch-go/openapi"
)

// The operations the contract must define: the scope of the contract issue.
var wantOperations = []string{
	"createApp", "listApps", "getApp", "updateApp", "deleteApp",
	"createAppKey", "listAppKeys", "getAppKey", "deleteAppKey", "getAppKeyJWT",
	"createServiceAccount", "listServiceAccounts", "getServiceAccount", "updateServiceAccount", "deleteServiceAccount",
	"createServiceAccountKey", "listServiceAccountKeys", "getServiceAccountKey", "deleteServiceAccountKey", "getServiceAccountKeyJWT",
	"createIntegration", "listIntegrations", "getIntegration", "updateIntegration", "deleteIntegration",
	"updateIntegrationProfile",
	"getAppMenu", "updateAppMenu", "deleteAppMenu",
	"getIntegrationMenu", "createIntegrationMenu", "updateIntegrationMenu", "deleteIntegrationMenu",
	"createWebhook", "listWebhooks", "getWebhook", "updateWebhook", "deleteWebhook",
	// The app-scope paths of the 2017 reference (/v1/webhooks, /v1/menu), which smooch-core still calls.
	"getAppScopeMenu", "updateAppScopeMenu", "deleteAppScopeMenu",
	"createAppScopeWebhook", "listAppScopeWebhooks", "getAppScopeWebhook", "updateAppScopeWebhook", "deleteAppScopeWebhook",
	// v1.1
	"getIntegrationProfile", "uploadIntegrationProfilePhoto", "getSdkIds",
	"createDeployment", "listDeployments", "getDeployment", "deleteDeployment", "activatePhoneNumber", "confirmCode",
}

// v11Only are the operations v1.1 added: only /v1.1 serves them.
var v11Only = []string{"getIntegrationProfile", "uploadIntegrationProfilePhoto", "getSdkIds",
	"createDeployment", "listDeployments", "getDeployment", "deleteDeployment", "activatePhoneNumber", "confirmCode"}

// twoSuccesses are the operations the vendor declares two success statuses for.
var twoSuccesses = map[string]bool{"deleteDeployment": true}

// loadedContract and contractValidator are the contract and its Validator, built once for the package's tests,
// which only read them: each takes about 0.3 s under -race, and two dozen tests need one.
var (
	loadedContract    = sync.OnceValues(openapi.Load)
	contractValidator = sync.OnceValues(openapi.NewValidator)
)

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := loadedContract()
	require.NoError(t, err, "the contract must be a valid OpenAPI document whose examples validate")
	return doc
}

type operation struct {
	method, path string
	op           *openapi3.Operation
}

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, operation{method, path, op})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].op.OperationID < ops[j].op.OperationID })
	return ops
}

func TestContractDefinesTheOperationsInScope(t *testing.T) {
	doc := load(t)
	var got []string
	for _, o := range operations(doc) {
		got = append(got, o.op.OperationID)
	}
	assert.ElementsMatch(t, wantOperations, got)
	assert.Equal(t, "https://api.smooch.io", doc.Servers[0].URL)
	assert.Equal(t, "https://api.eu-1.smooch.io", doc.Servers[1].URL)
}

// Example validation must really be on: a contract with a broken example is refused.
func TestLoadRejectsAnExampleThatDoesNotMatchItsSchema(t *testing.T) {
	broken := bytes.Replace(openapi.YAML,
		[]byte(`integration: {_id: 5735ddfb48011972d621dc09, type: telegram, username: mikes_smooch_bot}`),
		[]byte(`integration: {_id: 5735ddfb48011972d621dc09, type: telegram, username: 42}`), 1)
	require.NotEqual(t, openapi.YAML, broken, "the example to break is no longer in the contract")
	_, err := openapi.LoadData(broken)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "example telegram")
}

func TestHouseRules(t *testing.T) {
	doc := load(t)
	declaredTags := map[string]bool{}
	for _, tag := range doc.Tags {
		declaredTags[tag.Name] = true
	}
	seen := map[string]bool{}
	for _, o := range operations(doc) {
		name := o.method + " " + o.path
		t.Run(name, func(t *testing.T) {
			op := o.op
			require.NotEmpty(t, op.OperationID, "operationId")
			assert.False(t, seen[op.OperationID], "operationId %q is not unique", op.OperationID)
			seen[op.OperationID] = true
			require.Len(t, op.Tags, 1, "exactly one tag")
			assert.True(t, declaredTags[op.Tags[0]], "tag %q is declared at the top", op.Tags[0])
			assert.NotEmpty(t, op.Summary, "summary")
			assert.NotEmpty(t, op.Description, "description")

			require.NotNil(t, op.Security, "security is stated on the operation itself")
			// Either scheme will do, on every operation (the vendor's description since 5.14).
			require.Len(t, *op.Security, 2)
			assert.Contains(t, (*op.Security)[0], "bearerAuth")
			assert.Contains(t, (*op.Security)[1], "basicAuth")

			// Every path starts with the API version; the operations v1.1 added are served under v1.1 only. The
			// app-scope paths of the 2017 reference are v1's alone, as that reference has them.
			if _, older := op.Extensions["x-smooch-app-scope-form-of"]; older {
				assert.True(t, strings.HasPrefix(o.path, "/v1/"), "%s, an app-scope path of the 2017 reference, is under /v1", o.path)
			} else {
				checkVersions(t, doc, o.path, op)
			}
			scopes, ok := op.Extensions["x-smooch-scopes"].([]any)
			require.True(t, ok, "x-smooch-scopes lists the JWT scopes the operation accepts")
			require.NotEmpty(t, scopes)
			for _, s := range scopes {
				assert.Contains(t, []any{"account", "app", "appUser"}, s)
			}

			var errorStatuses, successStatuses []string
			refs := map[string]string{}
			for status, ref := range op.Responses.Map() {
				if strings.HasPrefix(status, "2") {
					successStatuses = append(successStatuses, status)
				} else {
					errorStatuses = append(errorStatuses, status)
				}
				// One named response per status: a shared entry gives the generated Go types inconsistent shapes.
				if ref.Ref != "" {
					assert.Empty(t, refs[ref.Ref], "%s reused for statuses %s and %s", ref.Ref, refs[ref.Ref], status)
					refs[ref.Ref] = status
				}
			}
			if twoSuccesses[op.OperationID] {
				assert.Len(t, successStatuses, 2, "the vendor's two success statuses")
			} else {
				assert.Len(t, successStatuses, 1, "exactly one success status")
			}
			assert.NotEmpty(t, errorStatuses, "at least one error response")
			assert.Contains(t, errorStatuses, "401", "every operation is authenticated, so can answer 401")

			for _, status := range successStatuses {
				resp := op.Responses.Value(status).Value
				media := resp.Content.Get("application/json")
				require.NotNil(t, media, "%s answers JSON", status)
				if ref := op.Responses.Value(status).Ref; ref == "#/components/responses/Deleted" {
					continue // the shared {} of every delete, its example its own
				}
				assert.NotEmpty(t, media.Examples, "%s response has an example", status)
			}
			if tooMany := op.Responses.Value("429"); tooMany != nil {
				assert.Contains(t, tooMany.Value.Headers, "Retry-After")
			}
			for _, status := range errorStatuses {
				media := op.Responses.Value(status).Value.Content.Get("application/json")
				require.NotNil(t, media, "%s answers JSON", status)
				assert.Equal(t, "#/components/schemas/Error", media.Schema.Ref, "%s uses the one Error schema", status)
			}
			if op.RequestBody != nil {
				media := op.RequestBody.Value.Content.Get("application/json")
				if op.OperationID == "uploadIntegrationProfilePhoto" {
					media = op.RequestBody.Value.Content.Get("multipart/form-data") // the one non-JSON body
				}
				require.NotNil(t, media)
				assert.NotEmpty(t, media.Examples, "request body has an example")
				assert.Contains(t, errorStatuses, "400", "a body can be malformed")
			}
			for _, p := range op.Parameters {
				if p.Value.Name == "limit" {
					s := p.Value.Schema.Value
					assert.Equal(t, 1.0, *s.Min)
					assert.Equal(t, 100.0, *s.Max)
					assert.EqualValues(t, 25, s.Default)
				}
				if p.Value.Name == "offset" {
					assert.Equal(t, 0.0, *p.Value.Schema.Value.Min)
				}
			}
		})
	}
}

// An operation marked x-smooch-app-scope-form-of is the older, app-scope path of another: the same method, its
// path without the leading /v1/apps/{appId}, the same parameters otherwise, request body, success status and
// schemas, and the same error statuses, for app scope only, deprecated. The fake serves it with the other's
// handler, and the Go client calls only the other, so a difference between the two would go unseen there.
func TestAppScopeFormsMirrorTheirOperation(t *testing.T) {
	doc := load(t)
	byID := map[string]operation{}
	for _, o := range operations(doc) {
		byID[o.op.OperationID] = o
	}
	schemaRef := func(r *openapi3.ResponseRef) string {
		media := r.Value.Content.Get("application/json")
		if media == nil || media.Schema == nil {
			return ""
		}
		return media.Schema.Ref
	}
	forms := 0
	for _, o := range operations(doc) {
		of, marked := o.op.Extensions["x-smooch-app-scope-form-of"]
		if !marked {
			assert.False(t, o.op.Deprecated, "%s is deprecated but is the app-scope form of nothing", o.op.OperationID)
			continue
		}
		forms++
		t.Run(o.op.OperationID, func(t *testing.T) {
			name, _ := of.(string)
			other, ok := byID[name]
			require.True(t, ok, "x-smooch-app-scope-form-of names %q, which is no operation", of)
			_, chained := other.op.Extensions["x-smooch-app-scope-form-of"]
			assert.False(t, chained, "%s is itself an app-scope form", name)
			assert.Equal(t, other.method, o.method)
			assert.Equal(t, other.path, "/{apiVersion}/apps/{appId}"+strings.TrimPrefix(o.path, "/v1"), "the path is %s's without its app (and only under v1)", name)
			assert.True(t, o.op.Deprecated, "the older form is deprecated")
			assert.NotEmpty(t, o.op.Extensions["x-deprecated-reason"], "and says what replaced it")
			assert.Equal(t, []any{"app"}, o.op.Extensions["x-smooch-scopes"], "only an app-scoped token names its app")
			assert.Equal(t, other.op.Tags, o.op.Tags)
			switch {
			case other.op.RequestBody == nil:
				assert.Nil(t, o.op.RequestBody)
			default:
				require.NotNil(t, o.op.RequestBody)
				assert.Equal(t, other.op.RequestBody.Value.Content.Get("application/json").Schema.Ref,
					o.op.RequestBody.Value.Content.Get("application/json").Schema.Ref, "request body")
			}
			statuses := func(op *openapi3.Operation) map[string]string {
				out := map[string]string{}
				for status, r := range op.Responses.Map() {
					out[status] = r.Ref + schemaRef(r)
				}
				return out
			}
			assert.Equal(t, statuses(other.op), statuses(o.op), "statuses and their answers")
		})
	}
	assert.Equal(t, 8, forms, "the app-scope paths of webhooks (5) and the app's menu (3)")
}

func TestEveryChannelHasARequestAndAResponseExample(t *testing.T) {
	doc := load(t)
	create := doc.Paths.Value("/{apiVersion}/apps/{appId}/integrations").Post
	reqExamples := create.RequestBody.Value.Content.Get("application/json").Examples
	respExamples := create.Responses.Value("201").Value.Content.Get("application/json").Examples

	enum := doc.Components.Schemas["IntegrationType"].Value.Enum
	for _, union := range []string{"IntegrationCreate", "Integration"} {
		mapping := doc.Components.Schemas[union].Value.Discriminator.Mapping
		require.Len(t, mapping, len(enum), "%s maps every IntegrationType", union)
		for _, channel := range enum {
			name := channel.(string)
			assert.Contains(t, mapping, name, "%s discriminator mapping", union)
		}
	}
	for channel := range doc.Components.Schemas["IntegrationCreate"].Value.Discriminator.Mapping {
		assert.Contains(t, reqExamples, channel, "request example named %q", channel)
		assert.Contains(t, respExamples, channel, "response example named %q", channel)
	}
}

// Credentials that are only ever sent must not be declared in what the API returns.
func TestChannelCredentialsAreRequestOnly(t *testing.T) {
	doc := load(t)
	credentials := []string{"appSecret", "authToken", "token", "channelSecret", "channelAccessToken", "pageAccessToken",
		"consumerSecret", "accessTokenSecret", "certificate", "password", "serverKey", "apiKey", "accessKey", "encodingAesKey"}
	for _, variant := range doc.Components.Schemas["Integration"].Value.OneOf {
		for _, c := range credentials {
			assert.NotContains(t, variant.Value.Properties, c, "%s returns credential %q", variant.Ref, c)
		}
	}
}

// The generated client exposes one typed method per operationId.
func TestGeneratedClientHasAMethodPerOperation(t *testing.T) {
	doc := load(t)
	client := reflect.TypeFor[gen.ClientWithResponsesInterface]()
	server := reflect.TypeFor[gen.StrictServerInterface]()
	for _, o := range operations(doc) {
		id := []rune(o.op.OperationID)
		id[0] = unicode.ToUpper(id[0])
		_, ok := client.MethodByName(string(id) + "WithResponse")
		if !ok { // a body of a type without a typed encoder (multipart): only the raw-body method
			_, ok = client.MethodByName(string(id) + "WithBodyWithResponse")
		}
		assert.True(t, ok, "gen client method %sWithResponse", string(id))
		_, ok = server.MethodByName(string(id))
		assert.True(t, ok, "gen strict server method %s", string(id))
	}
	assert.Equal(t, len(wantOperations), server.NumMethod())
}

// Generated names read well: the contract's x-go-name and enum names took effect.
func TestGeneratedNamesReadWell(t *testing.T) {
	_, ok := reflect.TypeFor[gen.App]().FieldByName("ID")
	assert.True(t, ok, "gen.App has ID, not UnderscoreId")
	_, ok = reflect.TypeFor[gen.Error]().FieldByName("Detail")
	assert.True(t, ok, "gen.Error's error field is Detail, leaving room for an Error() method")
	assert.Equal(t, gen.WebhookTrigger("*"), gen.WebhookTriggerAll)
	assert.Equal(t, gen.IntegrationType("frontendEmail"), gen.IntegrationTypeFrontendEmail)
	for _, typ := range []reflect.Type{
		reflect.TypeFor[gen.AppResponse](), reflect.TypeFor[gen.AppListResponse](), reflect.TypeFor[gen.App](),
		reflect.TypeFor[gen.SecretKeyListResponse](), reflect.TypeFor[gen.ServiceAccountListResponse](),
		reflect.TypeFor[gen.IntegrationListResponse](), reflect.TypeFor[gen.WebhookListResponse](),
		reflect.TypeFor[gen.WebhookCreate](), reflect.TypeFor[gen.Error](),
	} {
		for i := range typ.NumField() {
			f := typ.Field(i).Type
			for f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice {
				f = f.Elem()
			}
			assert.False(t, f.Kind() == reflect.Struct && f.Name() == "", "%s.%s is an anonymous struct", typ.Name(), typ.Field(i).Name)
		}
	}

	// The discriminator writes the channel's wire name, not the schema name.
	var in gen.IntegrationCreate
	require.NoError(t, in.FromTelegramIntegrationCreate(gen.TelegramIntegrationCreate{Token: "t"}))
	d, err := in.Discriminator()
	require.NoError(t, err)
	assert.Equal(t, "telegram", d)
}

func TestServerVariablesAndSecurityScheme(t *testing.T) {
	doc := load(t)
	scheme := doc.Components.SecuritySchemes["bearerAuth"].Value
	assert.Equal(t, "http", scheme.Type)
	assert.Equal(t, "bearer", scheme.Scheme)
	assert.Equal(t, "JWT", scheme.BearerFormat)
	for _, word := range []string{"HS256", "kid", "scope", "account", "app", "appUser", "userId"} {
		assert.Contains(t, scheme.Description, word)
	}
	assert.True(t, slices.ContainsFunc(doc.Servers, func(s *openapi3.Server) bool { return strings.Contains(s.URL, "eu-1") }))
	_ = http.MethodGet
}

// The strict server's delete answers must encode as the contract's `{}`.
func TestGeneratedDeleteResponsesEncodeAsEmptyObject(t *testing.T) {
	for _, v := range []any{
		gen.DeleteApp200JSONResponse{}, gen.DeleteAppKey200JSONResponse{}, gen.DeleteIntegration200JSONResponse{},
		gen.DeleteWebhook200JSONResponse{}, gen.DeleteServiceAccount200JSONResponse{}, gen.DeleteServiceAccountKey200JSONResponse{},
	} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assert.JSONEq(t, `{}`, string(b), "%T", v)
	}
}

// checkVersions holds an operation's path to the API version: under /{apiVersion}/, v1.1's additions under v1.1
// only, the rest under both.
func checkVersions(t *testing.T, doc *openapi3.T, path string, op *openapi3.Operation) {
	t.Helper()
	assert.True(t, strings.HasPrefix(path, "/{apiVersion}/"), "%s starts with the API version", path)
	var versions []any
	for _, params := range []openapi3.Parameters{doc.Paths.Value(path).Parameters, op.Parameters} {
		for _, p := range params {
			if p.Value.Name == "apiVersion" {
				versions = p.Value.Schema.Value.Enum
			}
		}
	}
	if slices.Contains(v11Only, op.OperationID) {
		assert.Equal(t, []any{"v1.1"}, versions, "a v1.1 operation is served under v1.1 only")
	} else {
		assert.Equal(t, []any{"v1", "v1.1"}, versions, "a v1 operation is served under both versions")
	}
}
