package smoochtest

import (
	"strings"

	"github.com/smoochkit/smooch-go/gen"
)

// provision turns an integration's create arguments into what the API answers:
// the channel's public details, never the credentials. Where the real API asks
// the channel (Facebook for the page id, Telegram for the bot's username, ...),
// the fake derives a stable value from a hash of the credential, so the same
// arguments always give the same answer.
func (b *backend) provision(id string, body gen.IntegrationCreate) (gen.IntegrationType, gen.Integration, error) {
	var out gen.Integration
	typ, err := body.Discriminator()
	if err != nil {
		return "", out, badRequest("request body has an error: %v", err)
	}
	t := gen.IntegrationType(typ)
	switch t {
	case gen.IntegrationTypeMessenger:
		in, err := body.AsMessengerIntegrationCreate()
		if err != nil {
			return "", out, badRequest("messenger: %v", err)
		}
		err = out.FromMessengerIntegration(gen.MessengerIntegration{
			ID: id, Type: t,
			PageID: ptr(digestDigits(15, "messenger page", in.PageAccessToken)),
			AppID:  ptr(in.AppID),
		})
		return t, out, err
	case gen.IntegrationTypeTwitter:
		in, err := body.AsTwitterIntegrationCreate()
		if err != nil {
			return "", out, badRequest("twitter: %v", err)
		}
		// Not in the schema (a oneOf would make the builder a union in Go): the API needs a dev environment
		// name for the premium Account Activity API.
		if in.Tier != nil && *in.Tier == gen.TwitterTierPremium && (in.EnvName == nil || *in.EnvName == "") {
			return "", out, badRequest("envName is required when tier is premium")
		}
		err = out.FromTwitterIntegration(gen.TwitterIntegration{
			ID: id, Type: t,
			UserID:         ptr(digestDigits(18, "twitter user", in.AccessTokenKey)),
			Username:       ptr("twitter_" + digestHex(8, "twitter user", in.AccessTokenKey)),
			AccessTokenKey: ptr(in.AccessTokenKey),
			ConsumerKey:    ptr(in.ConsumerKey),
		})
		return t, out, err
	case gen.IntegrationTypeTwilio:
		in, err := body.AsTwilioIntegrationCreate()
		if err != nil {
			return "", out, badRequest("twilio: %v", err)
		}
		err = out.FromTwilioIntegration(gen.TwilioIntegration{
			ID: id, Type: t,
			AccountSID:     ptr(in.AccountSID),
			PhoneNumberSID: ptr(in.PhoneNumberSID),
			PhoneNumber:    ptr("+1" + digestDigits(10, "twilio number", in.PhoneNumberSID)),
			Name:           ptr("Twilio account " + digestHex(6, "twilio account", in.AccountSID)),
		})
		return t, out, err
	case gen.IntegrationTypeTelegram:
		in, err := body.AsTelegramIntegrationCreate()
		if err != nil {
			return "", out, badRequest("telegram: %v", err)
		}
		err = out.FromTelegramIntegration(gen.TelegramIntegration{
			ID: id, Type: t,
			Username: ptr("bot_" + digestHex(8, "telegram bot", in.Token) + "_bot"),
		})
		return t, out, err
	case gen.IntegrationTypeLINE:
		in, err := body.AsLINEIntegrationCreate()
		if err != nil {
			return "", out, badRequest("line: %v", err)
		}
		channelID := digestDigits(10, "line channel", in.ChannelSecret)
		if in.ChannelID != nil {
			channelID = *in.ChannelID
		}
		err = out.FromLINEIntegration(gen.LINEIntegration{
			ID: id, Type: t,
			BotName:   ptr("LINE bot " + digestHex(6, "line bot", in.ChannelAccessToken)),
			MID:       ptr("u" + digestHex(32, "line mid", in.ChannelAccessToken)),
			ChannelID: ptr(channelID),
		})
		return t, out, err
	case gen.IntegrationTypeViber:
		in, err := body.AsViberIntegrationCreate()
		if err != nil {
			return "", out, badRequest("viber: %v", err)
		}
		err = out.FromViberIntegration(gen.ViberIntegration{
			ID: id, Type: t,
			URI: ptr("viber" + digestHex(8, "viber account", in.Token)),
		})
		return t, out, err
	case gen.IntegrationTypeWeChat:
		in, err := body.AsWeChatIntegrationCreate()
		if err != nil {
			return "", out, badRequest("wechat: %v", err)
		}
		err = out.FromWeChatIntegration(gen.WeChatIntegration{
			ID: id, Type: t,
			AppID:          ptr(in.AppID),
			WebhookSecret:  ptr(b.ids.hex32()),
			AccessTokenURL: in.AccessTokenURL,
		})
		return t, out, err
	case gen.IntegrationTypeMailgun:
		in, err := body.AsMailgunIntegrationCreate()
		if err != nil {
			return "", out, badRequest("mailgun: %v", err)
		}
		if !strings.HasSuffix(strings.ToLower(in.IncomingAddress), "@"+strings.ToLower(in.Domain)) {
			return "", out, badRequest("incomingAddress %q must be an address on domain %q", in.IncomingAddress, in.Domain)
		}
		err = out.FromMailgunIntegration(gen.MailgunIntegration{
			ID: id, Type: t,
			Domain:          ptr(in.Domain),
			IncomingAddress: ptr(in.IncomingAddress),
		})
		return t, out, err
	case gen.IntegrationTypeMessageBird:
		in, err := body.AsMessageBirdIntegrationCreate()
		if err != nil {
			return "", out, badRequest("messagebird: %v", err)
		}
		err = out.FromMessageBirdIntegration(gen.MessageBirdIntegration{
			ID: id, Type: t,
			Originator:    ptr(in.Originator),
			WebhookSecret: ptr(b.ids.hex32()),
		})
		return t, out, err
	case gen.IntegrationTypeFrontendEmail:
		in, err := body.AsFrontendEmailIntegrationCreate()
		if err != nil {
			return "", out, badRequest("frontendEmail: %v", err)
		}
		short := b.ids.shortID()
		err = out.FromFrontendEmailIntegration(gen.FrontendEmailIntegration{
			ID: id, Type: t,
			ShortID:       ptr(short),
			SmoochAddress: ptr("app." + short + "@mail.smooch.io"),
			FromAddress:   in.FromAddress,
		})
		return t, out, err
	case gen.IntegrationTypeAPN:
		in, err := body.AsAPNIntegrationCreate()
		if err != nil {
			return "", out, badRequest("apn: %v", err)
		}
		badge := false
		if in.AutoUpdateBadge != nil {
			badge = *in.AutoUpdateBadge
		}
		// A real certificate says whether it is a production one; the fake cannot read the .p12, and the
		// reference shows false. Since v1.1 the caller may choose.
		production := false
		if in.Production != nil {
			production = *in.Production
		}
		err = out.FromAPNIntegration(gen.APNIntegration{
			ID: id, Type: t,
			Production:      ptr(production),
			AutoUpdateBadge: ptr(badge),
		})
		return t, out, err
	case gen.IntegrationTypeFCM:
		in, err := body.AsFCMIntegrationCreate()
		if err != nil {
			return "", out, badRequest("fcm: %v", err)
		}
		err = out.FromFCMIntegration(gen.FCMIntegration{ID: id, Type: t, SenderID: ptr(in.SenderID)})
		return t, out, err
	case gen.IntegrationTypeWeb:
		in, err := body.AsWebIntegrationCreate()
		if err != nil {
			return "", out, badRequest("web: %v", err)
		}
		// The display settings come back as sent; the two with a documented default show it when not sent.
		fixed, style := false, gen.DisplayStyleButton
		if in.FixedIntroPane != nil {
			fixed = *in.FixedIntroPane
		}
		if in.DisplayStyle != nil {
			style = *in.DisplayStyle
		}
		err = out.FromWebIntegration(gen.WebIntegration{
			ID: id, Type: t,
			BrandColor: in.BrandColor, ConversationColor: in.ConversationColor, ActionColor: in.ActionColor,
			FixedIntroPane: &fixed, DisplayStyle: &style,
			ButtonIconURL: in.ButtonIconURL, ButtonWidth: in.ButtonWidth, ButtonHeight: in.ButtonHeight,
			IntegrationOrder: in.IntegrationOrder, BusinessName: in.BusinessName, BusinessIconURL: in.BusinessIconURL,
			BackgroundImageURL: in.BackgroundImageURL, OriginWhitelist: in.OriginWhitelist,
		})
		return t, out, err
	case gen.IntegrationTypeWhatsApp:
		in, err := body.AsWhatsAppIntegrationCreate()
		if err != nil {
			return "", out, badRequest("whatsapp: %v", err)
		}
		// On a deployment (v1.1) or on the business's own client, one or the other: the contract's choice.
		client := in.BaseURL != nil || in.Username != nil || in.Password != nil
		switch {
		case in.DeploymentID != nil && client:
			return "", out, badRequest("whatsapp: give a deploymentId or the client's baseUrl, username and password, not both")
		case in.DeploymentID != nil:
			err = out.FromWhatsAppIntegration(gen.WhatsAppIntegration{ID: id, Type: t, HSMFallbackLanguage: in.HSMFallbackLanguage})
			return t, out, err
		case in.BaseURL == nil || in.Username == nil || in.Password == nil:
			return "", out, badRequest("whatsapp: a deploymentId is required, or the client's baseUrl, username and password")
		}
		err = out.FromWhatsAppIntegration(gen.WhatsAppIntegration{
			ID: id, Type: t,
			BaseURL: in.BaseURL, Username: in.Username, HSMFallbackLanguage: in.HSMFallbackLanguage,
		})
		return t, out, err
	case gen.IntegrationTypeInstagram:
		in, err := body.AsInstagramIntegrationCreate()
		if err != nil {
			return "", out, badRequest("instagram: %v", err)
		}
		business := digestHex(6, "instagram business", in.PageAccessToken)
		err = out.FromInstagramIntegration(gen.InstagramIntegration{
			ID: id, Type: t,
			PageID: ptr(digestDigits(15, "instagram page", in.PageAccessToken)), AppID: ptr(in.AppID),
			BusinessName: ptr("Instagram business " + business), BusinessID: ptr(digestDigits(17, "instagram business id", in.PageAccessToken)),
			BusinessUsername: ptr("ig_" + business),
		})
		return t, out, err
	case gen.IntegrationTypeAppleBusinessChat:
		in, err := body.AsAppleBusinessChatIntegrationCreate()
		if err != nil {
			return "", out, badRequest("apple: %v", err)
		}
		// The vendor's answer carries the apiSecret; the fake, like for every channel, never returns a credential.
		err = out.FromAppleBusinessChatIntegration(gen.AppleBusinessChatIntegration{ID: id, Type: t, BusinessID: ptr(in.BusinessID), MSPID: ptr(in.MSPID)})
		return t, out, err
	}
	// Contract validation has already refused unknown types.
	return "", out, badRequest("request body has an error: unknown integration type %q", typ)
}

func ptr[T any](v T) *T { return &v }
