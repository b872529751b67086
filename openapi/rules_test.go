package openapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheSchemaCarriesTheRulesOfTheNewSurface sends request bodies of the 2018 additions through validation:
// each rule the contract states as a schema (a menu item's per-type fields, one level of submenus, the menu
// and profile limits, colour and origin formats) refuses the body that breaks it, naming what is wrong, and
// accepts the one that keeps it.
func TestTheSchemaCarriesTheRulesOfTheNewSurface(t *testing.T) {
	v, err := contractValidator()
	require.NoError(t, err)
	const app, integration = "/v1/apps/55c8d9758590aa1900b9b9f6", "/integrations/5735dded48011972d621dc02"
	for _, tc := range []struct {
		name, method, path, body string
		want                     string // "" when the body is valid; else a text the error holds
	}{
		{"link with uri", "PUT", app + "/menu", `{"items":[{"type":"link","text":"Site","uri":"https://acme.example.com"}]}`, ""},
		{"link without uri", "PUT", app + "/menu", `{"items":[{"type":"link","text":"Site"}]}`, `"uri"`},
		{"link with a relative uri", "PUT", app + "/menu", `{"items":[{"type":"link","text":"Site","uri":"/about"}]}`, "uri"},
		{"postback without payload", "PUT", app + "/menu", `{"items":[{"type":"postback","text":"Hi"}]}`, `"payload"`},
		{"submenu without items", "PUT", app + "/menu", `{"items":[{"type":"submenu","text":"More"}]}`, `"items"`},
		{"submenu of links", "POST", app + integration + "/menu",
			`{"items":[{"type":"submenu","text":"More","items":[{"type":"link","text":"Site","uri":"https://acme.example.com"},{"type":"postback","text":"Hi","payload":"HI"}]}]}`, ""},
		{"submenu in a submenu", "POST", app + integration + "/menu",
			`{"items":[{"type":"submenu","text":"More","items":[{"type":"submenu","text":"Deeper","items":[]}]}]}`, `"/items/0/items/0": discriminator property "type"`},
		{"item without text", "PUT", app + integration + "/menu", `{"items":[{"type":"postback","payload":"HI"}]}`, `"text"`},
		{"unknown item type", "PUT", app + "/menu", `{"items":[{"type":"phone","text":"Call"}]}`, `"/items/0": discriminator property "type"`},
		{"4 items", "PUT", app + "/menu", `{"items":[` + strings.Repeat(`{"type":"postback","text":"a","payload":"A"},`, 3) + `{"type":"postback","text":"a","payload":"A"}]}`, "items"},
		{"6 sub-items", "PUT", app + "/menu", `{"items":[{"type":"submenu","text":"More","items":[` + strings.Repeat(`{"type":"postback","text":"a","payload":"A"},`, 5) + `{"type":"postback","text":"a","payload":"A"}]}]}`, "items"},
		{"menu without items", "PUT", app + "/menu", `{}`, `"items"`},

		{"profile", "PUT", app + integration + "/profile", `{"about":"` + strings.Repeat("é", 139) + `","websites":["https://a.example","http://b.example"]}`, ""},
		{"about too long", "PUT", app + integration + "/profile", `{"about":"` + strings.Repeat("é", 140) + `"}`, "about"},
		{"address too long", "PUT", app + integration + "/profile", `{"address":"` + strings.Repeat("a", 257) + `"}`, "address"},
		{"description too long", "PUT", app + integration + "/profile", `{"description":"` + strings.Repeat("a", 257) + `"}`, "description"},
		{"email too long", "PUT", app + integration + "/profile", `{"email":"` + strings.Repeat("a", 120) + `@example.com"}`, "email"},
		{"vertical too long", "PUT", app + integration + "/profile", `{"vertical":"` + strings.Repeat("a", 129) + `"}`, "vertical"},
		{"3 websites", "PUT", app + integration + "/profile", `{"websites":["https://a.example","https://b.example","https://c.example"]}`, "websites"},
		{"empty profile", "PUT", app + integration + "/profile", `{}`, "properties"},

		{"web messenger", "POST", app + "/integrations", `{"type":"web","brandColor":"0af","actionColor":"00AAFF","displayStyle":"tab","originWhitelist":["https://acme.example.com:8443"]}`, ""},
		{"colour with #", "POST", app + "/integrations", `{"type":"web","brandColor":"#00aaff"}`, "brandColor"},
		{"colour of 4 digits", "POST", app + "/integrations", `{"type":"web","conversationColor":"00af"}`, "conversationColor"},
		{"unknown display style", "POST", app + "/integrations", `{"type":"web","displayStyle":"bubble"}`, "displayStyle"},
		{"origin with a path", "POST", app + "/integrations", `{"type":"web","originWhitelist":["https://acme.example.com/chat"]}`, "originWhitelist"},
		{"origin of ftp", "POST", app + "/integrations", `{"type":"web","originWhitelist":["ftp://acme.example.com"]}`, "originWhitelist"},
		{"whatsapp", "POST", app + "/integrations", `{"type":"whatsapp","baseUrl":"https://wa.example.com:8443","username":"u","password":"p"}`, ""},
		// v1.1: deploymentId or the client's fields, which are no longer required by the schema (the builder and
		// the fake require one form or the other).
		{"whatsapp on a deployment", "POST", app + "/integrations", `{"type":"whatsapp","deploymentId":"5f2a3b4c5d6e7f8091a2b3c4"}`, ""},
		{"whatsapp with a relative baseUrl", "POST", app + "/integrations", `{"type":"whatsapp","baseUrl":"wa.example.com","username":"u","password":"p"}`, "baseUrl"},
		{"twitter tier", "POST", app + "/integrations", `{"type":"twitter","tier":"gold","consumerKey":"a","consumerSecret":"b","accessTokenKey":"c","accessTokenSecret":"d"}`, "tier"},

		{"integration update", "PUT", app + integration, `{"brandColor":"fff","fixedIntroPane":false}`, ""},
		{"empty integration update", "PUT", app + integration, `{}`, "properties"},
		{"update colour with #", "PUT", app + integration, `{"actionColor":"#fff"}`, "actionColor"},

		{"app metadata", "POST", "/v1/apps", `{"name":"a","metadata":{"plan":"gold","seats":3,"trial":false}}`, ""},
		{"nested app metadata", "POST", "/v1/apps", `{"name":"a","metadata":{"owner":{"name":"x"}}}`, "metadata"},
		{"app metadata with a list", "PUT", app, `{"name":"a","metadata":{"tags":["x"]}}`, "metadata"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.ValidateRequest(context.Background(), seedRequest(t, tc.method, tc.path, tc.body))
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
