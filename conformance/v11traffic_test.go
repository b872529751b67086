package conformance_test

import (
	"encoding/base64"
	"net/http"

	"github.com/smoochkit/smooch-go/conformance"
)

// v11Traffic is traffic shaped like what a live run records against the API as the vendor's v1.1 description
// (5.29 to 5.34) has it, as it went over the wire (before any redaction), for the 3.19-era contract to drift
// from: every path under /v1.1, basic authentication, the integration list paged, the new members of apps,
// integrations and webhooks on both sides (LINE's switcherSecret, MessageBird's signingKey, a deployment's
// callbackSecret among them), a WhatsApp integration by deploymentId, an app update without its name, the
// Instagram and Apple Business Chat channels, a new trigger, and the new operations: the integration
// profile and its photo (multipart), the SDK ids, and the WhatsApp deployments. Every credential is
// obviously fake.
func v11Traffic() []conformance.Exchange {
	const (
		app        = "/v1.1/apps/5f1e2d3c4b5a697887654321"
		line       = "5f1e2d3c4b5a697887654322"
		whatsapp   = "5f1e2d3c4b5a697887654323"
		deployment = "5f2a3b4c5d6e7f8091a2b3c4"
		smoochHost = "5f2a3b4c5d6e7f8091a2b3c5"
	)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("act_5f1e2d3c4b5a697887654000:account-secret-not-real"))
	deploymentSelf := `{"_id":"` + deployment + `","status":"starting","hosting":"self","baseUrl":"https://whatsapp.acme.example.com:8443","username":"smooch","callbackUrl":"https://acme.example.com/deployments","callbackSecret":"9c1185a5c5e9fc54612808977ee8f548b2258d31"}`
	multipartBody := "--XYZ\r\nContent-Disposition: form-data; name=\"source\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\nnot-really-a-png\r\n--XYZ--\r\n"
	return []conformance.Exchange{
		// 0: an app with the new settings, on both sides.
		v11("POST", "/v1.1/apps", `{"name":"Acme","settings":{"conversationRetentionSeconds":3600,"echoPostback":true,"ignoreAutoConversationStart":false}}`,
			201, `{"app":{"_id":"5f1e2d3c4b5a697887654321","name":"Acme","settings":{"conversationRetentionSeconds":3600,"echoPostback":true,"ignoreAutoConversationStart":false}}}`),
		// 1: an app update without its name (settings only), which the contract requires.
		v11("PUT", app, `{"settings":{"echoPostback":false}}`,
			200, `{"app":{"_id":"5f1e2d3c4b5a697887654321","name":"Acme","settings":{"echoPostback":false}}}`),
		// 2: the integration list paged, with basic authentication.
		withAuth(v11("GET", app+"/integrations?limit=2&offset=0", "",
			200, `{"integrations":[{"_id":"`+line+`","type":"line","status":"active","channelId":"1462776483","serviceCode":"1234567","switcherSecret":"line-switcher-secret-not-real","qrCodeUrl":"https://qr-official.line.me/L/acme.png","lineId":"@acme","displayName":"Acme on LINE"},`+
				`{"_id":"5f1e2d3c4b5a697887654324","type":"messagebird","status":"active","originator":"12262121021","webhookSecret":"72ade38394d1da51566cede33bd1e67e","signingKey":"mb-signing-key-not-real"}],"hasMore":true,"offset":0}`), basic),
		// 3: LINE with its new credentials.
		v11("POST", app+"/integrations", `{"type":"line","channelId":"1462776483","channelAccessToken":"line-access-token-not-real","channelSecret":"line-channel-secret-not-real","serviceCode":"1234567","switcherSecret":"line-switcher-secret-not-real","displayName":"Acme on LINE"}`,
			201, `{"integration":{"_id":"`+line+`","type":"line","status":"active","channelId":"1462776483","serviceCode":"1234567","switcherSecret":"line-switcher-secret-not-real","displayName":"Acme on LINE"}}`),
		// 4: WhatsApp by deployment: the client's connection fields are gone.
		v11("POST", app+"/integrations", `{"type":"whatsapp","deploymentId":"`+deployment+`","hsmFallbackLanguage":"en_US"}`,
			201, `{"integration":{"_id":"`+whatsapp+`","type":"whatsapp","status":"active","deploymentId":"`+deployment+`","hsmFallbackLanguage":"en_US"}}`),
		// 5: Instagram, a channel the contract does not have.
		v11("POST", app+"/integrations", `{"type":"instagram","pageAccessToken":"ig-page-token-not-real","appId":"1674554616147204","appSecret":"ig-app-secret-not-real"}`,
			201, `{"integration":{"_id":"5f1e2d3c4b5a697887654325","type":"instagram","status":"active","pageId":"841556169307254","businessName":"Acme","businessUsername":"acme"}}`),
		// 6: Apple Business Chat, whose API secret comes back.
		v11("POST", app+"/integrations", `{"type":"apple","businessId":"acme-business","mspId":"acme-msp","apiSecret":"apple-api-secret-not-real"}`,
			201, `{"integration":{"_id":"5f1e2d3c4b5a697887654326","type":"apple","status":"active","businessId":"acme-business","mspId":"acme-msp","apiSecret":"apple-api-secret-not-real"}}`),
		// 7: an integration update with a member the contract lacks.
		v11("PUT", app+"/integrations/"+line, `{"qrCodeUrl":"https://qr-official.line.me/L/acme.png"}`,
			200, `{"integration":{"_id":"`+line+`","type":"line","status":"active","qrCodeUrl":"https://qr-official.line.me/L/acme.png","lineId":"@acme"}}`),
		// 8: a webhook with the new members and a new trigger.
		v11("POST", app+"/webhooks", `{"target":"https://acme.example.com/hook","triggers":["message:appUser","notification:delivery:user"],"includeClient":true}`,
			201, `{"webhook":{"_id":"5f1e2d3c4b5a697887654327","target":"https://acme.example.com/hook","triggers":["message:appUser","notification:delivery:user"],"secret":"8564b3e6a8b20a4bdb68b05d9ea97aace9bc5936","version":"v1.1","includeClient":true,"includeFullAppUser":false}}`),
		// 9-11: the integration profile, its photo, the SDK ids.
		v11("GET", app+"/integrations/"+whatsapp+"/profile", "",
			200, `{"profile":{"about":"Open 9 to 5","email":"support@acme.example.com"}}`),
		withRequestBody(v11("PUT", app+"/integrations/"+whatsapp+"/profile/photo", "",
			200, `{"photoUrl":"https://media.smooch.io/apps/acme/profile.png"}`), "multipart/form-data; boundary=XYZ", multipartBody),
		v11("GET", app+"/sdks", "",
			200, `{"androidIntegrationId":"5f1e2d3c4b5a697887654328","iosIntegrationId":"5f1e2d3c4b5a697887654329","webIntegrationId":"5f1e2d3c4b5a69788765432a"}`),
		// 12-19: the WhatsApp deployments, through their life.
		v11("POST", "/v1.1/whatsapp/deployments", `{"hosting":"self","baseUrl":"https://whatsapp.acme.example.com:8443","username":"smooch","password":"whatsapp-password-not-real","callbackUrl":"https://acme.example.com/deployments"}`,
			201, `{"deployment":`+deploymentSelf+`}`),
		v11("POST", "/v1.1/whatsapp/deployments", `{"hosting":"smooch"}`,
			201, `{"deployment":{"_id":"`+smoochHost+`","status":"starting","hosting":"smooch","callbackSecret":"0b7f3c3d3e8b6a1e4b3c2d1e0f9a8b7c6d5e4f3a"}}`),
		v11("GET", "/v1.1/whatsapp/deployments", "",
			200, `{"deployments":[`+deploymentSelf+`,{"_id":"`+smoochHost+`","status":"starting","hosting":"smooch"}]}`),
		v11("GET", "/v1.1/whatsapp/deployments/"+deployment, "", 200, `{"deployment":`+deploymentSelf+`}`),
		v11("POST", "/v1.1/whatsapp/deployments/"+deployment+"/activate", `{"phoneNumber":"+15145550100","verifiedNameCertificate":"CmQKIAjp9fakecertificate","method":"sms"}`,
			200, `{"deployment":{"_id":"`+deployment+`","status":"pending","hosting":"self"}}`),
		v11("POST", "/v1.1/whatsapp/deployments/"+deployment+"/code/confirm", `{"code":"123456"}`,
			200, `{"deployment":{"_id":"`+deployment+`","status":"registered","hosting":"self","phoneNumber":"+15145550100"}}`),
		v11("DELETE", "/v1.1/whatsapp/deployments/"+smoochHost, "",
			202, `{"deployment":{"_id":"`+smoochHost+`","status":"deleting","hosting":"smooch"}}`),
		v11("GET", "/v1.1/whatsapp/deployments/"+smoochHost, "",
			404, `{"error":{"code":"not_found","description":"Deployment not found"}}`),
	}
}

// v11 is one exchange with the API, bearer-authenticated, JSON both ways.
func v11(method, path, reqBody string, status int, respBody string) conformance.Exchange {
	ex := conformance.Exchange{Method: method, URL: "https://api.smooch.io" + path,
		Header: http.Header{"Authorization": {"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImFjdCJ9.eyJzY29wZSI6ImFjY291bnQifQ.bm90LWEtcmVhbC1zaWduYXR1cmU"}},
		Status: status, RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: []byte(respBody)}
	if reqBody != "" {
		ex.Header.Set("Content-Type", "application/json")
		ex.Body = []byte(reqBody)
	}
	if respBody == "" {
		ex.RespHeader = http.Header{}
	}
	return ex
}

func withAuth(ex conformance.Exchange, authorization string) conformance.Exchange {
	ex.Header.Set("Authorization", authorization)
	return ex
}

func withRequestBody(ex conformance.Exchange, contentType, body string) conformance.Exchange {
	ex.Header.Set("Content-Type", contentType)
	ex.Body = []byte(body)
	return ex
}
