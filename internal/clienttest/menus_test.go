package clienttest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
)

func link(text, uri string) smooch.MenuItem {
	return smooch.MenuItem{Type: smooch.MenuItemTypeLink, Text: text, URI: uri}
}

func postback(text, payload string) smooch.MenuSubItem {
	return smooch.MenuSubItem{Type: smooch.MenuItemTypePostback, Text: text, Payload: payload}
}

// TestMenuRulesAreCheckedBeforeSending breaks each rule of a menu once, through every method that sends one:
// the error is a *ValidationError naming the method and the item's field, and nothing is sent.
func TestMenuRulesAreCheckedBeforeSending(t *testing.T) {
	sub := func(items ...smooch.MenuSubItem) smooch.MenuItem {
		return smooch.MenuItem{Type: smooch.MenuItemTypeSubmenu, Text: "More", Items: items}
	}
	five := []smooch.MenuSubItem{postback("a", "A"), postback("b", "B"), postback("c", "C"), postback("d", "D"), postback("e", "E")}
	for _, tc := range []struct {
		name  string
		menu  smooch.Menu
		field string
		want  string
	}{
		{"no items", smooch.Menu{}, "items", "is empty: a menu has 1 to 3 items (to have none, remove the menu)"},
		{"4 items", smooch.Menu{Items: []smooch.MenuItem{link("a", "https://a.example"), link("b", "https://b.example"), link("c", "https://c.example"), link("d", "https://d.example")}},
			"items", "has 4 items: a menu has at most 3 (put more in a submenu)"},
		{"no text", smooch.Menu{Items: []smooch.MenuItem{link(" ", "https://a.example")}}, "items[0].text", "is required: the item's label"},
		{"unknown type", smooch.Menu{Items: []smooch.MenuItem{{Type: "phone", Text: "Call"}}}, "items[0].type", `must be "link", "postback" or "submenu", got "phone"`},
		{"link without uri", smooch.Menu{Items: []smooch.MenuItem{link("a", "https://a.example"), link("Site", "")}}, "items[1].uri", "is required for a link"},
		{"link with a relative uri", smooch.Menu{Items: []smooch.MenuItem{link("Site", "/about")}}, "items[0].uri", `must be an absolute URL like "https://example.com", got "/about"`},
		{"link without a host", smooch.Menu{Items: []smooch.MenuItem{link("Site", "https://")}}, "items[0].uri", "must be an absolute URL"},
		{"postback without payload", smooch.Menu{Items: []smooch.MenuItem{{Type: smooch.MenuItemTypePostback, Text: "Hi"}}}, "items[0].payload", "is required for a postback"},
		{"submenu without items", smooch.Menu{Items: []smooch.MenuItem{sub()}}, "items[0].items", "is required for a submenu: 1 to 5 links or postbacks"},
		{"submenu of 6", smooch.Menu{Items: []smooch.MenuItem{sub(append(five, postback("f", "F"))...)}}, "items[0].items", "has 6 items: a submenu has at most 5"},
		{"submenu in a submenu", smooch.Menu{Items: []smooch.MenuItem{sub(postback("a", "A"), smooch.MenuSubItem{Type: smooch.MenuItemTypeSubmenu, Text: "Deeper"})}},
			"items[0].items[1].type", "is submenu: menus nest one level, a submenu's items are links or postbacks"},
		{"sub-link without uri", smooch.Menu{Items: []smooch.MenuItem{sub(smooch.MenuSubItem{Type: smooch.MenuItemTypeLink, Text: "Site"})}}, "items[0].items[0].uri", "is required for a link"},
		{"sub-postback without payload", smooch.Menu{Items: []smooch.MenuItem{sub(postback("Hi", ""))}}, "items[0].items[0].payload", "is required for a postback"},
		{"sub-item without text", smooch.Menu{Items: []smooch.MenuItem{sub(postback("", "HI"))}}, "items[0].items[0].text", "is required"},
		{"items on a link", smooch.Menu{Items: []smooch.MenuItem{{Type: smooch.MenuItemTypeLink, Text: "Site", URI: "https://a.example", Items: five[:1]}}},
			"items[0].items", "is only for a submenu; this item is a link"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, answer(200, `{"menu":{"items":[]}}`))
			c := newClient(t, f, accountCreds())
			ctx := context.Background()
			calls := map[string]func() error{
				"Menus.Set":               func() error { _, err := c.Menus.Set(ctx, "app", tc.menu); return err },
				"IntegrationMenus.Create": func() error { _, err := c.IntegrationMenus.Create(ctx, "app", "int", tc.menu); return err },
				"IntegrationMenus.Update": func() error { _, err := c.IntegrationMenus.Update(ctx, "app", "int", tc.menu); return err },
			}
			for method, call := range calls {
				err := call()
				var ve *smooch.ValidationError
				require.ErrorAs(t, err, &ve, method)
				assert.Equal(t, method, ve.Subject)
				assert.Equal(t, tc.field, ve.Field, method)
				assert.Contains(t, ve.Problem, tc.want, method)
			}
			assert.Zero(t, f.count(), "nothing is sent")
		})
	}
}

func TestAMenuWithASubmenuIsSentAsTheAPIWantsIt(t *testing.T) {
	f := newFakeAPI(t, answer(200, `{"menu":{"items":[{"_id":"i1","type":"link","text":"Site","uri":"mailto:support@acme.example"}]}}`))
	c := newClient(t, f, accountCreds())
	menu := smooch.Menu{Items: []smooch.MenuItem{
		link("Site", "https://acme.example.com"),
		{Type: smooch.MenuItemTypeSubmenu, Text: "Help", Items: []smooch.MenuSubItem{postback("Human", "HUMAN"), {Type: smooch.MenuItemTypeLink, Text: "Mail", URI: "mailto:support@acme.example"}}},
		{Type: smooch.MenuItemTypePostback, Text: "Hi", Payload: "HI"},
	}}
	got, err := c.Menus.Set(context.Background(), "app", menu)
	require.NoError(t, err)
	assert.Equal(t, "i1", got.Items[0].ID)
	assert.JSONEq(t, `{"items":[{"type":"link","text":"Site","uri":"https://acme.example.com"},`+
		`{"type":"submenu","text":"Help","items":[{"type":"postback","text":"Human","payload":"HUMAN"},{"type":"link","text":"Mail","uri":"mailto:support@acme.example"}]},`+
		`{"type":"postback","text":"Hi","payload":"HI"}]}`, string(f.requests()[0].Body))
}

func TestAnIntegrationWithoutAMenuIsNotFound(t *testing.T) {
	f := newFakeAPI(t, answer(404, `{"error":{"code":"not_found","description":"Integration menu not found"}}`))
	c := newClient(t, f, accountCreds())
	_, err := c.IntegrationMenus.Get(context.Background(), "app", "int")
	assert.True(t, smooch.IsNotFound(err))
	assert.True(t, strings.HasSuffix(f.requests()[0].Path, "/integrations/int/menu"))
}
