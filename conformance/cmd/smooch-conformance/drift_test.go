package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// driftFixture holds one interaction of each kind of drift; its head comment
// says which.
const driftFixture = "testdata/drift.yaml"

func TestDriftReportsEachFindingOfTheFixture(t *testing.T) {
	code, stdout, stderr := runCLI(t, "drift", "-spec", contract319, driftFixture)
	assert.Equal(t, 1, code, stderr)
	assert.Empty(t, stderr)
	const first = "(first: testdata/drift.yaml: interaction "
	assert.Equal(t, `createApp (POST /v1/apps)
  response 201, schema App (#/components/schemas/App)
    field "region" is not declared (at app.region): string, e.g. "us-1"; seen once in 1 interaction `+first+`0)
listApps (GET /v1/apps)
  response 200, schema App (#/components/schemas/App)
    field "region" is not declared (at apps[].region): string, e.g. "eu-1"; seen 2 times in 1 interaction `+first+`1)
    required field "name" was missing (at apps[].name); seen once in 1 interaction `+first+`1)
getApp (GET /v1/apps/{appId})
  response 200, schema App.name (#/components/schemas/App/properties/name)
    declared string, but was integer (at app.name), e.g. 42; seen once in 1 interaction `+first+`7)
deleteApp (DELETE /v1/apps/{appId})
  response 200
    content type text/plain is not declared, e.g. "OK"; seen once in 1 interaction `+first+`6)
listIntegrations (GET /v1/apps/{appId}/integrations)
  response 200, schema Integration (#/components/schemas/Integration)
    type "instagram" matches no variant (at integrations[].type); its members: _id, phoneNumber, status, type; seen once in 1 interaction `+first+`3)
createAppKey (POST /v1/apps/{appId}/keys)
  response 201, schema SecretKey (#/components/schemas/SecretKey)
    field "privateKey" is not declared (at key.privateKey): string, e.g. "REDACTED"; may be a credential: named like a credential; seen once in 1 interaction `+first+`2)
createWebhook (POST /v1/apps/{appId}/webhooks)
  response 409
    status 409 is not declared (application/json), e.g. {"error":{"code":"conflict","description":"A webhook with th…; seen once in 1 interaction `+first+`5)
listWebhooks (GET /v1/apps/{appId}/webhooks)
  response 200, schema WebhookTrigger (#/components/schemas/WebhookTrigger)
    enum value "typing:appUser" is not declared (at webhooks[].triggers[]); seen once in 1 interaction `+first+`4)
no operation: GET /v1/apps/{appId}/colors
    no operation of the contract has this method and path; answered 200; seen once in 1 interaction `+first+`8)
10 findings in 9 interactions: the contract does not describe what was sent and answered
`, stdout)
	assert.NotContains(t, stdout, "pk_live", "the secret-looking member's value is redacted")
}

func TestDriftIsQuietWithoutDrift(t *testing.T) {
	code, stdout, stderr := runCLI(t, "drift", good)
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, "no drift: the contract describes every request and response of 8 interactions\n", stdout)

	code, stdout, _ = runCLI(t, "drift", committed, "-json")
	assert.Equal(t, 0, code)
	var out struct {
		Interactions int               `json:"interactions"`
		Findings     []json.RawMessage `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	assert.Greater(t, out.Interactions, 100)
	assert.NotNil(t, out.Findings)
	assert.Empty(t, out.Findings)

	code, stdout, _ = runCLI(t, "drift", "-format", "junit", good)
	assert.Equal(t, 0, code)
	suites := checkJUnit(t, stdout)
	assert.Equal(t, 0, suites.Failures)
	assert.Equal(t, 7, suites.Tests, "one test case per operation the cassette calls")
}

func TestDriftJSONIsForMachines(t *testing.T) {
	code, stdout, _ := runCLI(t, "drift", "-spec", contract319, "-json", driftFixture)
	assert.Equal(t, 1, code)
	code2, stdout2, _ := runCLI(t, "drift", driftFixture, "-spec", contract319, "-format", "json")
	assert.Equal(t, 1, code2)
	assert.Equal(t, stdout, stdout2, "-json is -format json")

	var out struct {
		Interactions int                      `json:"interactions"`
		Findings     []map[string]interface{} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	assert.Equal(t, 9, out.Interactions)
	var got []string
	for _, f := range out.Findings {
		got = append(got, strings.Join([]string{str(f["kind"]), str(f["operation"]), str(f["schema"]), str(f["field"]), str(f["value"])}, " "))
	}
	assert.Equal(t, []string{
		"undeclared-field createApp App region ",
		"undeclared-field listApps App region ",
		"missing-required listApps App name ",
		"wrong-type getApp App.name  ",
		"undeclared-content-type deleteApp   ",
		"undeclared-enum-value listIntegrations Integration type instagram",
		"undeclared-field createAppKey SecretKey privateKey ",
		"undeclared-status createWebhook   ",
		"undeclared-enum-value listWebhooks WebhookTrigger  typing:appUser",
		"undeclared-operation    ",
	}, got)
	region := out.Findings[1]
	assert.Equal(t, []any{"string"}, region["types"])
	assert.Equal(t, "eu-1", region["example"])
	assert.Equal(t, float64(2), region["count"])
	assert.Equal(t, float64(1), region["interactions"])
	assert.Equal(t, "apps[].region", region["at"])
	assert.Equal(t, "#/components/schemas/App", region["ref"])
	assert.Equal(t, float64(409), out.Findings[7]["status"])
	assert.Equal(t, []any{"_id", "phoneNumber", "status", "type"}, out.Findings[5]["members"])
}

func str(v any) string {
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		b, _ := json.Marshal(v)
		return string(b)
	}
	return s
}

func TestDriftJUnitHasAFailurePerFinding(t *testing.T) {
	code, stdout, _ := runCLI(t, "drift", "-spec", contract319, "-format", "junit", driftFixture)
	assert.Equal(t, 1, code)
	suites := checkJUnit(t, stdout)
	require.Len(t, suites.Suites, 1)
	failures := map[string][]string{}
	for _, c := range suites.Suites[0].Cases {
		for _, f := range c.Failures {
			failures[c.Name] = append(failures[c.Name], f.Type)
		}
	}
	assert.Equal(t, map[string][]string{
		"createApp POST /v1/apps":                            {"undeclared-field"},
		"listApps GET /v1/apps":                              {"undeclared-field", "missing-required"},
		"getApp GET /v1/apps/{appId}":                        {"wrong-type"},
		"deleteApp DELETE /v1/apps/{appId}":                  {"undeclared-content-type"},
		"listIntegrations GET /v1/apps/{appId}/integrations": {"undeclared-enum-value"},
		"createAppKey POST /v1/apps/{appId}/keys":            {"undeclared-field"},
		"createWebhook POST /v1/apps/{appId}/webhooks":       {"undeclared-status"},
		"listWebhooks GET /v1/apps/{appId}/webhooks":         {"undeclared-enum-value"},
		"no operation of the contract":                       {"undeclared-operation"},
	}, failures)
	assert.Equal(t, 9, suites.Tests)
	assert.Equal(t, 9, suites.Failures)
}

// The patch the fixture's drift suggests, applied with git apply to a copy
// of the contract, declares all of it but what a patch cannot decide: after
// it (the request no operation matched is now a proposed operation),
// validate -spec and drift -spec report only the value of the wrong type.
func TestDriftPatchAppliesAndLeavesOnlyWhatItCannotDecide(t *testing.T) {
	fixture, err := filepath.Abs(driftFixture)
	require.NoError(t, err)
	contract, err := os.ReadFile(contract319)
	require.NoError(t, err)
	work := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(work, "openapi"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(work, "openapi", "smooch.yaml"), contract, 0o644))
	t.Chdir(work)

	code, patch, stderr := runCLI(t, "drift", "-patch", "-spec", "openapi/smooch.yaml", fixture)
	assert.Equal(t, 1, code, "there was drift")
	assert.Equal(t, `smooch-conformance drift: not patched: getApp: App.name at app.name is declared string, seen integer: a type change breaks clients; decide by hand
`, stderr)
	head, diff, ok := strings.Cut(patch, "--- a/openapi/smooch.yaml\n+++ b/openapi/smooch.yaml\n")
	require.True(t, ok, patch)
	assert.Equal(t, `# smooch-conformance drift: a patch of openapi/smooch.yaml declaring what the traffic showed.
# Apply it with git apply, fill in every TODO (descriptions, and a new operation's tags and scopes), review
# each proposed x-smooch-secret (the comment above it says why), then make generate.
#   App: declare property region (string)
#   App: name is no longer required
#   response Deleted (shared by every operation that declares it): declare content type text/plain
#   Integration: new variant InstagramIntegration for type instagram (members _id, type, status, phoneNumber)
#   IntegrationType: enum value instagram (Go name Instagram)
#   SecretKey: declare property privateKey (string, x-smooch-secret: named like a credential)
#   createWebhook: response 409 ($ref Conflict)
#   WebhookTrigger: enum value typing:appUser (Go name TypingAppUser)
#   new operation listAppColors: GET /v1/apps/{appId}/colors (responses 200; no request body; descriptions, tags and scopes TODO)
`, head)
	var added []string
	for _, line := range strings.Split(diff, "\n") {
		if strings.HasPrefix(line, "+") || strings.HasPrefix(line, "-") {
			added = append(added, line)
		}
	}
	assert.Equal(t, []string{
		"+        '409': {$ref: '#/components/responses/Conflict'}",
		"+  /v1/apps/{appId}/colors:",
		"+    parameters:",
		"+      - $ref: '#/components/parameters/AppId'",
		"+    get:",
		"+      operationId: listAppColors",
		"+      tags: [Apps]",
		"+      summary: TODO",
		"+      description: TODO",
		"+      x-smooch-scopes: [TODO]",
		"+      security: [{bearerAuth: []}]",
		"+      responses:",
		"+        '200':",
		"+          description: TODO",
		"+          content:",
		"+            application/json:",
		"+              schema:",
		"+                type: object",
		"+                required: [colors]",
		"+                properties:",
		"+                  colors: {type: array, items: {}, description: TODO}",
		"+              example: {colors: []}",
		"+        text/plain:",
		"+          schema: {type: string}",
		"-      required: [_id, name]",
		"+      required: [_id]",
		"+        region: {type: string, description: TODO}",
		"+        # x-smooch-secret proposed: named like a credential. Take the mark back if it is not a credential.",
		"+        privateKey: {type: string, x-smooch-secret: true, description: TODO}",
		"+        - typing:appUser",
		"+        - TypingAppUser",
		"-      enum: [messenger, twitter, twilio, telegram, line, viber, wechat, mailgun, messagebird, frontendEmail, apn, fcm, web, whatsapp]",
		"-      x-enum-varnames: [Messenger, Twitter, Twilio, Telegram, LINE, Viber, WeChat, Mailgun, MessageBird, FrontendEmail, APN, FCM, Web, WhatsApp]",
		"+      enum: [messenger, twitter, twilio, telegram, line, viber, wechat, mailgun, messagebird, frontendEmail, apn, fcm, web, whatsapp, instagram]",
		"+      x-enum-varnames: [Messenger, Twitter, Twilio, Telegram, LINE, Viber, WeChat, Mailgun, MessageBird, FrontendEmail, APN, FCM, Web, WhatsApp, Instagram]",
		"+        - $ref: '#/components/schemas/InstagramIntegration'",
		"+          instagram: '#/components/schemas/InstagramIntegration'",
		"+    InstagramIntegration:",
		"+      type: object",
		"+      required: [_id, type]",
		"+      properties:",
		"+        _id: {type: string, x-go-name: ID, description: The integration's id.}",
		"+        type: {type: string, enum: [instagram], x-go-type: IntegrationType, description: TODO}",
		"+        status: {$ref: '#/components/schemas/IntegrationStatus'}",
		"+        phoneNumber: {type: string, description: \"The phone number, E.164.\"}",
	}, added)

	require.NoError(t, os.WriteFile("drift.patch", []byte(patch), 0o644))
	out, err := exec.Command("git", "apply", "drift.patch").CombinedOutput()
	require.NoError(t, err, string(out))

	code, stdout, stderr := runCLI(t, "validate", fixture, "-spec", "openapi/smooch.yaml")
	assert.Equal(t, 1, code, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 2, stdout)
	assert.Contains(t, lines[0], "interaction 7: GET /v1/apps/55c8d9758590aa1900b9b9f6: response 200:")
	assert.Equal(t, "9 interactions, 1 violation", lines[1])

	code, stdout, _ = runCLI(t, "drift", "-json", "-spec", "openapi/smooch.yaml", fixture)
	assert.Equal(t, 1, code)
	var left struct {
		Findings []struct {
			Kind string `json:"kind"`
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &left))
	require.Len(t, left.Findings, 1)
	assert.Equal(t, "wrong-type", left.Findings[0].Kind)

	// Without drift there is nothing to patch.
	code, patch, _ = runCLI(t, "drift", "-patch", filepath.Join(wdOf(t), good))
	assert.Equal(t, 0, code)
	assert.Empty(t, patch)
}

var testWD, _ = os.Getwd()

// wdOf is the package directory, where relative fixture paths start (t.Chdir moved away).
func wdOf(*testing.T) string { return testWD }

func TestDriftUsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"patch and json":   {"drift", "-patch", "-format", "json", good},
		"json and junit":   {"drift", "-json", "-format", "junit", good},
		"unknown format":   {"drift", "-format", "xml", good},
		"no path":          {"drift", "-json"},
		"missing cassette": {"drift", "nope.yaml"},
		"json on validate": {"validate", "-json", good},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, args...)
			assert.Equal(t, 2, code, stdout)
			assert.NotEmpty(t, stderr)
		})
	}
}

// v11Fixture is traffic shaped like the vendor's v1.1 description as a live run writes it (see
// conformance/drift_v11_test.go), and contract319 the 3.19-era contract it drifts from.
const (
	v11Fixture  = "testdata/v1.1-live.yaml"
	contract319 = "../../testdata/smooch-3.19.yml"
)

// On v1.1 traffic against the 3.19-era contract, the report names what the client sent as well as what the
// API answered, and the patch marks every credential, saying why.
func TestDriftReportsTheRequestSideAndTheNewOperations(t *testing.T) {
	code, stdout, stderr := runCLI(t, "drift", "-spec", contract319, v11Fixture)
	assert.Equal(t, 1, code, stderr)
	for _, want := range []string{
		"updateApp (PUT /v1/apps/{appId})\n  request path\n    called under /v1.1/, a version the contract's paths do not serve;",
		"  request (answered 200), schema AppUpdate (#/components/schemas/AppUpdate)\n" +
			`    required field "name" was left out (at name), and the API took the request;`,
		"listIntegrations (GET /v1/apps/{appId}/integrations)\n  request path\n    called under /v1.1/, a version the contract's paths do not serve;",
		"  request (answered 200)\n    authenticated with Basic, a scheme the operation's security does not list;",
		`    query parameter "limit" is not declared: integer, e.g. 2;`,
		`    field "includeClient" is not declared (at includeClient): boolean, e.g. true;`,
		`    field "signingKey" is not declared (at integrations[].signingKey): string, e.g. "REDACTED"; may be a credential: named like a credential;`,
		"no operation: POST /v1.1/whatsapp/deployments/{deploymentId}/activate\n    no operation of the contract has this method and path; answered 200;",
		"no operation: PUT /v1.1/apps/{appId}/integrations/{integrationId}/profile/photo\n",
	} {
		assert.Contains(t, stdout, want)
	}
	assert.NotContains(t, stdout, "not-real", "no credential is shown")
}

// The patch of that drift marks every credential, saying why, and declares the request side and the new
// operations.
func TestDriftPatchesTheRequestSideAndTheNewOperations(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (a patch of the whole contract, about 5 s under -race): make test-e2e runs it")
	}
	code, patch, stderr := runCLI(t, "drift", "-patch", "-spec", contract319, v11Fixture)
	assert.Equal(t, 1, code, stderr)
	assert.Empty(t, stderr, "everything is patched")
	for _, want := range []string{
		"#   MessageBirdIntegration: declare property signingKey (string, x-smooch-secret: named like a credential)\n",
		"#   LINEIntegrationCreate: declare property switcherSecret (string, x-smooch-secret: named like a credential) (sent by the client)\n",
		"#   AppUpdate: name is no longer required\n",
		"#   listIntegrations: query parameter limit ($ref Limit)\n",
		"#   new operation activateWhatsappDeployment: POST /{apiVersion}/whatsapp/deployments/{deploymentId}/activate (responses 200; request application/json; descriptions, tags and scopes TODO)\n",
		"#   new security scheme basicAuth (description TODO), accepted by 1 operation: listIntegrations\n",
		"+                      # x-smooch-secret proposed: named like a credential. Take the mark back if it is not a credential.\n" +
			"+                      callbackSecret: {type: string, x-smooch-secret: true, description: TODO}\n",
	} {
		assert.Contains(t, patch, want)
	}
}
