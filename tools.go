//go:build tools

// Package tools pins the code generator's version in go.mod, so that
// `make generate` and `make check-generated` run the same oapi-codegen
// for every contributor and for CI.
//
// The diff tools need no line here: internal/cmd/contract-diff imports
// oasdiff and internal/cmd/api-diff imports golang.org/x/exp/apidiff, so
// go.mod pins their versions as it pins every other dependency, and
// `make contract-diff` / `make api-diff` run the same for everyone.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
