//go:build tools

// Package tools pins the versions of the tools every contributor and CI run:
// the code generator (`make generate`, `make check-generated`), the linter
// (`make lint`), benchstat (`make bench`), and the diff tools: oasdiff's CLI
// (`make contract-diff`) and golang.org/x/exp's apidiff CLI (`make api-diff`).
// `go run` / `go build` resolve them through go.mod, so nobody installs them
// by hand and everyone runs the same version.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
	_ "github.com/oasdiff/oasdiff"
	_ "golang.org/x/exp/cmd/apidiff"
	_ "golang.org/x/perf/cmd/benchstat"
	_ "honnef.co/go/tools/cmd/staticcheck"
)
