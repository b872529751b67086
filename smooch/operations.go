package smooch

// operation describes one operation of the contract: what the caller needs to call it. The table mirrors the
// contract's x-smooch-scopes and x-smooch-user-account-only; a test compares it with openapi/smooch.yaml.
type operation struct {
	id              string  // the contract's operationId
	method          string  // the Go method, e.g. "Apps.Create", as errors name it
	scopes          []Scope // x-smooch-scopes
	userAccountOnly bool    // x-smooch-user-account-only
}

var (
	accountOnly    = []Scope{ScopeAccount}
	accountOrApp   = []Scope{ScopeAccount, ScopeApp}
	opCreateApp    = operation{"createApp", "Apps.Create", accountOnly, false}
	opListApps     = operation{"listApps", "Apps.List", accountOnly, false}
	opGetApp       = operation{"getApp", "Apps.Get", accountOnly, false}
	opUpdateApp    = operation{"updateApp", "Apps.Update", accountOnly, false}
	opDeleteApp    = operation{"deleteApp", "Apps.Delete", accountOnly, false}
	opCreateAppKey = operation{"createAppKey", "AppKeys.Create", accountOnly, false}
	opListAppKeys  = operation{"listAppKeys", "AppKeys.List", accountOnly, false}
	opGetAppKey    = operation{"getAppKey", "AppKeys.Get", accountOnly, false}
	opDeleteAppKey = operation{"deleteAppKey", "AppKeys.Delete", accountOnly, false}
	opGetAppKeyJWT = operation{"getAppKeyJWT", "AppKeys.JWT", accountOnly, false}

	opCreateServiceAccount    = operation{"createServiceAccount", "ServiceAccounts.Create", accountOnly, true}
	opListServiceAccounts     = operation{"listServiceAccounts", "ServiceAccounts.List", accountOnly, true}
	opGetServiceAccount       = operation{"getServiceAccount", "ServiceAccounts.Get", accountOnly, true}
	opUpdateServiceAccount    = operation{"updateServiceAccount", "ServiceAccounts.Update", accountOnly, true}
	opDeleteServiceAccount    = operation{"deleteServiceAccount", "ServiceAccounts.Delete", accountOnly, true}
	opCreateServiceAccountKey = operation{"createServiceAccountKey", "ServiceAccountKeys.Create", accountOnly, true}
	opListServiceAccountKeys  = operation{"listServiceAccountKeys", "ServiceAccountKeys.List", accountOnly, true}
	opGetServiceAccountKey    = operation{"getServiceAccountKey", "ServiceAccountKeys.Get", accountOnly, true}
	opDeleteServiceAccountKey = operation{"deleteServiceAccountKey", "ServiceAccountKeys.Delete", accountOnly, true}
	opGetServiceAccountKeyJWT = operation{"getServiceAccountKeyJWT", "ServiceAccountKeys.JWT", accountOnly, true}

	opCreateIntegration = operation{"createIntegration", "Integrations.Create", accountOnly, false}
	opListIntegrations  = operation{"listIntegrations", "Integrations.List", accountOnly, false}
	opGetIntegration    = operation{"getIntegration", "Integrations.Get", accountOnly, false}
	opDeleteIntegration = operation{"deleteIntegration", "Integrations.Delete", accountOnly, false}

	opCreateWebhook = operation{"createWebhook", "Webhooks.Create", accountOrApp, false}
	opListWebhooks  = operation{"listWebhooks", "Webhooks.List", accountOrApp, false}
	opGetWebhook    = operation{"getWebhook", "Webhooks.Get", accountOrApp, false}
	opUpdateWebhook = operation{"updateWebhook", "Webhooks.Update", accountOrApp, false}
	opDeleteWebhook = operation{"deleteWebhook", "Webhooks.Delete", accountOrApp, false}
)

// allOperations is every operation of the contract, for the test that holds the table to it.
var allOperations = []operation{
	opCreateApp, opListApps, opGetApp, opUpdateApp, opDeleteApp,
	opCreateAppKey, opListAppKeys, opGetAppKey, opDeleteAppKey, opGetAppKeyJWT,
	opCreateServiceAccount, opListServiceAccounts, opGetServiceAccount, opUpdateServiceAccount, opDeleteServiceAccount,
	opCreateServiceAccountKey, opListServiceAccountKeys, opGetServiceAccountKey, opDeleteServiceAccountKey, opGetServiceAccountKeyJWT,
	opCreateIntegration, opListIntegrations, opGetIntegration, opDeleteIntegration,
	opCreateWebhook, opListWebhooks, opGetWebhook, opUpdateWebhook, opDeleteWebhook,
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
