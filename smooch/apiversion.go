package smooch

import (
	"fmt"
	"strings"
)

// APIVersion is a version of the Smooch API, the first segment of every request's path: /v1/apps or
// /v1.1/apps. Both serve the same operations with the same bodies; v1.1 adds operations of its own (the WhatsApp
// deployments, the integration profile's read and photo, the SDK ids) and pages the integration list. A webhook
// receives the payload version of the path it was created through.
type APIVersion string

const (
	// APIVersion1 is /v1, the API's version until 2018, and the client's default: an SDK upgrade does not change
	// what existing calls send, nor the payload version of the webhooks they create.
	APIVersion1 APIVersion = "v1"
	// APIVersion1_1 is /v1.1, the version the vendor extended from 2018 to 2021. Choose it with
	// WithAPIVersion(APIVersion1_1) for the operations only v1.1 serves, the paged integration list, and the
	// v1.1 payloads of the webhooks the client creates.
	APIVersion1_1 APIVersion = "v1.1"
)

// Valid reports whether v is a version the API serves.
func (v APIVersion) Valid() bool { return v == APIVersion1 || v == APIVersion1_1 }

// WithAPIVersion sends requests to version v of the API (APIVersion1 or APIVersion1_1) instead of the default,
// APIVersion1. Given to New it applies to every call; given to a method, to that call. An operation the version
// does not serve (Deployments.Create under v1) is refused before anything is sent, with a *ValidationError
// naming the versions that serve it.
func WithAPIVersion(v APIVersion) Option {
	return func(c *config) error {
		if !v.Valid() {
			return optionError("WithAPIVersion", "version", "is %q: want %q or %q", string(v), APIVersion1, APIVersion1_1)
		}
		c.apiVersion = v
		return nil
	}
}

// serves reports whether op is served under version v: every operation of v1 is served under both versions,
// those v1.1 added under v1.1 only.
func (op operation) serves(v APIVersion) bool {
	if len(op.versions) == 0 {
		return true
	}
	for _, have := range op.versions {
		if have == v {
			return true
		}
	}
	return false
}

// checkVersion refuses, before sending, an operation the call's version does not serve.
func (op operation) checkVersion(v APIVersion) error {
	if op.serves(v) {
		return nil
	}
	names := make([]string, len(op.versions))
	for i, have := range op.versions {
		names[i] = string(have)
	}
	return &ValidationError{Subject: op.method, Field: "API version", Problem: fmt.Sprintf(
		"is %s, which does not serve it: only %s does (pass smooch.WithAPIVersion(smooch.APIVersion1_1) to New or to the call)",
		v, strings.Join(names, " and "))}
}
