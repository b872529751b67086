package smooch

import (
	"net/http"
	"net/url"
	"strings"
)

// operation describes one operation of the contract: what the caller needs to call it. The table mirrors the
// contract's x-smooch-scopes and x-smooch-user-account-only; a test compares it with openapi/smooch.yaml.
type operation struct {
	id              string  // the contract's operationId
	method          string  // the Go method, e.g. "Apps.Create", as errors name it
	httpMethod      string  // the contract's method, e.g. "POST"
	path            string  // the contract's path, e.g. "/v1/apps/{appId}": its {parameters} name the ids a call takes
	scopes          []Scope // x-smooch-scopes
	userAccountOnly bool    // x-smooch-user-account-only
}

var (
	accountOnly    = []Scope{ScopeAccount}
	accountOrApp   = []Scope{ScopeAccount, ScopeApp}
	opCreateApp    = operation{"createApp", "Apps.Create", http.MethodPost, "/v1/apps", accountOnly, false}
	opListApps     = operation{"listApps", "Apps.List", http.MethodGet, "/v1/apps", accountOnly, false}
	opGetApp       = operation{"getApp", "Apps.Get", http.MethodGet, "/v1/apps/{appId}", accountOnly, false}
	opUpdateApp    = operation{"updateApp", "Apps.Update", http.MethodPut, "/v1/apps/{appId}", accountOnly, false}
	opDeleteApp    = operation{"deleteApp", "Apps.Delete", http.MethodDelete, "/v1/apps/{appId}", accountOnly, false}
	opCreateAppKey = operation{"createAppKey", "AppKeys.Create", http.MethodPost, "/v1/apps/{appId}/keys", accountOnly, false}
	opListAppKeys  = operation{"listAppKeys", "AppKeys.List", http.MethodGet, "/v1/apps/{appId}/keys", accountOnly, false}
	opGetAppKey    = operation{"getAppKey", "AppKeys.Get", http.MethodGet, "/v1/apps/{appId}/keys/{keyId}", accountOnly, false}
	opDeleteAppKey = operation{"deleteAppKey", "AppKeys.Delete", http.MethodDelete, "/v1/apps/{appId}/keys/{keyId}", accountOnly, false}
	opGetAppKeyJWT = operation{"getAppKeyJWT", "AppKeys.JWT", http.MethodGet, "/v1/apps/{appId}/keys/{keyId}/jwt", accountOnly, false}

	opCreateServiceAccount    = operation{"createServiceAccount", "ServiceAccounts.Create", http.MethodPost, "/v1/serviceaccounts", accountOnly, true}
	opListServiceAccounts     = operation{"listServiceAccounts", "ServiceAccounts.List", http.MethodGet, "/v1/serviceaccounts", accountOnly, true}
	opGetServiceAccount       = operation{"getServiceAccount", "ServiceAccounts.Get", http.MethodGet, "/v1/serviceaccounts/{serviceAccountId}", accountOnly, true}
	opUpdateServiceAccount    = operation{"updateServiceAccount", "ServiceAccounts.Update", http.MethodPut, "/v1/serviceaccounts/{serviceAccountId}", accountOnly, true}
	opDeleteServiceAccount    = operation{"deleteServiceAccount", "ServiceAccounts.Delete", http.MethodDelete, "/v1/serviceaccounts/{serviceAccountId}", accountOnly, true}
	opCreateServiceAccountKey = operation{"createServiceAccountKey", "ServiceAccountKeys.Create", http.MethodPost, "/v1/serviceaccounts/{serviceAccountId}/keys", accountOnly, true}
	opListServiceAccountKeys  = operation{"listServiceAccountKeys", "ServiceAccountKeys.List", http.MethodGet, "/v1/serviceaccounts/{serviceAccountId}/keys", accountOnly, true}
	opGetServiceAccountKey    = operation{"getServiceAccountKey", "ServiceAccountKeys.Get", http.MethodGet, "/v1/serviceaccounts/{serviceAccountId}/keys/{keyId}", accountOnly, true}
	opDeleteServiceAccountKey = operation{"deleteServiceAccountKey", "ServiceAccountKeys.Delete", http.MethodDelete, "/v1/serviceaccounts/{serviceAccountId}/keys/{keyId}", accountOnly, true}
	opGetServiceAccountKeyJWT = operation{"getServiceAccountKeyJWT", "ServiceAccountKeys.JWT", http.MethodGet, "/v1/serviceaccounts/{serviceAccountId}/keys/{keyId}/jwt", accountOnly, true}

	opCreateIntegration = operation{"createIntegration", "Integrations.Create", http.MethodPost, "/v1/apps/{appId}/integrations", accountOnly, false}
	opListIntegrations  = operation{"listIntegrations", "Integrations.List", http.MethodGet, "/v1/apps/{appId}/integrations", accountOnly, false}
	opGetIntegration    = operation{"getIntegration", "Integrations.Get", http.MethodGet, "/v1/apps/{appId}/integrations/{integrationId}", accountOnly, false}
	opDeleteIntegration = operation{"deleteIntegration", "Integrations.Delete", http.MethodDelete, "/v1/apps/{appId}/integrations/{integrationId}", accountOnly, false}
	opUpdateIntegration = operation{"updateIntegration", "Integrations.Update", http.MethodPut, "/v1/apps/{appId}/integrations/{integrationId}", accountOnly, false}

	opUpdateIntegrationProfile = operation{"updateIntegrationProfile", "Integrations.UpdateProfile", http.MethodPut, "/v1/apps/{appId}/integrations/{integrationId}/profile", accountOnly, false}

	opGetAppMenu    = operation{"getAppMenu", "Menus.Get", http.MethodGet, "/v1/apps/{appId}/menu", accountOrApp, false}
	opUpdateAppMenu = operation{"updateAppMenu", "Menus.Set", http.MethodPut, "/v1/apps/{appId}/menu", accountOrApp, false}
	opDeleteAppMenu = operation{"deleteAppMenu", "Menus.Remove", http.MethodDelete, "/v1/apps/{appId}/menu", accountOrApp, false}

	opGetIntegrationMenu    = operation{"getIntegrationMenu", "IntegrationMenus.Get", http.MethodGet, "/v1/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false}
	opCreateIntegrationMenu = operation{"createIntegrationMenu", "IntegrationMenus.Create", http.MethodPost, "/v1/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false}
	opUpdateIntegrationMenu = operation{"updateIntegrationMenu", "IntegrationMenus.Update", http.MethodPut, "/v1/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false}
	opDeleteIntegrationMenu = operation{"deleteIntegrationMenu", "IntegrationMenus.Delete", http.MethodDelete, "/v1/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false}

	opCreateWebhook = operation{"createWebhook", "Webhooks.Create", http.MethodPost, "/v1/apps/{appId}/webhooks", accountOrApp, false}
	opListWebhooks  = operation{"listWebhooks", "Webhooks.List", http.MethodGet, "/v1/apps/{appId}/webhooks", accountOrApp, false}
	opGetWebhook    = operation{"getWebhook", "Webhooks.Get", http.MethodGet, "/v1/apps/{appId}/webhooks/{webhookId}", accountOrApp, false}
	opUpdateWebhook = operation{"updateWebhook", "Webhooks.Update", http.MethodPut, "/v1/apps/{appId}/webhooks/{webhookId}", accountOrApp, false}
	opDeleteWebhook = operation{"deleteWebhook", "Webhooks.Delete", http.MethodDelete, "/v1/apps/{appId}/webhooks/{webhookId}", accountOrApp, false}
)

// allOperations is every operation of the contract, for the test that holds the table to it.
var allOperations = []operation{
	opCreateApp, opListApps, opGetApp, opUpdateApp, opDeleteApp,
	opCreateAppKey, opListAppKeys, opGetAppKey, opDeleteAppKey, opGetAppKeyJWT,
	opCreateServiceAccount, opListServiceAccounts, opGetServiceAccount, opUpdateServiceAccount, opDeleteServiceAccount,
	opCreateServiceAccountKey, opListServiceAccountKeys, opGetServiceAccountKey, opDeleteServiceAccountKey, opGetServiceAccountKeyJWT,
	opCreateIntegration, opListIntegrations, opGetIntegration, opUpdateIntegration, opDeleteIntegration,
	opUpdateIntegrationProfile,
	opGetAppMenu, opUpdateAppMenu, opDeleteAppMenu,
	opGetIntegrationMenu, opCreateIntegrationMenu, opUpdateIntegrationMenu, opDeleteIntegrationMenu,
	opCreateWebhook, opListWebhooks, opGetWebhook, opUpdateWebhook, opDeleteWebhook,
}

// pathParams calls visit with each of op's path parameters in order, as the contract's path spells them
// ("appId", "keyId"), and the literal text before it.
func (op operation) pathParams(visit func(literal, name string)) (tail string) {
	rest := op.path
	for {
		literal, after, ok := strings.Cut(rest, "{")
		if !ok {
			return rest
		}
		name, next, _ := strings.Cut(after, "}")
		visit(literal, name)
		rest = next
	}
}

// requestPath is op's path with its parameters filled by ids, in order, each escaped as one segment. begin
// has checked the ids: none is empty or a dot segment, which no escaping keeps in its place.
func (op operation) requestPath(ids []string) string {
	if len(ids) == 0 {
		return op.path
	}
	var b strings.Builder
	b.Grow(len(op.path) + 32*len(ids))
	i := 0
	tail := op.pathParams(func(literal, _ string) {
		b.WriteString(literal)
		b.WriteString(url.PathEscape(ids[i]))
		i++
	})
	b.WriteString(tail)
	return b.String()
}

// permit reports, before a request is sent, whether the client's credentials can call op. When the scope is
// unknown (a ready-made token that does not tell) it lets the API decide.
func (a access) permit(op operation) error {
	if a.scope == "" {
		return nil
	}
	ok := false
	for _, s := range op.scopes {
		if s == a.scope {
			ok = true
			break
		}
	}
	if !ok {
		return &ScopeError{Operation: op.method, Needs: op.scopes, Have: a.scope}
	}
	if op.userAccountOnly && a.kind == keyServiceAccount {
		return &ScopeError{Operation: op.method, Needs: op.scopes, Have: a.scope, UserAccountOnly: true}
	}
	return nil
}
