package smoochtest

import (
	"context"
	"fmt"

	"github.com/smoochkit/smooch-go/gen"
)

// The app-scope paths: /v1/webhooks, /v1/webhooks/{webhookId} and /v1/menu, the form the 2017 reference
// documents for app-scoped tokens and Smooch's own JavaScript client of the v1 era (smooch-core) still sends.
// The app is the one whose key signed the token (authn has refused every other scope: the contract declares
// them for scope app only), and each operation is served by its /v1/apps/{appId} form, so that both answer
// alike whatever either learns.

// tokenApp is the app of the request's app-scoped token.
func tokenApp(ctx context.Context) string { return principalFrom(ctx).appID }

// unexpectedAnswer is a handler's answer that its app-scope form cannot convert: a change of one operation
// that the other did not follow.
func unexpectedAnswer(op string, answer any) error {
	return fmt.Errorf("smoochtest: %s answered %T, which its app-scope form does not convert", op, answer)
}

func (b *backend) ListAppScopeWebhooks(ctx context.Context, _ gen.ListAppScopeWebhooksRequestObject) (gen.ListAppScopeWebhooksResponseObject, error) {
	answer, err := b.ListWebhooks(ctx, gen.ListWebhooksRequestObject{AppID: tokenApp(ctx)})
	if err != nil {
		return nil, err
	}
	ok, is := answer.(gen.ListWebhooks200JSONResponse)
	if !is {
		return nil, unexpectedAnswer("listWebhooks", answer)
	}
	return gen.ListAppScopeWebhooks200JSONResponse(ok), nil
}

func (b *backend) CreateAppScopeWebhook(ctx context.Context, req gen.CreateAppScopeWebhookRequestObject) (gen.CreateAppScopeWebhookResponseObject, error) {
	answer, err := b.CreateWebhook(ctx, gen.CreateWebhookRequestObject{AppID: tokenApp(ctx), Body: req.Body})
	if err != nil {
		return nil, err
	}
	ok, is := answer.(gen.CreateWebhook201JSONResponse)
	if !is {
		return nil, unexpectedAnswer("createWebhook", answer)
	}
	return gen.CreateAppScopeWebhook201JSONResponse(ok), nil
}

func (b *backend) GetAppScopeWebhook(ctx context.Context, req gen.GetAppScopeWebhookRequestObject) (gen.GetAppScopeWebhookResponseObject, error) {
	answer, err := b.GetWebhook(ctx, gen.GetWebhookRequestObject{AppID: tokenApp(ctx), WebhookID: req.WebhookID})
	if err != nil {
		return nil, err
	}
	ok, is := answer.(gen.GetWebhook200JSONResponse)
	if !is {
		return nil, unexpectedAnswer("getWebhook", answer)
	}
	return gen.GetAppScopeWebhook200JSONResponse(ok), nil
}

func (b *backend) UpdateAppScopeWebhook(ctx context.Context, req gen.UpdateAppScopeWebhookRequestObject) (gen.UpdateAppScopeWebhookResponseObject, error) {
	answer, err := b.UpdateWebhook(ctx, gen.UpdateWebhookRequestObject{AppID: tokenApp(ctx), WebhookID: req.WebhookID, Body: req.Body})
	if err != nil {
		return nil, err
	}
	ok, is := answer.(gen.UpdateWebhook200JSONResponse)
	if !is {
		return nil, unexpectedAnswer("updateWebhook", answer)
	}
	return gen.UpdateAppScopeWebhook200JSONResponse(ok), nil
}

func (b *backend) DeleteAppScopeWebhook(ctx context.Context, req gen.DeleteAppScopeWebhookRequestObject) (gen.DeleteAppScopeWebhookResponseObject, error) {
	answer, err := b.DeleteWebhook(ctx, gen.DeleteWebhookRequestObject{AppID: tokenApp(ctx), WebhookID: req.WebhookID})
	if err != nil {
		return nil, err
	}
	if _, is := answer.(gen.DeleteWebhook200JSONResponse); !is {
		return nil, unexpectedAnswer("deleteWebhook", answer)
	}
	return gen.DeleteAppScopeWebhook200JSONResponse{}, nil
}

func (b *backend) GetAppScopeMenu(ctx context.Context, _ gen.GetAppScopeMenuRequestObject) (gen.GetAppScopeMenuResponseObject, error) {
	answer, err := b.GetAppMenu(ctx, gen.GetAppMenuRequestObject{AppID: tokenApp(ctx)})
	if err != nil {
		return nil, err
	}
	ok, is := answer.(gen.GetAppMenu200JSONResponse)
	if !is {
		return nil, unexpectedAnswer("getAppMenu", answer)
	}
	return gen.GetAppScopeMenu200JSONResponse(ok), nil
}

func (b *backend) UpdateAppScopeMenu(ctx context.Context, req gen.UpdateAppScopeMenuRequestObject) (gen.UpdateAppScopeMenuResponseObject, error) {
	answer, err := b.UpdateAppMenu(ctx, gen.UpdateAppMenuRequestObject{AppID: tokenApp(ctx), Body: req.Body})
	if err != nil {
		return nil, err
	}
	ok, is := answer.(gen.UpdateAppMenu200JSONResponse)
	if !is {
		return nil, unexpectedAnswer("updateAppMenu", answer)
	}
	return gen.UpdateAppScopeMenu200JSONResponse(ok), nil
}

func (b *backend) DeleteAppScopeMenu(ctx context.Context, _ gen.DeleteAppScopeMenuRequestObject) (gen.DeleteAppScopeMenuResponseObject, error) {
	answer, err := b.DeleteAppMenu(ctx, gen.DeleteAppMenuRequestObject{AppID: tokenApp(ctx)})
	if err != nil {
		return nil, err
	}
	ok, is := answer.(gen.DeleteAppMenu200JSONResponse)
	if !is {
		return nil, unexpectedAnswer("deleteAppMenu", answer)
	}
	return gen.DeleteAppScopeMenu200JSONResponse(ok), nil
}
