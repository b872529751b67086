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
	path            string  // the contract's path, e.g. "/{apiVersion}/apps/{appId}": its other {parameters} name the ids a call takes
	scopes          []Scope // x-smooch-scopes
	userAccountOnly bool    // x-smooch-user-account-only
	// versions are the API versions that serve the operation, as its apiVersion parameter's enum lists them;
	// nil for every version.
	versions []APIVersion
}

var (
	accountOnly    = []Scope{ScopeAccount}
	accountOrApp   = []Scope{ScopeAccount, ScopeApp}
	opCreateApp    = operation{"createApp", "Apps.Create", http.MethodPost, "/{apiVersion}/apps", accountOnly, false, nil}
	opListApps     = operation{"listApps", "Apps.List", http.MethodGet, "/{apiVersion}/apps", accountOnly, false, nil}
	opGetApp       = operation{"getApp", "Apps.Get", http.MethodGet, "/{apiVersion}/apps/{appId}", accountOnly, false, nil}
	opUpdateApp    = operation{"updateApp", "Apps.Update", http.MethodPut, "/{apiVersion}/apps/{appId}", accountOnly, false, nil}
	opDeleteApp    = operation{"deleteApp", "Apps.Delete", http.MethodDelete, "/{apiVersion}/apps/{appId}", accountOnly, false, nil}
	opCreateAppKey = operation{"createAppKey", "AppKeys.Create", http.MethodPost, "/{apiVersion}/apps/{appId}/keys", accountOnly, false, nil}
	opListAppKeys  = operation{"listAppKeys", "AppKeys.List", http.MethodGet, "/{apiVersion}/apps/{appId}/keys", accountOnly, false, nil}
	opGetAppKey    = operation{"getAppKey", "AppKeys.Get", http.MethodGet, "/{apiVersion}/apps/{appId}/keys/{keyId}", accountOnly, false, nil}
	opDeleteAppKey = operation{"deleteAppKey", "AppKeys.Delete", http.MethodDelete, "/{apiVersion}/apps/{appId}/keys/{keyId}", accountOnly, false, nil}
	opGetAppKeyJWT = operation{"getAppKeyJWT", "AppKeys.JWT", http.MethodGet, "/{apiVersion}/apps/{appId}/keys/{keyId}/jwt", accountOnly, false, nil}

	opCreateServiceAccount    = operation{"createServiceAccount", "ServiceAccounts.Create", http.MethodPost, "/{apiVersion}/serviceaccounts", accountOnly, true, nil}
	opListServiceAccounts     = operation{"listServiceAccounts", "ServiceAccounts.List", http.MethodGet, "/{apiVersion}/serviceaccounts", accountOnly, true, nil}
	opGetServiceAccount       = operation{"getServiceAccount", "ServiceAccounts.Get", http.MethodGet, "/{apiVersion}/serviceaccounts/{serviceAccountId}", accountOnly, true, nil}
	opUpdateServiceAccount    = operation{"updateServiceAccount", "ServiceAccounts.Update", http.MethodPut, "/{apiVersion}/serviceaccounts/{serviceAccountId}", accountOnly, true, nil}
	opDeleteServiceAccount    = operation{"deleteServiceAccount", "ServiceAccounts.Delete", http.MethodDelete, "/{apiVersion}/serviceaccounts/{serviceAccountId}", accountOnly, true, nil}
	opCreateServiceAccountKey = operation{"createServiceAccountKey", "ServiceAccountKeys.Create", http.MethodPost, "/{apiVersion}/serviceaccounts/{serviceAccountId}/keys", accountOnly, true, nil}
	opListServiceAccountKeys  = operation{"listServiceAccountKeys", "ServiceAccountKeys.List", http.MethodGet, "/{apiVersion}/serviceaccounts/{serviceAccountId}/keys", accountOnly, true, nil}
	opGetServiceAccountKey    = operation{"getServiceAccountKey", "ServiceAccountKeys.Get", http.MethodGet, "/{apiVersion}/serviceaccounts/{serviceAccountId}/keys/{keyId}", accountOnly, true, nil}
	opDeleteServiceAccountKey = operation{"deleteServiceAccountKey", "ServiceAccountKeys.Delete", http.MethodDelete, "/{apiVersion}/serviceaccounts/{serviceAccountId}/keys/{keyId}", accountOnly, true, nil}
	opGetServiceAccountKeyJWT = operation{"getServiceAccountKeyJWT", "ServiceAccountKeys.JWT", http.MethodGet, "/{apiVersion}/serviceaccounts/{serviceAccountId}/keys/{keyId}/jwt", accountOnly, true, nil}

	opCreateIntegration = operation{"createIntegration", "Integrations.Create", http.MethodPost, "/{apiVersion}/apps/{appId}/integrations", accountOnly, false, nil}
	opListIntegrations  = operation{"listIntegrations", "Integrations.List", http.MethodGet, "/{apiVersion}/apps/{appId}/integrations", accountOnly, false, nil}
	opGetIntegration    = operation{"getIntegration", "Integrations.Get", http.MethodGet, "/{apiVersion}/apps/{appId}/integrations/{integrationId}", accountOnly, false, nil}
	opDeleteIntegration = operation{"deleteIntegration", "Integrations.Delete", http.MethodDelete, "/{apiVersion}/apps/{appId}/integrations/{integrationId}", accountOnly, false, nil}
	opUpdateIntegration = operation{"updateIntegration", "Integrations.Update", http.MethodPut, "/{apiVersion}/apps/{appId}/integrations/{integrationId}", accountOnly, false, nil}

	opUpdateIntegrationProfile = operation{"updateIntegrationProfile", "Integrations.UpdateProfile", http.MethodPut, "/{apiVersion}/apps/{appId}/integrations/{integrationId}/profile", accountOnly, false, nil}

	opGetAppMenu    = operation{"getAppMenu", "Menus.Get", http.MethodGet, "/{apiVersion}/apps/{appId}/menu", accountOrApp, false, nil}
	opUpdateAppMenu = operation{"updateAppMenu", "Menus.Set", http.MethodPut, "/{apiVersion}/apps/{appId}/menu", accountOrApp, false, nil}
	opDeleteAppMenu = operation{"deleteAppMenu", "Menus.Remove", http.MethodDelete, "/{apiVersion}/apps/{appId}/menu", accountOrApp, false, nil}

	opGetIntegrationMenu    = operation{"getIntegrationMenu", "IntegrationMenus.Get", http.MethodGet, "/{apiVersion}/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false, nil}
	opCreateIntegrationMenu = operation{"createIntegrationMenu", "IntegrationMenus.Create", http.MethodPost, "/{apiVersion}/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false, nil}
	opUpdateIntegrationMenu = operation{"updateIntegrationMenu", "IntegrationMenus.Update", http.MethodPut, "/{apiVersion}/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false, nil}
	opDeleteIntegrationMenu = operation{"deleteIntegrationMenu", "IntegrationMenus.Delete", http.MethodDelete, "/{apiVersion}/apps/{appId}/integrations/{integrationId}/menu", accountOnly, false, nil}

	opCreateWebhook = operation{"createWebhook", "Webhooks.Create", http.MethodPost, "/{apiVersion}/apps/{appId}/webhooks", accountOrApp, false, nil}
	opListWebhooks  = operation{"listWebhooks", "Webhooks.List", http.MethodGet, "/{apiVersion}/apps/{appId}/webhooks", accountOrApp, false, nil}
	opGetWebhook    = operation{"getWebhook", "Webhooks.Get", http.MethodGet, "/{apiVersion}/apps/{appId}/webhooks/{webhookId}", accountOrApp, false, nil}
	opUpdateWebhook = operation{"updateWebhook", "Webhooks.Update", http.MethodPut, "/{apiVersion}/apps/{appId}/webhooks/{webhookId}", accountOrApp, false, nil}
	opDeleteWebhook = operation{"deleteWebhook", "Webhooks.Delete", http.MethodDelete, "/{apiVersion}/apps/{appId}/webhooks/{webhookId}", accountOrApp, false, nil}

	// v1.1's operations, served under /v1.1 only.
	v11Only = []APIVersion{APIVersion1_1}

	opGetIntegrationProfile         = operation{"getIntegrationProfile", "Integrations.GetProfile", http.MethodGet, "/{apiVersion}/apps/{appId}/integrations/{integrationId}/profile", accountOnly, false, v11Only}
	opUploadIntegrationProfilePhoto = operation{"uploadIntegrationProfilePhoto", "Integrations.UploadProfilePhoto", http.MethodPut, "/{apiVersion}/apps/{appId}/integrations/{integrationId}/profile/photo", accountOnly, false, v11Only}
	opGetSdkIds                     = operation{"getSdkIds", "Integrations.SDKIntegrationIDs", http.MethodGet, "/{apiVersion}/apps/{appId}/sdks", accountOnly, false, v11Only}

	opCreateDeployment    = operation{"createDeployment", "Deployments.Create", http.MethodPost, "/{apiVersion}/whatsapp/deployments", accountOnly, false, v11Only}
	opListDeployments     = operation{"listDeployments", "Deployments.List", http.MethodGet, "/{apiVersion}/whatsapp/deployments", accountOnly, false, v11Only}
	opGetDeployment       = operation{"getDeployment", "Deployments.Get", http.MethodGet, "/{apiVersion}/whatsapp/deployments/{deploymentId}", accountOnly, false, v11Only}
	opDeleteDeployment    = operation{"deleteDeployment", "Deployments.Delete", http.MethodDelete, "/{apiVersion}/whatsapp/deployments/{deploymentId}", accountOnly, false, v11Only}
	opActivatePhoneNumber = operation{"activatePhoneNumber", "Deployments.ActivatePhoneNumber", http.MethodPost, "/{apiVersion}/whatsapp/deployments/{deploymentId}/activate", accountOnly, false, v11Only}
	opConfirmCode         = operation{"confirmCode", "Deployments.ConfirmCode", http.MethodPost, "/{apiVersion}/whatsapp/deployments/{deploymentId}/code/confirm", accountOnly, false, v11Only}
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
	opGetIntegrationProfile, opUploadIntegrationProfilePhoto, opGetSdkIds,
	opCreateDeployment, opListDeployments, opGetDeployment, opDeleteDeployment, opActivatePhoneNumber, opConfirmCode,
}

// versionParam is the path parameter that names the API version: the client fills it, it is no id.
const versionParam = "{apiVersion}"

// pathParams calls visit with each of op's path parameters in order, as the contract's path spells them
// ("appId", "keyId"), and the literal text before it; the API version is not one of them.
func (op operation) pathParams(visit func(literal, name string)) (tail string) {
	rest := strings.TrimPrefix(op.path, "/"+versionParam)
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

// requestPath is op's path under API version v, its parameters filled by ids, in order, each escaped as one
// segment. begin has checked the ids: none is empty or a dot segment, which no escaping keeps in its place.
func (op operation) requestPath(v APIVersion, ids []string) string {
	var b strings.Builder
	b.Grow(len(op.path) + 32*len(ids))
	b.WriteString("/")
	b.WriteString(string(v))
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
