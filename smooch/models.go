package smooch

// The models users handle (App, SecretKey, Webhook, each channel's builder and integration, …) are generated
// from the contract into models.gen.go: `make generate` after editing openapi/smooch.yaml. This file holds what
// the contract cannot say.

// Ptr returns a pointer to v, for the optional fields whose absence differs from their zero value, e.g.
// AppSettings{MaskCreditCardNumbers: smooch.Ptr(false)}.
func Ptr[T any](v T) *T { return &v }

// Credentials returns credentials signing with this key: AppKey for an app key, AccountKey for a service
// account key.
func (k SecretKey) Credentials() Credentials {
	if kindOfKey(k.ID) == keyApp {
		return AppKey(k.ID, k.Secret)
	}
	return AccountKey(k.ID, k.Secret)
}
