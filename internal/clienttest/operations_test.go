package clienttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
	"github.com/smoochkit/smooch-go/smooch"
)

// wireCase is one operation: the call, what must reach the wire, the documented response, and what the call
// must return from it.
type wireCase struct {
	op       string // the contract's operationId
	call     func(ctx context.Context, c *smooch.Client) (any, error)
	method   string
	path     string
	query    string
	body     string // the expected JSON body; "" for none
	status   int
	response string
	check    func(t *testing.T, got any)
}

func wireCases() []wireCase {
	const appJSON = `{"_id":"55c8d9758590aa1900b9b9f6","appToken":"3s58wwlgx8xqbidgyyvzunoyw","name":"My App","settings":{"maskCreditCardNumbers":false}}`
	const keyJSON = `{"secret":"5XJ85yjUtRcaQu_pDINblPZb","name":"key1","_id":"app_5723a347f82ba0516cb4ea34"}`
	const svcKeyJSON = `{"secret":"TDCu5Y_ajUSHPfI-7nT3bzvZ","name":"My Key","_id":"svc_5808ba5cedf3b5931970e054"}`
	const saJSON = `{"_id":"5a71d7419b3ad47012a5dde2","name":"My Service Account"}`
	const hookJSON = `{"_id":"55c8d9758590aa1900b9b9f6","triggers":["message"],"secret":"8564b3e6a8b20a4bdb68b05d9ea97aace9bc5936","target":"http://example.com/callback"}`
	const tgJSON = `{"_id":"5735ddfb48011972d621dc09","type":"telegram","username":"mikes_smooch_bot"}`
	const appID, keyID, saID, hookID, intID = "55c8d9758590aa1900b9b9f6", "app_5723a347f82ba0516cb4ea34", "5a71d7419b3ad47012a5dde2", "55c8d9758590aa1900b9b9f6", "5735ddfb48011972d621dc09"

	isApp := func(name string) func(*testing.T, any) {
		return func(t *testing.T, got any) {
			app := got.(*smooch.App)
			assert.Equal(t, appID, app.ID)
			assert.Equal(t, name, app.Name)
			require.NotNil(t, app.Settings)
			require.NotNil(t, app.Settings.MaskCreditCardNumbers)
		}
	}
	isKey := func(id, secret string) func(*testing.T, any) {
		return func(t *testing.T, got any) {
			k := got.(*smooch.SecretKey)
			assert.Equal(t, id, k.ID)
			assert.Equal(t, secret, k.Secret)
		}
	}
	isSA := func(t *testing.T, got any) {
		sa := got.(*smooch.ServiceAccount)
		assert.Equal(t, saID, sa.ID)
		assert.Equal(t, "My Service Account", sa.Name)
	}
	isHook := func(t *testing.T, got any) {
		h := got.(*smooch.Webhook)
		assert.Equal(t, hookID, h.ID)
		assert.Equal(t, "http://example.com/callback", h.Target)
		assert.Equal(t, []smooch.WebhookTrigger{smooch.WebhookTriggerMessage}, h.Triggers)
		assert.Equal(t, "8564b3e6a8b20a4bdb68b05d9ea97aace9bc5936", h.Secret)
	}
	isTelegram := func(t *testing.T, got any) {
		i := got.(*smooch.Integration)
		assert.Equal(t, intID, i.ID)
		assert.Equal(t, smooch.IntegrationTypeTelegram, i.Type)
		tg, ok := i.Channel().(*smooch.TelegramIntegration)
		require.True(t, ok, "Channel() is %T", i.Channel())
		assert.Equal(t, "mikes_smooch_bot", tg.Username)
	}
	isNil := func(t *testing.T, got any) { assert.Nil(t, got) }
	const webJSON = `{"_id":"5b1f3e4a8f7d9c0012a3b4c5","type":"web","status":"active","brandColor":"00ff00","displayStyle":"tab","fixedIntroPane":false,"originWhitelist":["https://acme.example.com"]}`
	const menuBody = `{"items":[{"type":"link","text":"Website","uri":"https://acme.example.com"},{"type":"submenu","text":"Help","items":[{"type":"postback","text":"Talk to a human","payload":"HUMAN"}]}]}`
	const menuJSON = `{"items":[{"_id":"57b331fbf1c6aeba1f940dc7","type":"link","text":"Website","uri":"https://acme.example.com"},` +
		`{"_id":"57b331fbf1c6aeba1f940dc8","type":"submenu","text":"Help","items":[{"_id":"57b331fbf1c6aeba1f940dc9","type":"postback","text":"Talk to a human","payload":"HUMAN"}]}]}`
	menu := smooch.Menu{Items: []smooch.MenuItem{
		{Type: smooch.MenuItemTypeLink, Text: "Website", URI: "https://acme.example.com"},
		{Type: smooch.MenuItemTypeSubmenu, Text: "Help", Items: []smooch.MenuSubItem{
			{Type: smooch.MenuItemTypePostback, Text: "Talk to a human", Payload: "HUMAN"},
		}},
	}}
	isMenu := func(t *testing.T, got any) {
		m := got.(*smooch.Menu)
		require.Len(t, m.Items, 2)
		assert.Equal(t, "57b331fbf1c6aeba1f940dc7", m.Items[0].ID)
		assert.Equal(t, "https://acme.example.com", m.Items[0].URI)
		require.Len(t, m.Items[1].Items, 1)
		assert.Equal(t, smooch.MenuSubItem{ID: "57b331fbf1c6aeba1f940dc9", Type: smooch.MenuItemTypePostback, Text: "Talk to a human", Payload: "HUMAN"}, m.Items[1].Items[0])
	}
	noValue := func(err error) (any, error) { return nil, err }

	return []wireCase{
		{op: "createApp", method: "POST", path: "/v1/apps", body: `{"name":"My App","settings":{"maskCreditCardNumbers":false}}`,
			status: 201, response: `{"app":` + appJSON + `}`, check: isApp("My App"),
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Apps.Create(ctx, smooch.AppCreate{Name: "My App", Settings: smooch.AppSettings{MaskCreditCardNumbers: smooch.Ptr(false)}})
			}},
		{op: "listApps", method: "GET", path: "/v1/apps", query: "limit=10&offset=20&serviceAccountId=5a71d7419b3ad47012a5dde2",
			status: 200, response: `{"apps":[` + appJSON + `],"hasMore":true,"offset":20}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Apps.List(ctx, &smooch.AppListOptions{ListOptions: smooch.ListOptions{Limit: 10, Offset: 20}, ServiceAccountID: saID})
			},
			check: func(t *testing.T, got any) {
				p := got.(*smooch.Page[smooch.App])
				require.Len(t, p.Items, 1)
				assert.Equal(t, "My App", p.Items[0].Name)
				assert.True(t, p.HasMore)
				assert.Equal(t, 20, p.Offset)
				assert.Equal(t, 21, p.NextOffset())
			}},
		{op: "getApp", method: "GET", path: "/v1/apps/" + appID, status: 200, response: `{"app":` + appJSON + `}`, check: isApp("My App"),
			call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.Apps.Get(ctx, appID) }},
		{op: "updateApp", method: "PUT", path: "/v1/apps/" + appID, body: `{"name":"My New App","settings":{"maskCreditCardNumbers":false}}`,
			status: 200, response: `{"app":` + strings.Replace(appJSON, "My App", "My New App", 1) + `}`, check: isApp("My New App"),
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Apps.Update(ctx, appID, smooch.AppUpdate{Name: "My New App", Settings: smooch.AppSettings{MaskCreditCardNumbers: smooch.Ptr(false)}})
			}},
		{op: "deleteApp", method: "DELETE", path: "/v1/apps/" + appID, status: 200, response: `{}`, check: isNil,
			call: func(ctx context.Context, c *smooch.Client) (any, error) { return noValue(c.Apps.Delete(ctx, appID)) }},

		{op: "createAppKey", method: "POST", path: "/v1/apps/" + appID + "/keys", body: `{"name":"key1"}`,
			status: 201, response: `{"key":` + keyJSON + `}`, check: isKey(keyID, "5XJ85yjUtRcaQu_pDINblPZb"),
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.AppKeys.Create(ctx, appID, smooch.SecretKeyCreate{Name: "key1"})
			}},
		{op: "listAppKeys", method: "GET", path: "/v1/apps/" + appID + "/keys", status: 200,
			response: `{"keys":[` + keyJSON + `,{"secret":"sTE74doRFsxtiwyT9JGCBQ6H","name":"key2","_id":"app_5723a347f82ba0516cb4ea35"}]}`,
			call:     func(ctx context.Context, c *smooch.Client) (any, error) { return c.AppKeys.List(ctx, appID) },
			check: func(t *testing.T, got any) {
				keys := got.([]smooch.SecretKey)
				require.Len(t, keys, 2)
				assert.Equal(t, "key2", keys[1].Name)
				assert.Equal(t, "sTE74doRFsxtiwyT9JGCBQ6H", keys[1].Secret)
			}},
		{op: "getAppKey", method: "GET", path: "/v1/apps/" + appID + "/keys/" + keyID, status: 200, response: `{"key":` + keyJSON + `}`,
			check: isKey(keyID, "5XJ85yjUtRcaQu_pDINblPZb"),
			call:  func(ctx context.Context, c *smooch.Client) (any, error) { return c.AppKeys.Get(ctx, appID, keyID) }},
		{op: "deleteAppKey", method: "DELETE", path: "/v1/apps/" + appID + "/keys/" + keyID, status: 200, response: `{}`, check: isNil,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return noValue(c.AppKeys.Delete(ctx, appID, keyID))
			}},
		{op: "getAppKeyJWT", method: "GET", path: "/v1/apps/" + appID + "/keys/" + keyID + "/jwt", status: 200,
			response: `{"jwt":"eyJraWQiOiJhcHBfNTczNDE0NjQwN2E2OWI2MTAwNzQiLCJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFwcCJ9.aDkuZKRXzI3I3XRDtnqbrxIsQQuA7kMrV4r7KcwmeHc"}`,
			call:     func(ctx context.Context, c *smooch.Client) (any, error) { return c.AppKeys.JWT(ctx, appID, keyID) },
			check: func(t *testing.T, got any) {
				assert.Equal(t, "eyJraWQiOiJhcHBfNTczNDE0NjQwN2E2OWI2MTAwNzQiLCJhbGciOiJIUzI1NiJ9.eyJzY29wZSI6ImFwcCJ9.aDkuZKRXzI3I3XRDtnqbrxIsQQuA7kMrV4r7KcwmeHc", got)
			}},

		{op: "createServiceAccount", method: "POST", path: "/v1/serviceaccounts", body: `{"name":"My Service Account"}`,
			status: 201, response: `{"serviceAccount":` + saJSON + `}`, check: isSA,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: "My Service Account"})
			}},
		{op: "listServiceAccounts", method: "GET", path: "/v1/serviceaccounts", query: "limit=100",
			status: 200, response: `{"serviceAccounts":[` + saJSON + `],"hasMore":false,"offset":0}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.ServiceAccounts.List(ctx, &smooch.ListOptions{Limit: 100})
			},
			check: func(t *testing.T, got any) {
				p := got.(*smooch.Page[smooch.ServiceAccount])
				require.Len(t, p.Items, 1)
				assert.Equal(t, saID, p.Items[0].ID)
				assert.False(t, p.HasMore)
			}},
		{op: "getServiceAccount", method: "GET", path: "/v1/serviceaccounts/" + saID, status: 200, response: `{"serviceAccount":` + saJSON + `}`,
			check: isSA, call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.ServiceAccounts.Get(ctx, saID) }},
		{op: "updateServiceAccount", method: "PUT", path: "/v1/serviceaccounts/" + saID, body: `{"name":"My Service Account"}`,
			status: 200, response: `{"serviceAccount":` + saJSON + `}`, check: isSA,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.ServiceAccounts.Update(ctx, saID, smooch.ServiceAccountUpdate{Name: "My Service Account"})
			}},
		{op: "deleteServiceAccount", method: "DELETE", path: "/v1/serviceaccounts/" + saID, status: 200, response: `{}`, check: isNil,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return noValue(c.ServiceAccounts.Delete(ctx, saID))
			}},

		{op: "createServiceAccountKey", method: "POST", path: "/v1/serviceaccounts/" + saID + "/keys", body: `{"name":"My Key"}`,
			status: 201, response: `{"key":` + svcKeyJSON + `}`, check: isKey(serviceKeyID, "TDCu5Y_ajUSHPfI-7nT3bzvZ"),
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.ServiceAccountKeys.Create(ctx, saID, smooch.SecretKeyCreate{Name: "My Key"})
			}},
		{op: "listServiceAccountKeys", method: "GET", path: "/v1/serviceaccounts/" + saID + "/keys", status: 200, response: `{"keys":[` + svcKeyJSON + `]}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.ServiceAccountKeys.List(ctx, saID) },
			check: func(t *testing.T, got any) {
				keys := got.([]smooch.SecretKey)
				require.Len(t, keys, 1)
				assert.Equal(t, serviceKeyID, keys[0].ID)
			}},
		{op: "getServiceAccountKey", method: "GET", path: "/v1/serviceaccounts/" + saID + "/keys/" + serviceKeyID, status: 200,
			response: `{"key":` + svcKeyJSON + `}`, check: isKey(serviceKeyID, "TDCu5Y_ajUSHPfI-7nT3bzvZ"),
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.ServiceAccountKeys.Get(ctx, saID, serviceKeyID)
			}},
		{op: "deleteServiceAccountKey", method: "DELETE", path: "/v1/serviceaccounts/" + saID + "/keys/" + serviceKeyID, status: 200,
			response: `{}`, check: isNil,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return noValue(c.ServiceAccountKeys.Delete(ctx, saID, serviceKeyID))
			}},
		{op: "getServiceAccountKeyJWT", method: "GET", path: "/v1/serviceaccounts/" + saID + "/keys/" + serviceKeyID + "/jwt", status: 200,
			response: `{"jwt":"header.payload.signature"}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.ServiceAccountKeys.JWT(ctx, saID, serviceKeyID)
			},
			check: func(t *testing.T, got any) { assert.Equal(t, "header.payload.signature", got) }},

		{op: "createIntegration", method: "POST", path: "/v1/apps/" + appID + "/integrations",
			body:   `{"type":"telegram","token":"192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}`,
			status: 201, response: `{"integration":` + tgJSON + `}`, check: isTelegram,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Integrations.Create(ctx, appID, smooch.Telegram{Token: "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"})
			}},
		{op: "listIntegrations", method: "GET", path: "/v1/apps/" + appID + "/integrations", query: "types=twilio,line",
			status: 200, response: `{"integrations":[{"_id":"5735ddf948011972d621dc08","type":"twilio","phoneNumberSid":"PN0674df0ecee0c9819bca0ff0bc0a159e","phoneNumber":"+15146125236","name":"Mike's Account","accountSid":"ACa1b4c65ee0722712fab89867cb14eac7"},{"_id":"5735ddfd48011972d621dc0a","type":"line","mid":"uf0c0bc1813d372ac5af4c5b5faee9923","channelId":"1462776483","botName":"Mike Bot"}]}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Integrations.List(ctx, appID, &smooch.IntegrationListOptions{Types: []smooch.IntegrationType{smooch.IntegrationTypeTwilio, smooch.IntegrationTypeLINE}})
			},
			check: func(t *testing.T, got any) {
				list := got.([]smooch.Integration)
				require.Len(t, list, 2)
				tw := list[0].Channel().(*smooch.TwilioIntegration)
				assert.Equal(t, "+15146125236", tw.PhoneNumber)
				line := list[1].Channel().(*smooch.LINEIntegration)
				assert.Equal(t, "Mike Bot", line.BotName)
				assert.Equal(t, "1462776483", line.ChannelID)
			}},
		{op: "getIntegration", method: "GET", path: "/v1/apps/" + appID + "/integrations/" + intID, status: 200,
			response: `{"integration":` + tgJSON + `}`, check: isTelegram,
			call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.Integrations.Get(ctx, appID, intID) }},
		{op: "deleteIntegration", method: "DELETE", path: "/v1/apps/" + appID + "/integrations/" + intID, status: 200, response: `{}`, check: isNil,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return noValue(c.Integrations.Delete(ctx, appID, intID))
			}},
		{op: "updateIntegration", method: "PUT", path: "/v1/apps/" + appID + "/integrations/" + intID,
			body:   `{"brandColor":"00ff00","displayStyle":"tab","fixedIntroPane":false,"originWhitelist":["https://acme.example.com"]}`,
			status: 200, response: `{"integration":` + webJSON + `}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Integrations.Update(ctx, appID, intID, smooch.IntegrationUpdate{BrandColor: "00ff00", DisplayStyle: smooch.DisplayStyleTab,
					FixedIntroPane: smooch.Ptr(false), OriginWhitelist: []string{"https://acme.example.com"}})
			},
			check: func(t *testing.T, got any) {
				i := got.(*smooch.Integration)
				assert.Equal(t, smooch.IntegrationTypeWeb, i.Type)
				assert.Equal(t, smooch.IntegrationStatusActive, i.Status)
				web, ok := i.Channel().(*smooch.WebMessengerIntegration)
				require.True(t, ok, "Channel() is %T", i.Channel())
				assert.Equal(t, "00ff00", web.BrandColor)
				assert.Equal(t, smooch.DisplayStyleTab, web.DisplayStyle)
			}},
		{op: "updateIntegrationProfile", method: "PUT", path: "/v1/apps/" + appID + "/integrations/" + intID + "/profile",
			body:   `{"about":"Open 9 to 5","websites":["https://acme.example.com"]}`,
			status: 200, response: `{}`, check: isNil,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return noValue(c.Integrations.UpdateProfile(ctx, appID, intID, smooch.IntegrationProfileUpdate{About: "Open 9 to 5", Websites: []string{"https://acme.example.com"}}))
			}},
		{op: "getAppMenu", method: "GET", path: "/v1/apps/" + appID + "/menu", status: 200, response: `{"menu":` + menuJSON + `}`, check: isMenu,
			call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.Menus.Get(ctx, appID) }},
		{op: "updateAppMenu", method: "PUT", path: "/v1/apps/" + appID + "/menu", body: menuBody, status: 200, response: `{"menu":` + menuJSON + `}`, check: isMenu,
			call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.Menus.Set(ctx, appID, menu) }},
		{op: "deleteAppMenu", method: "DELETE", path: "/v1/apps/" + appID + "/menu", status: 200, response: `{"menu":{"items":[]}}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.Menus.Remove(ctx, appID) },
			check: func(t *testing.T, got any) {
				m := got.(*smooch.Menu)
				assert.NotNil(t, m.Items)
				assert.Empty(t, m.Items)
			}},
		{op: "getIntegrationMenu", method: "GET", path: "/v1/apps/" + appID + "/integrations/" + intID + "/menu", status: 200,
			response: `{"menu":` + menuJSON + `}`, check: isMenu,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.IntegrationMenus.Get(ctx, appID, intID)
			}},
		{op: "createIntegrationMenu", method: "POST", path: "/v1/apps/" + appID + "/integrations/" + intID + "/menu", body: menuBody,
			status: 201, response: `{"menu":` + menuJSON + `}`, check: isMenu,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.IntegrationMenus.Create(ctx, appID, intID, menu)
			}},
		{op: "updateIntegrationMenu", method: "PUT", path: "/v1/apps/" + appID + "/integrations/" + intID + "/menu", body: menuBody,
			status: 200, response: `{"menu":` + menuJSON + `}`, check: isMenu,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.IntegrationMenus.Update(ctx, appID, intID, menu)
			}},
		{op: "deleteIntegrationMenu", method: "DELETE", path: "/v1/apps/" + appID + "/integrations/" + intID + "/menu", status: 200, response: `{}`, check: isNil,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return noValue(c.IntegrationMenus.Delete(ctx, appID, intID))
			}},

		{op: "createWebhook", method: "POST", path: "/v1/apps/" + appID + "/webhooks", body: `{"target":"http://example.com/callback","triggers":["message"]}`,
			status: 201, response: `{"webhook":` + hookJSON + `}`, check: isHook,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Webhooks.Create(ctx, appID, smooch.WebhookCreate{Target: "http://example.com/callback", Triggers: []smooch.WebhookTrigger{smooch.WebhookTriggerMessage}})
			}},
		{op: "listWebhooks", method: "GET", path: "/v1/apps/" + appID + "/webhooks", status: 200, response: `{"webhooks":[` + hookJSON + `]}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.Webhooks.List(ctx, appID) },
			check: func(t *testing.T, got any) {
				hooks := got.([]smooch.Webhook)
				require.Len(t, hooks, 1)
				isHook(t, &hooks[0])
			}},
		{op: "getWebhook", method: "GET", path: "/v1/apps/" + appID + "/webhooks/" + hookID, status: 200, response: `{"webhook":` + hookJSON + `}`,
			check: isHook, call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.Webhooks.Get(ctx, appID, hookID) }},
		{op: "updateWebhook", method: "PUT", path: "/v1/apps/" + appID + "/webhooks/" + hookID, body: `{"target":"http://example.com/callback"}`,
			status: 200, response: `{"webhook":` + hookJSON + `}`, check: isHook,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Webhooks.Update(ctx, appID, hookID, smooch.WebhookUpdate{Target: "http://example.com/callback"})
			}},
		{op: "deleteWebhook", method: "DELETE", path: "/v1/apps/" + appID + "/webhooks/" + hookID, status: 200, response: `{}`, check: isNil,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return noValue(c.Webhooks.Delete(ctx, appID, hookID))
			}},

		// v1.1's operations, each called with WithAPIVersion(APIVersion1_1).
		{op: "getIntegrationProfile", method: "GET", path: "/v1.1/apps/" + appID + "/integrations/" + intID + "/profile",
			status: 200, response: `{"profile":{"about":"Open 9 to 5","websites":["https://acme.example.com"]}}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Integrations.GetProfile(ctx, appID, intID, v11)
			},
			check: func(t *testing.T, got any) {
				p := got.(*smooch.IntegrationProfile)
				assert.Equal(t, "Open 9 to 5", p.About)
				assert.Equal(t, []string{"https://acme.example.com"}, p.Websites)
			}},
		{op: "getSdkIds", method: "GET", path: "/v1.1/apps/" + appID + "/sdks", status: 200,
			response: `{"androidIntegrationId":"a1","iosIntegrationId":"i1","webIntegrationId":"w1"}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Integrations.SDKIntegrationIDs(ctx, appID, v11)
			},
			check: func(t *testing.T, got any) {
				assert.Equal(t, &smooch.SDKIntegrationIDs{AndroidIntegrationID: "a1", IOSIntegrationID: "i1", WebIntegrationID: "w1"}, got)
			}},
		{op: "createDeployment", method: "POST", path: "/v1.1/whatsapp/deployments",
			body:   `{"hosting":"self","baseUrl":"https://wa.acme.example.com","username":"smooch","password":"whatsapp-password-not-real"}`,
			status: 201, response: `{"deployment":` + deploymentJSON + `}`, check: isDeployment,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Deployments.Create(ctx, smooch.DeploymentCreate{Hosting: smooch.DeploymentHostingSelf, BaseURL: "https://wa.acme.example.com",
					Username: "smooch", Password: "whatsapp-password-not-real"}, v11)
			}},
		{op: "listDeployments", method: "GET", path: "/v1.1/whatsapp/deployments", status: 200, response: `{"deployments":[` + deploymentJSON + `]}`,
			call: func(ctx context.Context, c *smooch.Client) (any, error) { return c.Deployments.List(ctx, v11) },
			check: func(t *testing.T, got any) {
				ds := got.([]smooch.Deployment)
				require.Len(t, ds, 1)
				isDeployment(t, &ds[0])
			}},
		{op: "getDeployment", method: "GET", path: "/v1.1/whatsapp/deployments/" + deploymentID, status: 200, response: `{"deployment":` + deploymentJSON + `}`,
			check: isDeployment, call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Deployments.Get(ctx, deploymentID, v11)
			}},
		{op: "deleteDeployment", method: "DELETE", path: "/v1.1/whatsapp/deployments/" + deploymentID, status: 202,
			response: `{"deployment":{"_id":"` + deploymentID + `","status":"deleting","hosting":"self"}}`, check: isNil,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return noValue(c.Deployments.Delete(ctx, deploymentID, v11))
			}},
		{op: "activatePhoneNumber", method: "POST", path: "/v1.1/whatsapp/deployments/" + deploymentID + "/activate",
			body:   `{"phoneNumber":"+15145550100","verifiedNameCertificate":"certificate-not-real","method":"voice"}`,
			status: 200, response: `{"deployment":` + deploymentJSON + `}`, check: isDeployment,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Deployments.ActivatePhoneNumber(ctx, deploymentID, smooch.PhoneNumberActivation{PhoneNumber: "+15145550100",
					VerifiedNameCertificate: "certificate-not-real", Method: smooch.DeploymentActivationMethodVoice}, v11)
			}},
		{op: "confirmCode", method: "POST", path: "/v1.1/whatsapp/deployments/" + deploymentID + "/code/confirm", body: `{"code":"123456"}`,
			status: 200, response: `{"deployment":` + deploymentJSON + `}`, check: isDeployment,
			call: func(ctx context.Context, c *smooch.Client) (any, error) {
				return c.Deployments.ConfirmCode(ctx, deploymentID, smooch.ActivationCode{Code: "123456"}, v11)
			}},
	}
}

// deploymentJSON is a registered deployment as the API answers it; isDeployment checks its decoding.
const (
	deploymentID   = "5f2a3b4c5d6e7f8091a2b3c4"
	deploymentJSON = `{"_id":"5f2a3b4c5d6e7f8091a2b3c4","status":"registered","hosting":"self","baseUrl":"https://wa.acme.example.com","username":"smooch","phoneNumber":"+15145550100","callbackSecret":"0b7f3c3d3e8b6a1e"}`
)

var v11 = smooch.WithAPIVersion(smooch.APIVersion1_1)

func isDeployment(t *testing.T, got any) {
	t.Helper()
	d := got.(*smooch.Deployment)
	assert.Equal(t, deploymentID, d.ID)
	assert.Equal(t, smooch.DeploymentStatusRegistered, d.Status)
	assert.Equal(t, smooch.DeploymentHostingSelf, d.Hosting)
	assert.Equal(t, "+15145550100", d.PhoneNumber)
	assert.Equal(t, "0b7f3c3d3e8b6a1e", d.CallbackSecret)
}

// TestEveryOperationOnTheWire checks, for each of the contract's operations the client calls, the method, path, query,
// headers and JSON body sent, and the decoding of the documented response. The photo upload, whose body is
// multipart, has a test of its own (TestTheProfilePhotoIsSentAsMultipart).
func TestEveryOperationOnTheWire(t *testing.T) {
	cases := wireCases()
	doc, err := openapi.Load()
	require.NoError(t, err)
	ops := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if clientCalls(op) {
				ops[op.OperationID] = true
			}
		}
	}
	require.Len(t, ops, 47)
	delete(ops, "uploadIntegrationProfilePhoto")
	for _, tc := range cases {
		assert.True(t, ops[tc.op], "%s is an operation of the contract", tc.op)
		delete(ops, tc.op)
	}
	require.Empty(t, ops, "one case per operation of the contract")
	validator, err := openapi.NewValidator()
	require.NoError(t, err)
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			f := newFakeAPI(t, answer(tc.status, tc.response))
			c := newClient(t, f, accountCreds(), smooch.WithUserAgent("provisioner/1.0"))
			got, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			tc.check(t, got)

			reqs := f.requests()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, tc.path, r.Path)
			assert.Equal(t, tc.query, r.RawQuery)
			assert.Equal(t, "provisioner/1.0 smooch-go/"+smooch.Version, r.Header.Get("User-Agent"))
			assert.Equal(t, "application/json", r.Header.Get("Accept"))
			checkBearer(t, r.Header.Get("Authorization"), accountKeyID, "account")
			if tc.body == "" {
				assert.Empty(t, r.Body)
			} else {
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
				assert.JSONEq(t, tc.body, string(r.Body))
			}

			// The contract agrees: the request is the operation's and valid, and so is the canned response.
			httpReq, err := http.NewRequest(r.Method, f.URL+r.Path+"?"+r.RawQuery, bytes.NewReader(r.Body))
			require.NoError(t, err)
			httpReq.Header = r.Header
			in, err := validator.ValidateRequest(context.Background(), httpReq)
			require.NoError(t, err)
			assert.Equal(t, tc.op, in.Route.Operation.OperationID)
			header := http.Header{"Content-Type": {"application/json"}}
			assert.NoError(t, validator.ValidateResponse(context.Background(), in, tc.status, header, []byte(tc.response)))
		})
	}
}

// checkBearer verifies the Authorization header: a Bearer HS256 JWT with kid, signed with testSecret.
func checkBearer(t *testing.T, header, kid, scope string) jwt.MapClaims {
	t.Helper()
	token, ok := strings.CutPrefix(header, "Bearer ")
	require.True(t, ok, "Authorization %q is not a Bearer token", header)
	claims := jwt.MapClaims{}
	parsed, err := jwt.ParseWithClaims(token, claims, func(tok *jwt.Token) (any, error) { return []byte(testSecret), nil },
		jwt.WithValidMethods([]string{"HS256"}))
	require.NoError(t, err)
	assert.Equal(t, kid, parsed.Header["kid"])
	assert.Equal(t, "JWT", parsed.Header["typ"])
	assert.Equal(t, scope, claims["scope"])
	return claims
}

// TestDecodingToleratesNullAndExtraFields: null optional fields and fields the contract does not know never
// break decoding.
func TestDecodingToleratesNullAndExtraFields(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"app":{"_id":"a1","name":"N","appToken":null,"settings":null,"brandNew":{"x":[1,2]}},"extra":true}`))
	c := newClient(t, f, accountCreds())
	app, err := c.Apps.Get(context.Background(), "a1")
	require.NoError(t, err)
	assert.Equal(t, "a1", app.ID)
	assert.Empty(t, app.AppToken)
	assert.Nil(t, app.Settings.MaskCreditCardNumbers)
}

func TestUnexpectedSuccessBodyIsAnError(t *testing.T) {
	f := newFakeAPI(t, answer(200, `<html>not json</html>`))
	c := newClient(t, f, accountCreds())
	_, err := c.Apps.Get(context.Background(), "a1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Apps.Get: decoding the response")
}

func TestPathParametersAreEscaped(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{}`))
	c := newClient(t, f, accountCreds())
	require.NoError(t, c.Apps.Delete(context.Background(), "a/b c"))
	assert.Equal(t, "/v1/apps/a%2Fb%20c", f.requests()[0].Path)
}

func TestEmptyIDsAreRefusedBeforeSending(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{}`))
	c := newClient(t, f, accountCreds())
	ctx := context.Background()
	errs := []error{
		c.Apps.Delete(ctx, ""),
		c.AppKeys.Delete(ctx, "app", " "),
		c.Webhooks.Delete(ctx, "", "w"),
		c.Integrations.Delete(ctx, "a", ""),
		c.ServiceAccounts.Delete(ctx, ""),
		c.ServiceAccountKeys.Delete(ctx, "sa", ""),
	}
	for _, err := range errs {
		var ve *smooch.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Contains(t, ve.Error(), "is empty")
	}
	_, err := c.Apps.Create(ctx, smooch.AppCreate{})
	assert.EqualError(t, err, "smooch: Apps.Create: name is empty")
	_, err = c.AppKeys.Create(ctx, "app", smooch.SecretKeyCreate{Name: ""})
	assert.EqualError(t, err, "smooch: AppKeys.Create: name is empty")
	assert.Zero(t, f.count(), "nothing may be sent")
}

func TestWebhookArgumentsAreChecked(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{}`))
	c := newClient(t, f, accountCreds())
	ctx := context.Background()
	_, err := c.Webhooks.Create(ctx, "app", smooch.WebhookCreate{Target: "example.com/hook"})
	assert.EqualError(t, err, `smooch: Webhooks.Create: target must be an absolute http or https URL, got "example.com/hook"`)
	_, err = c.Webhooks.Create(ctx, "app", smooch.WebhookCreate{Target: "https://example.com/hook", Triggers: []smooch.WebhookTrigger{"Message"}})
	assert.ErrorContains(t, err, `triggers has unknown trigger "Message"`)
	_, err = c.Webhooks.Update(ctx, "app", "hook", smooch.WebhookUpdate{})
	assert.ErrorContains(t, err, "nothing to update")
	_, err = c.Webhooks.Update(ctx, "app", "hook", smooch.WebhookUpdate{Triggers: []smooch.WebhookTrigger{}})
	assert.ErrorContains(t, err, "target, triggers and flags are all empty: nothing to update")
	_, err = c.Webhooks.Update(ctx, "app", "hook", smooch.WebhookUpdate{Triggers: []smooch.WebhookTrigger{"message:AppUser"}})
	assert.ErrorContains(t, err, `triggers has unknown trigger "message:AppUser"`)
	_, err = c.Integrations.List(ctx, "app", &smooch.IntegrationListOptions{Types: []smooch.IntegrationType{"sms"}})
	assert.ErrorContains(t, err, `types has unknown type "sms"`)
	_, err = c.Integrations.Create(ctx, "app", nil)
	assert.ErrorContains(t, err, "channel is nil")
	var tg *smooch.Telegram
	_, err = c.Integrations.Create(ctx, "app", tg)
	assert.ErrorContains(t, err, "channel is nil")

	assert.Zero(t, f.count())
}

func TestAPointerToAChannelIsSentLikeTheValue(t *testing.T) {
	f := newFakeAPI(t, answer(201, `{"integration":{"_id":"i1","type":"telegram","username":"acme_bot"}}`))
	c := newClient(t, f, accountCreds())
	ig, err := c.Integrations.Create(context.Background(), "app", &smooch.Telegram{Token: "192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"})
	require.NoError(t, err)
	assert.Equal(t, smooch.IntegrationTypeTelegram, ig.Type)
	assert.JSONEq(t, `{"type":"telegram","token":"192033615:AAEuee2FS2JYKWfDlTulfygjaIGJi4s"}`, string(f.requests()[0].Body))
}

func TestWebhookCreateWithoutTriggersOmitsThem(t *testing.T) {
	f := newFakeAPI(t, answer(201, `{"webhook":{"_id":"w","target":"https://example.com/h","triggers":["message"],"secret":"s"}}`))
	c := newClient(t, f, accountCreds())
	_, err := c.Webhooks.Create(context.Background(), "app", smooch.WebhookCreate{Target: "https://example.com/h"})
	require.NoError(t, err)
	var body map[string]any
	require.NoError(t, json.Unmarshal(f.requests()[0].Body, &body))
	assert.Equal(t, map[string]any{"target": "https://example.com/h"}, body)
}

// TestConcurrentUse: a Client is shared by goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"app":{"_id":"a","name":"n"}}`))
	c := newClient(t, f, accountCreds())
	done := make(chan error)
	for range 16 {
		go func() {
			_, err := c.Apps.Get(context.Background(), "a")
			done <- err
		}()
	}
	for range 16 {
		require.NoError(t, <-done)
	}
	headers := map[string]bool{}
	for _, r := range f.requests() {
		headers[r.Header.Get("Authorization")] = true
	}
	assert.Len(t, headers, 1, "every request carries the same, once-signed token")
}

// TestScopeMatrix runs every operation with each kind of credentials: what the contract's x-smooch-scopes
// and x-smooch-user-account-only forbid is refused with a *ScopeError before anything is sent.
func TestScopeMatrix(t *testing.T) {
	creds := map[string]smooch.Credentials{
		"user account":    smooch.AccountKey(accountKeyID, testSecret),
		"service account": smooch.AccountKey(serviceKeyID, testSecret),
		"app":             smooch.AppKey(appKeyID, testSecret),
		"appUser":         smooch.AppUserKey(appKeyID, testSecret, "u1"),
	}
	allowed := func(who, op string) bool {
		// App-level resources (webhooks, the app menu) accept app scope too.
		appLevel := strings.HasSuffix(op, "Webhook") || strings.HasSuffix(op, "Webhooks") || strings.HasSuffix(op, "AppMenu")
		serviceAccountOp := strings.Contains(op, "ServiceAccount")
		switch who {
		case "user account":
			return true
		case "service account":
			return !serviceAccountOp
		case "app":
			return appLevel
		}
		return false
	}
	for who, cr := range creds {
		for _, tc := range wireCases() {
			f := newFakeAPI(t, answer(tc.status, tc.response))
			c := newClient(t, f, cr)
			_, err := tc.call(context.Background(), c)
			if allowed(who, tc.op) {
				assert.NoError(t, err, "%s may call %s", who, tc.op)
				assert.Equal(t, 1, f.count(), "%s %s", who, tc.op)
				continue
			}
			var se *smooch.ScopeError
			assert.ErrorAs(t, err, &se, "%s may not call %s", who, tc.op)
			assert.Zero(t, f.count(), "%s %s: refused before sending", who, tc.op)
		}
	}
}
