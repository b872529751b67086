//go:build tools

// Package tools pins the versions of the tools every contributor and CI run:
// the code generator (`make generate`, `make check-generated`), the linter
// (`make lint`), benchstat (`make bench`) and golang.org/x/exp's apidiff CLI
// (`make api-diff`). `go run` / `go build` resolve them through go.mod, so
// nobody installs them by hand and everyone runs the same version.
//
// The contract diff needs no line here: cmd/contract-diff imports oasdiff, so
// go.mod pins its version as it pins every other dependency.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
	_ "golang.org/x/exp/cmd/apidiff"
	_ "golang.org/x/perf/cmd/benchstat"
	_ "honnef.co/go/tools/cmd/staticcheck"
)
