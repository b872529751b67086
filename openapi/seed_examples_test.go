package openapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedExample is one request/response pair published in the seed documents
// ("Creating and Managing Apps" guide and the Managed Accounts API reference),
// transcribed here by hand so the test does not read the docs at run time.
// status 0 means the document shows only the request.
type seedExample struct {
	name, method, path, request string
	status                      int
	response                    string
}

var seedExamples = []seedExample{
	// Creating and Managing Apps (guide).
	{name: "guide/create app", method: "POST", path: "/v1/apps", request: `{"name": "My App"}`},
	// The seed's copy of the guide lost the URL text; the published guide (see the webhooks reference) reads
	// https://my-server.some-domain.com/path/to/my/handler.
	{name: "guide/create webhook", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/webhooks",
		request: `{"target": "https://my-server.some-domain.com/path/to/my/handler"}`},
	{name: "guide/create key", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/keys", request: `{"name": "My Key"}`},

	// Managed Accounts API: apps.
	{name: "apps/create", method: "POST", path: "/v1/apps", request: `{"name": "My App"}`, status: 201,
		response: `{"app": {"_id": "55c8d9758590aa1900b9b9f6", "appToken": "3s58wwlgx8xqbidgyyvzunoyw", "name": "My App"}}`},
	{name: "apps/list", method: "GET", path: "/v1/apps", status: 200, response: `{
		"apps": [{"_id": "55c8d9758590aa1900b9b9f6", "appToken": "3s58wwlgx8xqbidgyyvzunoyw", "name": "My App"}],
		"hasMore": false, "offset": 0}`},
	{name: "apps/get", method: "GET", path: "/v1/apps/55c8d9758590aa1900b9b9f6", status: 200,
		response: `{"app": {"_id": "55c8d9758590aa1900b9b9f6", "appToken": "3s58wwlgx8xqbidgyyvzunoyw", "name": "My App"}}`},
	{name: "apps/delete", method: "DELETE", path: "/v1/apps/55c8d9758590aa1900b9b9f6", status: 200, response: `{}`},

	// App keys.
	{name: "keys/create", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/keys", request: `{"name": "key1"}`, status: 201,
		response: `{"key": {"secret": "Y4SINFtAUzEjayxgUjJZoTjG", "name": "key1", "_id": "app_5735dcf248011972d621dc01"}}`},
	{name: "keys/list", method: "GET", path: "/v1/apps/55c8d9758590aa1900b9b9f6/keys", status: 200, response: `{"keys": [
		{"secret": "5XJ85yjUtRcaQu_pDINblPZb", "name": "key1", "_id": "app_5723a347f82ba0516cb4ea34"},
		{"secret": "sTE74doRFsxtiwyT9JGCBQ6H", "name": "key2", "_id": "app_5723a347f82ba0516cb4ea35"}]}`},
	{name: "keys/get", method: "GET", path: "/v1/apps/55c8d9758590aa1900b9b9f6/keys/app_5723a347f82ba0516cb4ea34", status: 200,
		response: `{"key": {"secret": "5XJ85yjUtRcaQu_pDINblPZb", "name": "key1", "_id": "app_5723a347f82ba0516cb4ea34"}}`},
	{name: "keys/delete", method: "DELETE", path: "/v1/apps/55c8d9758590aa1900b9b9f6/keys/app_5723a347f82ba0516cb4ea34", status: 200, response: `{}`},
	{name: "keys/jwt", method: "GET", path: "/v1/apps/55c8d9758590aa1900b9b9f6/keys/app_5723a347f82ba0516cb4ea34/jwt", status: 200,
		response: `{"jwt": "eyJraWQiOiJhcHBfNTczNDE0NjQwN2E2OWI2MTAwNzQiLCJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFwcCJ9.aDkuZKRXzI3I3XRDtnqbrxIsQQuA7kMrV4r7KcwmeHc"}`},

	// Integrations: one create per channel the seed shows.
	{name: "integrations/messenger", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations",
		request: `{ "type": "messenger", "pageAccessToken": "your_access_token", "appId": "your_fb_app_id", "appSecret": "your_fb_app_secret"}`,
		status:  201, response: `{"integration": {"_id": "582dedf230e788746891281a", "type": "messenger", "pageId": "841556169307254", "appId": "1674554616147204"}}`},
	{name: "integrations/twilio", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations",
		request: `{"type": "twilio", "accountSid": "ACa1b4c65ee0722712fab89867cb14eac7", "authToken": "160c024303f53049e1e060fd67ca6aefc", "phoneNumberSid": "PN0674df0ecee0c9819bca0ff0bc0a159e"}`,
		status:  201, response: `{"integration": {"_id": "5735ddf948011972d621dc08", "type": "twilio", "phoneNumberSid": "PN0674df0ecee0c9819bca0ff0bc0a159e",
			"phoneNumber": "+15146125236", "name": "Mike's Account", "accountSid": "ACa1b4c65ee0722712fab89867cb14eac7"}}`},
	{name: "integrations/telegram", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations",
		request: `{"type": "telegram", "token": "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}`,
		status:  201, response: `{"integration": {"_id": "5735ddfb48011972d621dc09", "type": "telegram", "username": "mikes_smooch_bot"}}`},
	// The seed's curl body is missing its closing brace; this is the JSON it means.
	{name: "integrations/line", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations",
		request: `{"type": "line", "channelAccessToken": "jZak8gGEYxfy1gIxk869osf2SuT6o11rtLqZQnAx9TiKE7eFXwgnnL58dtwOd1ON9e11GPTDfq+b4hson3dvvYAnAaAnbXYjj1rCUIzgxAa4xVZwGqyS+2rzpswZnGhAuMBWQxCMsF9dwztolUr01wdB04t89/1O/w1cDnyilFU=", "channelSecret": "b85cff984b26eac4297917abd365c4d6"}`,
		status:  201, response: `{"integration": {"_id": "5735ddfd48011972d621dc0a", "type": "line", "botName": "Mike Bot"}}`},
	{name: "integrations/viber", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations",
		request: `{"type": "viber", "token": "df5f8c5233399561-92636b0c5ba30da9-16d4928fc004a72d"}`,
		status:  201, response: `{"integration": {"_id": "5818fa177682fcb51368635d", "type": "viber", "uri": "MikesBusiness"}}`},
	{name: "integrations/wechat", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations",
		request: `{"type": "wechat", "appId": "ACa1b4c65ee0722712fab89867cb14eac7", "appSecret": "160c024303f53049e1e060fd67ca6aefc"}`,
		status:  201, response: `{"integration": {"_id": "5735ddfd48011972d621dc0a", "type": "wechat", "appId": "c69175d6d125b772b", "webhookSecret": "3889794ab2fd4a70940a97c4b4a6372e"}}`},
	{name: "integrations/email", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations",
		request: `{"type": "frontendEmail"}`,
		status:  201, response: `{"integration": {"_id": "5735ddfd48011972d621dc0a", "type": "frontendEmail", "shortId": "tki1106", "smoochAddress": "app.tki1106@mail.smooch.io"}}`},
	{name: "integrations/apn", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations",
		request: `{"type": "apn", "certificate": "HjkUD4rWvZj7wSDzA8Hu2hd7ICs274Z=="}`,
		status:  201, response: `{"integration": {"type": "apn", "_id": "58878a8842fadcdb7b70b74c", "production": false, "autoUpdateBadge": false}}`},
	{name: "integrations/fcm", method: "POST", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations",
		request: `{"type": "fcm", "serverKey": "AAAA_hSf4g2J2Q3zDh2DbvSh27dhKlm2", "senderId": "1429457686312"}`,
		status:  201, response: `{"integration": {"_id": "5876a3d4abf286d0c0af1467", "type": "fcm", "senderId": "1429457686312"}}`},
	{name: "integrations/list", method: "GET", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations", status: 200, response: `{"integrations": [
		{"_id": "582dedf230e788746891281a", "type": "messenger", "pageId": "841556169307254", "appId": "1674554616147204"},
		{"_id": "5735ddf948011972d621dc08", "type": "twilio", "phoneNumberSid": "PN0674df0ecee0c9819bca0ff0bc0a159e", "phoneNumber": "+15146125236", "name": "Mike's Account", "accountSid": "ACa1b4c65ee0722712fab89867cb14eac7"},
		{"_id": "5735ddfb48011972d621dc09", "type": "telegram", "username": "mikes_smooch_bot"},
		{"_id": "5735ddfd48011972d621dc0a", "type": "line", "mid": "uf0c0bc1813d372ac5af4c5b5faee9923", "channelId": "1462776483", "botName": "Mike Bot"}]}`},
	{name: "integrations/list filtered", method: "GET", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations?types=twilio,line", status: 200,
		response: `{"integrations": []}`},
	{name: "integrations/get", method: "GET", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations/5735dded48011972d621dc02", status: 200,
		response: `{"integration": {"_id": "582dedf230e788746891281a", "type": "messenger", "pageId": "841556169307254", "appId": "1674554616147204"}}`},
	{name: "integrations/delete", method: "DELETE", path: "/v1/apps/55c8d9758590aa1900b9b9f6/integrations/5735dded48011972d621dc02", status: 200, response: `{}`},
}

// A syntactically valid bearer token; its signature is irrelevant to the contract.
const fakeJWT = "eyJhbGciOiJIUzI1NiIsImtpZCI6ImFjdF90ZXN0IiwidHlwIjoiSldUIn0.eyJzY29wZSI6ImFjY291bnQifQ.not-a-real-signature"

func TestSeedExamplesValidateAgainstTheContract(t *testing.T) {
	v, err := contractValidator()
	require.NoError(t, err)
	for _, ex := range seedExamples {
		t.Run(ex.name, func(t *testing.T) {
			ctx := context.Background()
			in, err := v.ValidateRequest(ctx, seedRequest(t, ex.method, ex.path, ex.request))
			require.NoError(t, err, "request")
			if ex.status == 0 {
				return
			}
			header := http.Header{"Content-Type": {"application/json"}}
			assert.NoError(t, v.ValidateResponse(ctx, in, ex.status, header, []byte(ex.response)), "response")
		})
	}
}

// The same validation must catch what the contract forbids, or the test above proves nothing.
func TestValidatorRejectsWhatTheContractForbids(t *testing.T) {
	v, err := contractValidator()
	require.NoError(t, err)
	ctx := context.Background()
	header := http.Header{"Content-Type": {"application/json"}}

	cases := []struct {
		name, method, path, request, want string
		status                            int
		response                          string
		noAuth                            bool
	}{
		{name: "missing name", method: "POST", path: "/v1/apps", request: `{}`, want: `"name"`},
		{name: "messenger without appSecret", method: "POST", path: "/v1/apps/a/integrations",
			request: `{"type": "messenger", "pageAccessToken": "t", "appId": "1"}`, want: "appSecret"},
		{name: "unknown channel", method: "POST", path: "/v1/apps/a/integrations", request: `{"type": "pager"}`, want: `discriminator property "type"`},
		{name: "unknown trigger", method: "POST", path: "/v1/apps/a/webhooks", request: `{"target": "https://example.com", "triggers": ["message:all"]}`, want: "triggers"},
		{name: "limit over 100", method: "GET", path: "/v1/apps?limit=101", want: "limit"},
		{name: "negative offset", method: "GET", path: "/v1/apps?offset=-1", want: "offset"},
		{name: "unknown types filter", method: "GET", path: "/v1/apps/a/integrations?types=twilio,pager", want: "types"},
		{name: "no bearer token", method: "GET", path: "/v1/apps", noAuth: true, want: "authorization"},
		{name: "undeclared status", method: "GET", path: "/v1/apps", status: 418, response: `{}`, want: "status 418 is not declared for listApps"},
		{name: "app without _id", method: "GET", path: "/v1/apps/a", status: 200, response: `{"app": {"name": "x"}}`, want: "_id"},
		{name: "error body without code", method: "GET", path: "/v1/apps/a", status: 404, response: `{"error": {"description": "x"}}`, want: "code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := seedRequest(t, c.method, c.path, c.request)
			if c.noAuth {
				req.Header.Del("Authorization")
			}
			in, err := v.ValidateRequest(ctx, req)
			if c.status == 0 {
				require.Error(t, err)
				assert.Contains(t, strings.ToLower(err.Error()), strings.ToLower(c.want))
				return
			}
			require.NoError(t, err)
			err = v.ValidateResponse(ctx, in, c.status, header, []byte(c.response))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func seedRequest(t *testing.T, method, path, body string) *http.Request {
	t.Helper()
	var req *http.Request
	var err error
	if body == "" {
		req, err = http.NewRequest(method, "https://api.smooch.io"+path, nil)
	} else {
		req, err = http.NewRequest(method, "https://api.smooch.io"+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+fakeJWT)
	return req
}
