package clienttest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
	"github.com/smoochkit/smooch-go/smooch"
)

// payloadChecks holds, for each example payload of the contract (the v1 reference's, by name), what its typed
// event must say: the variant, and the values of the fields that example is about.
var payloadChecks = map[string]func(t *testing.T, e *smooch.WebhookEvent){
	"messageAppUserText": func(t *testing.T, e *smooch.WebhookEvent) {
		m := messageOf(t, e, smooch.WebhookTriggerMessageAppUser)
		assert.Equal(t, smooch.MessageTypeText, m.Type)
		assert.Equal(t, "Hi! Do you have time to chat?", m.Text)
		assert.Equal(t, smooch.MessageRoleAppUser, m.Role)
		assert.Equal(t, "c7f6e6d6c3a637261bd9656f", m.AuthorID)
		assert.Equal(t, "Steve", m.Name)
		assert.Equal(t, "messenger", m.Source.Type)
		assert.Equal(t, time.Date(2015, 10, 8, 23, 52, 18, 704000000, time.UTC), m.Received.Time())
		assert.Nil(t, m.Raw, "a known type keeps no raw JSON")
		assert.Equal(t, "bob@example.com", e.AppUser.UserID)
		assert.Equal(t, time.Date(2015, 10, 6, 3, 38, 2, 346000000, time.UTC), e.AppUser.SignedUpAt)
		require.Len(t, e.AppUser.Clients, 1)
		assert.Equal(t, smooch.AppUserClient{Active: true, ID: "5A7F8343-DF41-46A8-96EC-8583FCB422FB",
			LastSeen: time.Date(2016, 3, 9, 19, 9, 1, 431000000, time.UTC), Platform: "messenger"}, e.AppUser.Clients[0])
	},
	"messageAppUserImage": func(t *testing.T, e *smooch.WebhookEvent) {
		m := messageOf(t, e, smooch.WebhookTriggerMessageAppUser)
		assert.Equal(t, smooch.MessageTypeImage, m.Type)
		assert.Equal(t, "http://www.tacobueno.com/media/1338/partytacolarge.png?quality=65", m.MediaURL)
		assert.Empty(t, m.Text)
	},
	"messageAppMakerCarousel": func(t *testing.T, e *smooch.WebhookEvent) {
		m := messageOf(t, e, smooch.WebhookTriggerMessageAppMaker)
		assert.Equal(t, smooch.MessageTypeCarousel, m.Type)
		assert.Equal(t, smooch.MessageRoleAppMaker, m.Role)
		assert.Equal(t, "api", m.Source.Type)
		assert.Contains(t, m.AvatarURL, "gravatar.com")
		require.Len(t, m.Items, 1)
		item := m.Items[0]
		assert.Equal(t, "Tacos", item.Title)
		assert.Equal(t, "Beef and cheese... Mhm...", item.Description)
		assert.Equal(t, "large", item.Size)
		assert.Equal(t, "image/png", item.MediaType)
		assert.Equal(t, []smooch.MessageAction{{ID: "5887c9117e4de029005f1fc8", Type: smooch.MessageActionTypePostback,
			Text: "Oh yeah!", Payload: "TACOS"}}, item.Actions)
	},
	"messageAppMakerList": func(t *testing.T, e *smooch.WebhookEvent) {
		m := messageOf(t, e, smooch.WebhookTriggerMessageAppMaker)
		assert.Equal(t, smooch.MessageTypeList, m.Type)
		require.Len(t, m.Items, 1)
		assert.Equal(t, []smooch.MessageAction{{ID: "5887c9a37e4de029005f1fce", Type: smooch.MessageActionTypePostback,
			Text: "More Choices!", Payload: "MORE"}}, m.Actions)
	},
	"messageAppUserLocation": func(t *testing.T, e *smooch.WebhookEvent) {
		m := messageOf(t, e, smooch.WebhookTriggerMessageAppUser)
		assert.Equal(t, smooch.MessageTypeLocation, m.Type)
		assert.Equal(t, smooch.MessageCoordinates{Lat: 45.5261583, Long: -73.595346}, m.Coordinates)
		assert.Equal(t, "55fafea8bf8fd41a00357805", e.App.ID)
	},
	"messageAppUserViber": func(t *testing.T, e *smooch.WebhookEvent) {
		m := messageOf(t, e, smooch.WebhookTriggerMessageAppUser)
		assert.Equal(t, smooch.MessageSource{Type: "viber", ID: "ZxY+goFrigEM2Yy7y1yITw=="}, m.Source)
		assert.True(t, e.AppUser.ConversationStarted)
		assert.False(t, e.AppUser.CredentialRequired)
		require.Len(t, e.AppUser.Clients, 1)
		assert.Equal(t, "Anastasi Theodore", e.AppUser.Clients[0].DisplayName)
		assert.Equal(t, time.Date(2017, 1, 3, 17, 16, 57, 465000000, time.UTC), e.AppUser.Clients[0].LinkedAt)
		assert.Equal(t, e.AppUser.Clients, e.AppUser.Devices)
		assert.Empty(t, e.AppUser.PendingClients)
	},
	"postback": func(t *testing.T, e *smooch.WebhookEvent) {
		p := payloadOf[*smooch.PostbackPayload](t, e, smooch.WebhookTriggerPostback)
		require.Len(t, p.Postbacks, 1)
		pb := p.Postbacks[0]
		assert.Equal(t, smooch.MessageAction{ID: "571530ee4fae94c32b78b170", Type: smooch.MessageActionTypePostback,
			Text: "Read more", Payload: "YES"}, pb.Action)
		require.NotNil(t, pb.Message)
		assert.Equal(t, "Do you want to see more options?", pb.Message.Text)
		assert.Equal(t, "slack", pb.Message.Source.Type)
		assert.Equal(t, "bob@example.com", e.AppUser.UserID)
	},
	"conversationRead": func(t *testing.T, e *smooch.WebhookEvent) {
		p := payloadOf[*smooch.ConversationPayload](t, e, smooch.WebhookTriggerConversationRead)
		assert.Equal(t, "messenger", p.Source.Type)
		assert.Equal(t, smooch.AppUser{ID: "7685787bf0e9e8cf56182288"}, e.AppUser, "a truncated app user")
		assert.Equal(t, time.Date(2016, 11, 28, 16, 9, 52, 103000000, time.UTC), e.Timestamp.Time())
		assert.Zero(t, p.Referral)
	},
	"conversationStart": func(t *testing.T, e *smooch.WebhookEvent) {
		payloadOf[*smooch.ConversationPayload](t, e, smooch.WebhookTriggerConversationStart)
		assert.Len(t, e.AppUser.Clients, 1, "a full app user")
	},
	"conversationReferral": func(t *testing.T, e *smooch.WebhookEvent) {
		p := payloadOf[*smooch.ConversationPayload](t, e, smooch.WebhookTriggerConversationReferral)
		assert.Equal(t, smooch.Referral{Code: "my-ref-code", Details: smooch.ReferralDetails{Source: "MESSENGER_CODE", Type: "OPEN_THREAD"}}, p.Referral)
	},
	"mergeAppUser": func(t *testing.T, e *smooch.WebhookEvent) {
		p := payloadOf[*smooch.MergePayload](t, e, smooch.WebhookTriggerMergeAppUser)
		assert.Equal(t, smooch.AppUser{ID: "a79a0ecfba3260bf145be257", UserID: "123", ConversationStarted: true}, p.Surviving)
		assert.Equal(t, []smooch.AppUser{{ID: "1ac30dad829178f6378f61f4"}}, p.Discarded)
		assert.Zero(t, e.AppUser, "a merge's app users are its surviving and discarded ones")
	},
	"deliverySuccess": func(t *testing.T, e *smooch.WebhookEvent) {
		p := payloadOf[*smooch.DeliveryPayload](t, e, smooch.WebhookTriggerDeliverySuccess)
		assert.Equal(t, "line", p.Destination.Type)
		assert.Nil(t, p.Error)
		require.Len(t, p.Messages, 1)
		assert.Equal(t, "Danny", p.Messages[0].Name)
		assert.Equal(t, smooch.AppUser{ID: "de13bee15b51033b34162411", UserID: "123"}, e.AppUser)
		assert.Equal(t, smooch.Timestamp(1480001440.731), e.Timestamp)
	},
	"deliveryFailure": func(t *testing.T, e *smooch.WebhookEvent) {
		p := payloadOf[*smooch.DeliveryPayload](t, e, smooch.WebhookTriggerDeliveryFailure)
		require.NotNil(t, p.Error)
		assert.Equal(t, "unauthorized", p.Error.Code)
		assert.Contains(t, p.Error.UnderlyingError["message"], "invalid token")
	},
	"paymentSuccess": func(t *testing.T, e *smooch.WebhookEvent) {
		p := payloadOf[*smooch.PaymentPayload](t, e, smooch.WebhookTriggerPaymentSuccess)
		require.Len(t, p.Payments, 1)
		pay := p.Payments[0]
		assert.Equal(t, smooch.PaymentCharge{ID: "ch_19dPrCHQ7f2U7NYSZ45OspXT"}, pay.Charge)
		assert.Equal(t, smooch.MessageAction{ID: "5877fd5624fe8fd934d7c2f3", Type: smooch.MessageActionTypeBuy, Text: "Buy vinegar",
			Amount: 1000, Currency: "usd", State: "paid", URI: "https://app.smooch.io/checkout/5877fd5624fe8fd934d7c2f3"}, pay.Action)
		require.NotNil(t, pay.Message)
		assert.Equal(t, pay.Action, pay.Message.Actions[0])
		assert.Equal(t, "messenger", pay.Source.Type)
	},
	"linkSuccess": func(t *testing.T, e *smooch.WebhookEvent) {
		p := payloadOf[*smooch.LinkPayload](t, e, smooch.WebhookTriggerLinkSuccess)
		assert.Equal(t, "messenger", p.Channel)
		assert.Equal(t, map[string]any{"phoneNumber": "+15141234567", "givenName": "bleep", "surname": "bloop"}, p.Criteria)
		assert.Nil(t, p.Error)
	},
	"linkMatch": func(t *testing.T, e *smooch.WebhookEvent) {
		payloadOf[*smooch.LinkPayload](t, e, smooch.WebhookTriggerLinkMatch)
	},
	"linkFailure": func(t *testing.T, e *smooch.WebhookEvent) {
		p := payloadOf[*smooch.LinkPayload](t, e, smooch.WebhookTriggerLinkFailure)
		assert.Equal(t, &smooch.ChannelError{Code: "bad_request", Message: "(#100) No matching user found"}, p.Error)
	},
}

func payloadOf[P smooch.WebhookPayload](t *testing.T, e *smooch.WebhookEvent, trigger smooch.WebhookTrigger) P {
	t.Helper()
	assert.Equal(t, trigger, e.Trigger)
	p, ok := e.Payload().(P)
	require.True(t, ok, "payload %T", e.Payload())
	return p
}

func messageOf(t *testing.T, e *smooch.WebhookEvent, trigger smooch.WebhookTrigger) smooch.Message {
	t.Helper()
	p := payloadOf[*smooch.MessagePayload](t, e, trigger)
	require.Len(t, p.Messages, 1)
	assert.Equal(t, p.AppUser, e.AppUser)
	return p.Messages[0]
}

// webhookExamples are the contract's example payloads: every one the v1 reference documents.
func webhookExamples(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	v, err := openapi.NewValidator()
	require.NoError(t, err)
	call, err := v.Webhook()
	require.NoError(t, err)
	return call.Examples
}

// TestEveryDocumentedPayloadDecodesToItsTypedEvent decodes each example payload of the contract, as a
// receiver gets it and with json.Unmarshal, and checks its typed event. Every example has a check.
func TestEveryDocumentedPayloadDecodesToItsTypedEvent(t *testing.T) {
	const secret = "8564b3e6a8b20a4bdb68b05d9ea97aace9bc5936"
	receiver, err := smooch.NewWebhookReceiver([]string{secret})
	require.NoError(t, err)
	examples := webhookExamples(t)
	for name := range payloadChecks {
		assert.Contains(t, examples, name, "payloadChecks checks an example the contract does not have")
	}
	for name, body := range examples {
		t.Run(name, func(t *testing.T) {
			check, ok := payloadChecks[name]
			require.True(t, ok, "example %s has no entry in payloadChecks", name)
			req := httptest.NewRequest(http.MethodPost, "/smooch", strings.NewReader(string(body)))
			req.Header.Set(smooch.WebhookSecretHeader, secret)
			req.Header.Set("Content-Type", "application/json")
			event, err := receiver.Receive(req)
			require.NoError(t, err)
			check(t, event)
			assert.JSONEq(t, string(body), string(event.Raw))
			reencoded, err := json.Marshal(event)
			require.NoError(t, err)
			assert.JSONEq(t, string(body), string(reencoded))

			var decoded smooch.WebhookEvent
			require.NoError(t, json.Unmarshal(body, &decoded))
			check(t, &decoded)
			// The typed payload encodes back to the example: no member is lost or changed, but for the empty
			// ones (false, {}, []), which optional fields leave out.
			typed, err := json.Marshal(decoded.Payload())
			require.NoError(t, err)
			assert.Equal(t, withoutEmpty(t, body), withoutEmpty(t, typed))
		})
	}
}

// withoutEmpty decodes JSON, leaving out the members whose values are false, {} or [].
func withoutEmpty(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(data, &v))
	var strip func(v any) any
	strip = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, x := range v {
				x = strip(x)
				switch y := x.(type) {
				case bool:
					if !y {
						continue
					}
				case map[string]any:
					if len(y) == 0 {
						continue
					}
				case []any:
					if len(y) == 0 {
						continue
					}
				}
				out[k] = x
			}
			return out
		case []any:
			out := make([]any, len(v))
			for i, x := range v {
				out[i] = strip(x)
			}
			return out
		}
		return v
	}
	return strip(v)
}

// TestUnknownWebhookFormsDecode: a trigger, a message type or a member this version does not know never
// fails; an unknown trigger and an unknown message type keep their JSON.
func TestUnknownWebhookFormsDecode(t *testing.T) {
	decode := func(t *testing.T, body string) *smooch.WebhookEvent {
		t.Helper()
		var e smooch.WebhookEvent
		require.NoError(t, json.Unmarshal([]byte(body), &e))
		require.NotNil(t, e.Payload())
		return &e
	}
	t.Run("an unknown trigger", func(t *testing.T) {
		const body = `{"trigger":"typing:appUser","app":{"_id":"5698edbf2a43bd081be982f1"},"appUser":{"_id":"c7f6e6d6c3a637261bd9656f"},"activity":{"type":"typing:start"}}`
		e := decode(t, body)
		p := payloadOf[*smooch.UnknownPayload](t, e, "typing:appUser")
		assert.Equal(t, "5698edbf2a43bd081be982f1", p.App.ID)
		assert.Equal(t, "5698edbf2a43bd081be982f1", e.App.ID)
		assert.Equal(t, "c7f6e6d6c3a637261bd9656f", e.AppUser.ID)
		assert.JSONEq(t, body, string(p.Raw))
	})
	t.Run("an unknown trigger with members of unknown shapes", func(t *testing.T) {
		e := decode(t, `{"trigger":"client:add","app":"not an object","appUser":[1,2],"timestamp":"soon","version":7}`)
		payloadOf[*smooch.UnknownPayload](t, e, "client:add")
		assert.Zero(t, e.App)
		assert.Zero(t, e.AppUser)
		assert.Zero(t, e.Timestamp)
	})
	// The v1.1 payloads a Go client of the time was tested with (EddyTravels/smooch): the message one decodes
	// as a message event of version v1.1; message:delivery:failure, a v1.1 trigger, as an unknown payload.
	t.Run("a v1.1 message", func(t *testing.T) {
		e := decode(t, `{"trigger":"message:appUser","app":{"_id":"5698edbf2a43bd081be982f1"},
			"messages":[{"_id":"55c8c1498590aa1900b9b9b1","type":"text","text":"Hi! Do you have time to chat?","role":"appUser",
				"authorId":"c7f6e6d6c3a637261bd9656f","name":"Steve","received":1444348338.704,"source":{"type":"messenger"}}],
			"appUser":{"_id":"c7f6e6d6c3a637261bd9656f","userId":"bob@example.com","conversationStarted":true},
			"conversation":{"_id":"105e47578be874292d365ee8"},"version":"v1.1"}`)
		m := messageOf(t, e, smooch.WebhookTriggerMessageAppUser)
		assert.Equal(t, "Hi! Do you have time to chat?", m.Text)
		assert.Equal(t, "v1.1", e.Version)
		assert.Contains(t, string(e.Raw), "105e47578be874292d365ee8", "what no field holds is in Raw")
	})
	t.Run("a v1.1 delivery failure", func(t *testing.T) {
		e := decode(t, `{"trigger":"message:delivery:failure","app":{"_id":"575040549a38df8fb4eb1e51"},
			"appUser":{"_id":"de13bee15b51033b34162411","userId":"123","surname":"Steve","givenName":"Bob",
				"signedUpAt":"2018-04-02T14:45:46.505Z","properties":{"favoriteFood":"prizza"}},
			"conversation":{"_id":"105e47578be874292d365ee8"},"destination":{"type":"line"},"isFinalEvent":true,
			"error":{"code":"unauthorized","underlyingError":{"message":"Authentication failed"}},
			"message":{"_id":"5baa610db5bebb000ce855d6"},"timestamp":1480001711.941,"version":"v1.1"}`)
		payloadOf[*smooch.UnknownPayload](t, e, "message:delivery:failure")
		assert.Equal(t, "v1.1", e.Version)
		assert.Equal(t, "Bob", e.AppUser.GivenName)
		assert.Equal(t, map[string]any{"favoriteFood": "prizza"}, e.AppUser.Properties)
		assert.Equal(t, smooch.Timestamp(1480001711.941), e.Timestamp)
	})
	t.Run("an unknown message type and unknown members", func(t *testing.T) {
		const form = `{"_id":"m2","type":"form","role":"appUser","authorId":"u","received":1.5,"source":{"type":"web"},"fields":[{"name":"email"}]}`
		e := decode(t, `{"trigger":"message:appUser","app":{"_id":"a","plan":"gold"},"appUser":{"_id":"u","mood":"happy"},"messages":[
			{"_id":"m1","type":"text","text":"Hi","role":"appUser","authorId":"u","received":1.5,"source":{"type":"web","integrationId":"i1"},
			 "actions":[{"type":"webview","uri":"https://acme.example.com","text":"Open"}]},`+form+`]}`)
		p := payloadOf[*smooch.MessagePayload](t, e, smooch.WebhookTriggerMessageAppUser)
		require.Len(t, p.Messages, 2)
		assert.Equal(t, "Hi", p.Messages[0].Text)
		assert.Equal(t, smooch.MessageActionType("webview"), p.Messages[0].Actions[0].Type, "an unknown action type is kept")
		assert.False(t, p.Messages[0].Actions[0].Type.Valid())
		assert.Nil(t, p.Messages[0].Raw)
		form2 := p.Messages[1]
		assert.Equal(t, smooch.MessageType("form"), form2.Type)
		assert.False(t, form2.Type.Valid())
		assert.Equal(t, "m2", form2.ID)
		assert.JSONEq(t, form, string(form2.Raw))
		assert.Contains(t, fmt.Sprintf("%v", form2), `"fields":[{"name":"email"}]`, "Raw prints as JSON text")
	})
	for _, tc := range []struct{ name, body, want string }{
		{"not JSON", `{"trigger":`, "unexpected end of JSON input"},
		{"not an object", `["message:appUser"]`, "cannot unmarshal array"},
		{"no trigger", `{"app":{"_id":"a"}}`, "no trigger"},
		{"a trigger that is not a string", `{"trigger":7}`, "cannot unmarshal number"},
		{"a known trigger with members of the wrong type", `{"trigger":"message:appUser","messages":"Hi"}`, "decoding a message:appUser webhook payload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var e smooch.WebhookEvent
			err := json.Unmarshal([]byte(tc.body), &e)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestWebhookEventsPrintAndLogTheirContent: an event prints its head and payload (not its raw copy), logs what
// tells events apart, and times print as times.
func TestWebhookEventsPrintAndLogTheirContent(t *testing.T) {
	var e smooch.WebhookEvent
	require.NoError(t, json.Unmarshal(webhookExamples(t)["deliveryFailure"], &e))
	printed := fmt.Sprintf("%+v", e)
	assert.Contains(t, printed, "Trigger:delivery:failure")
	assert.Contains(t, printed, "Timestamp:2016-11-24T15:35:11.941Z")
	assert.Contains(t, printed, "Code:unauthorized")
	assert.NotContains(t, printed, `"trigger"`, "Raw is not printed")
	assert.Contains(t, fmt.Sprintf("%#v", e), "smooch.WebhookEvent{Trigger:")
	assert.Equal(t, "0", smooch.Timestamp(0).String())
	assert.True(t, smooch.Timestamp(0).Time().IsZero())
	logged := e.LogValue().String()
	for _, want := range []string{"delivery:failure", "575040549a38df8fb4eb1e51", "de13bee15b51033b34162411", "2016-11-24"} {
		assert.Contains(t, logged, want)
	}
	assert.NotContains(t, logged, "Hi! Do you have time to chat?", "the log leaves the messages out")
}
