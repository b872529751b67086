// Package openapi embeds the Smooch contract (smooch.yaml) and validates HTTP
// traffic against it with kin-openapi.
//
// Only tests and tools import this package: the smooch client never does, so
// users of the client do not link kin-openapi. smoochtest, the contract suite
// and the contract's own tests share this one loader and validator, so they all
// judge traffic by the same rules.
package openapi

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// YAML is the contract, openapi/smooch.yaml, as committed.
//
//go:embed smooch.yaml
var YAML []byte

// Load parses the embedded contract and validates it, examples included.
func Load() (*openapi3.T, error) { return LoadData(YAML) }

// LoadData parses a contract given as YAML or JSON and validates it, examples
// included. It is Load for a contract other than the embedded one, such as a
// user's edited copy passed to the conformance CLI.
func LoadData(data []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse smooch.yaml: %w", err)
	}
	ctx := context.Background()
	if err := doc.Validate(ctx, openapi3.EnableExamplesValidation(), openapi3.AllowExtensionsWithRef()); err != nil {
		return nil, fmt.Errorf("openapi: smooch.yaml is not a valid OpenAPI document: %w", err)
	}
	return doc, nil
}
