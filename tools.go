//go:build tools

// Package tools pins the versions of the tools every contributor and CI run:
// the code generator (`make generate`, `make check-generated`), the linter
// (`make lint`) and benchstat (`make bench`). `go run` resolves them through
// go.mod, so nobody installs them by hand and everyone runs the same version.
//
// The diff tools need no line here: cmd/contract-diff imports oasdiff and
// cmd/api-diff imports golang.org/x/exp/apidiff, so go.mod pins their versions
// as it pins every other dependency, and `make contract-diff` /
// `make api-diff` run the same for everyone.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
	_ "golang.org/x/perf/cmd/benchstat"
	_ "honnef.co/go/tools/cmd/staticcheck"
)
