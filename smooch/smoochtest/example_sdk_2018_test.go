package smoochtest_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// Connect WhatsApp through the business's own WhatsApp API client, then set the business profile WhatsApp
// shows its users. The README quotes it.
func Example_whatsApp() {
	srv := smoochtest.NewServer(smoochtest.Deterministic())
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme Support"})
	if err != nil {
		log.Fatal(err)
	}

	whatsapp := smooch.WhatsApp{
		BaseURL:             "https://whatsapp.acme.example.com:8443", // the business's WhatsApp API client
		Username:            "smooch",
		Password:            "whatsapp-password-not-real",
		HSMFallbackLanguage: "en_US",
	}
	integration, err := client.Integrations.Create(ctx, app.ID, whatsapp)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(integration.Type, integration.Status)
	err = client.Integrations.UpdateProfile(ctx, app.ID, integration.ID, smooch.IntegrationProfileUpdate{
		About:    "Open 9 to 5, Monday to Friday",
		Email:    "support@acme.example.com",
		Websites: []string{"https://acme.example.com", "https://shop.acme.example.com"},
	})
	if err != nil {
		log.Fatal(err)
	}
	// WhatsApp's limits are checked before anything is sent.
	err = client.Integrations.UpdateProfile(ctx, app.ID, integration.ID, smooch.IntegrationProfileUpdate{About: strings.Repeat("!", 140)})
	fmt.Println(err)
	fmt.Println(whatsapp) // the password prints as REDACTED
	// Output:
	// whatsapp active
	// smooch: Integrations.UpdateProfile: about is 140 characters long: at most 139
	// {BaseURL:https://whatsapp.acme.example.com:8443 DeploymentID: DisplayName: HSMFallbackLanguage:en_US Password:REDACTED Username:smooch}
}

// An app menu with a submenu, shown on every channel of the app, and a Web Messenger with a menu of its own,
// which overrides the app's on that channel.
func Example_menus() {
	srv := smoochtest.NewServer(smoochtest.Deterministic())
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme Support"})
	if err != nil {
		log.Fatal(err)
	}

	menu, err := client.Menus.Set(ctx, app.ID, smooch.Menu{Items: []smooch.MenuItem{
		{Type: smooch.MenuItemTypeLink, Text: "Website", URI: "https://acme.example.com"},
		{Type: smooch.MenuItemTypeSubmenu, Text: "Help", Items: []smooch.MenuSubItem{
			{Type: smooch.MenuItemTypePostback, Text: "Talk to a human", Payload: "HUMAN"},
			{Type: smooch.MenuItemTypeLink, Text: "FAQ", URI: "https://acme.example.com/faq"},
		}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	for _, item := range menu.Items {
		fmt.Println(item.Type, item.Text)
		for _, sub := range item.Items {
			fmt.Println("  ", sub.Type, sub.Text)
		}
	}

	web, err := client.Integrations.Create(ctx, app.ID, smooch.WebMessenger{BrandColor: "65758e", DisplayStyle: smooch.DisplayStyleTab})
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.IntegrationMenus.Get(ctx, app.ID, web.ID)
	fmt.Println("own menu:", !smooch.IsNotFound(err)) // none yet: the channel shows the app's
	_, err = client.IntegrationMenus.Create(ctx, app.ID, web.ID, smooch.Menu{Items: []smooch.MenuItem{
		{Type: smooch.MenuItemTypePostback, Text: "Book a demo", Payload: "DEMO"},
	}})
	if err != nil {
		log.Fatal(err)
	}

	// The rules are checked before sending: a link needs its URL.
	_, err = client.Menus.Set(ctx, app.ID, smooch.Menu{Items: []smooch.MenuItem{{Type: smooch.MenuItemTypeLink, Text: "Website"}}})
	fmt.Println(err)

	removed, err := client.Menus.Remove(ctx, app.ID)
	if err != nil {
		log.Fatal(err)
	}
	own, err := client.IntegrationMenus.Get(ctx, app.ID, web.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("app menu items:", len(removed.Items), "web menu items:", len(own.Items))
	// Output:
	// link Website
	// submenu Help
	//    postback Talk to a human
	//    link FAQ
	// own menu: false
	// smooch: Menus.Set: items[0].uri is required for a link
	// app menu items: 0 web menu items: 1
}

// Change a Web Messenger's look; what the update leaves out is kept.
func Example_integrationsUpdate() {
	srv := smoochtest.NewServer(smoochtest.Deterministic())
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	app, err := client.Apps.Create(ctx, smooch.AppCreate{Name: "Acme Support"})
	if err != nil {
		log.Fatal(err)
	}
	integration, err := client.Integrations.Create(ctx, app.ID, smooch.WebMessenger{
		BrandColor:      "65758e",
		BusinessName:    "Acme",
		OriginWhitelist: []string{"https://acme.example.com"},
	})
	if err != nil {
		log.Fatal(err)
	}
	integration, err = client.Integrations.Update(ctx, app.ID, integration.ID, smooch.IntegrationUpdate{
		BrandColor:     "0099ff",
		FixedIntroPane: smooch.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	web := integration.Channel().(*smooch.WebMessengerIntegration)
	fmt.Println(web.BrandColor, web.FixedIntroPane, web.BusinessName, web.OriginWhitelist)
	// Output: 0099ff true Acme [https://acme.example.com]
}
