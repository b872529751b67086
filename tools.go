//go:build tools

// Package tools pins the code generator's version in go.mod, so that
// `make generate` and `make check-generated` run the same oapi-codegen
// for every contributor and for CI.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
