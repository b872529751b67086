package smooch

import "strings"

// operation describes one operation of the contract: what the caller needs to call it. The table mirrors the
// contract's x-smooch-scopes and x-smooch-user-account-only; a test compares it with openapi/smooch.yaml.
type operation struct {
	id              string  // the contract's operationId
	method          string  // the Go method, e.g. "Apps.Create", as errors name it
	path            string  // the contract's path, e.g. "/v1/apps/{appId}": its {parameters} name the ids a call takes
	scopes          []Scope // x-smooch-scopes
	userAccountOnly bool    // x-smooch-user-account-only
}

var (
	accountOnly    = []Scope{ScopeAccount}
	accountOrApp   = []Scope{ScopeAccount, ScopeApp}
	opCreateApp    = operation{"createApp", "Apps.Create", "/v1/apps", accountOnly, false}
	opListApps     = operation{"listApps", "Apps.List", "/v1/apps", accountOnly, false}
	opGetApp       = operation{"getApp", "Apps.Get", "/v1/apps/{appId}", accountOnly, false}
	opUpdateApp    = operation{"updateApp", "Apps.Update", "/v1/apps/{appId}", accountOnly, false}
	opDeleteApp    = operation{"deleteApp", "Apps.Delete", "/v1/apps/{appId}", accountOnly, false}
	opCreateAppKey = operation{"createAppKey", "AppKeys.Create", "/v1/apps/{appId}/keys", accountOnly, false}
	opListAppKeys  = operation{"listAppKeys", "AppKeys.List", "/v1/apps/{appId}/keys", accountOnly, false}
	opGetAppKey    = operation{"getAppKey", "AppKeys.Get", "/v1/apps/{appId}/keys/{keyId}", accountOnly, false}
	opDeleteAppKey = operation{"deleteAppKey", "AppKeys.Delete", "/v1/apps/{appId}/keys/{keyId}", accountOnly, false}
	opGetAppKeyJWT = operation{"getAppKeyJWT", "AppKeys.JWT", "/v1/apps/{appId}/keys/{keyId}/jwt", accountOnly, false}

	opCreateServiceAccount    = operation{"createServiceAccount", "ServiceAccounts.Create", "/v1/serviceaccounts", accountOnly, true}
	opListServiceAccounts     = operation{"listServiceAccounts", "ServiceAccounts.List", "/v1/serviceaccounts", accountOnly, true}
	opGetServiceAccount       = operation{"getServiceAccount", "ServiceAccounts.Get", "/v1/serviceaccounts/{serviceAccountId}", accountOnly, true}
	opUpdateServiceAccount    = operation{"updateServiceAccount", "ServiceAccounts.Update", "/v1/serviceaccounts/{serviceAccountId}", accountOnly, true}
	opDeleteServiceAccount    = operation{"deleteServiceAccount", "ServiceAccounts.Delete", "/v1/serviceaccounts/{serviceAccountId}", accountOnly, true}
	opCreateServiceAccountKey = operation{"createServiceAccountKey", "ServiceAccountKeys.Create", "/v1/serviceaccounts/{serviceAccountId}/keys", accountOnly, true}
	opListServiceAccountKeys  = operation{"listServiceAccountKeys", "ServiceAccountKeys.List", "/v1/serviceaccounts/{serviceAccountId}/keys", accountOnly, true}
	opGetServiceAccountKey    = operation{"getServiceAccountKey", "ServiceAccountKeys.Get", "/v1/serviceaccounts/{serviceAccountId}/keys/{keyId}", accountOnly, true}
	opDeleteServiceAccountKey = operation{"deleteServiceAccountKey", "ServiceAccountKeys.Delete", "/v1/serviceaccounts/{serviceAccountId}/keys/{keyId}", accountOnly, true}
	opGetServiceAccountKeyJWT = operation{"getServiceAccountKeyJWT", "ServiceAccountKeys.JWT", "/v1/serviceaccounts/{serviceAccountId}/keys/{keyId}/jwt", accountOnly, true}

	opCreateIntegration = operation{"createIntegration", "Integrations.Create", "/v1/apps/{appId}/integrations", accountOnly, false}
	opListIntegrations  = operation{"listIntegrations", "Integrations.List", "/v1/apps/{appId}/integrations", accountOnly, false}
	opGetIntegration    = operation{"getIntegration", "Integrations.Get", "/v1/apps/{appId}/integrations/{integrationId}", accountOnly, false}
	opDeleteIntegration = operation{"deleteIntegration", "Integrations.Delete", "/v1/apps/{appId}/integrations/{integrationId}", accountOnly, false}
	opUpdateIntegration = operation{"updateIntegration", "Integrations.Update", "/v1/apps/{appId}/integrations/{integrationId}", accountOnly, false}

	opUpdateIntegrationProfile = operation{"updateIntegrationProfile", "Integrations.UpdateProfile", "/v1/apps/{appId}/integrations/{integrationId}/profile", accountOnly, false}

	opGetAppMenu    = operation{"getAppMenu", "Menus.Get", "/v1/apps/{appId}/menu", accountOrApp, false}
	opUpdateAppMenu = operation{"updateAppMenu", "Menus.Set", "/v1/apps/{appId}/menu", accountOrApp, false}
	opDeleteAppMenu = operation{"deleteAppMenu", "Menus.Remove", "/v1/apps/{appId}/menu", accountOrApp, false}

	opGetIntegrationMenu    = operation{"getIntegrationMenu", "IntegrationMenus.Get", "/v1/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false}
	opCreateIntegrationMenu = operation{"createIntegrationMenu", "IntegrationMenus.Create", "/v1/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false}
	opUpdateIntegrationMenu = operation{"updateIntegrationMenu", "IntegrationMenus.Update", "/v1/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false}
	opDeleteIntegrationMenu = operation{"deleteIntegrationMenu", "IntegrationMenus.Delete", "/v1/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false}

	opCreateWebhook = operation{"createWebhook", "Webhooks.Create", "/v1/apps/{appId}/webhooks", accountOrApp, false}
	opListWebhooks  = operation{"listWebhooks", "Webhooks.List", "/v1/apps/{appId}/webhooks", accountOrApp, false}
	opGetWebhook    = operation{"getWebhook", "Webhooks.Get", "/v1/apps/{appId}/webhooks/{webhookId}", accountOrApp, false}
	opUpdateWebhook = operation{"updateWebhook", "Webhooks.Update", "/v1/apps/{appId}/webhooks/{webhookId}", accountOrApp, false}
	opDeleteWebhook = operation{"deleteWebhook", "Webhooks.Delete", "/v1/apps/{appId}/webhooks/{webhookId}", accountOrApp, false}
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

// pathParams names op's path parameters in order, as the contract's path spells them: "appId", "keyId".
func (op operation) pathParams() []string {
	var names []string
	for rest := op.path; ; {
		_, after, ok := strings.Cut(rest, "{")
		if !ok {
			return names
		}
		name, tail, _ := strings.Cut(after, "}")
		names = append(names, name)
		rest = tail
	}
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
