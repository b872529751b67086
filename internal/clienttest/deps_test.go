package clienttest_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// What a program importing only the client links. The repository also holds the contract validator
// (kin-openapi), the contract suite (go-vcr), the test helpers (testify) and the pinned tools (oapi-codegen,
// staticcheck): none of it may reach a user's binary through package smooch.
var (
	forbiddenDeps = map[string]string{
		"github.com/getkin/":                               "kin-openapi (the contract validator)",
		"github.com/dnaeon/go-vcr":                         "go-vcr (the contract suite)",
		"gopkg.in/dnaeon/go-vcr":                           "go-vcr (the contract suite)",
		"github.com/stretchr/testify":                      "testify (tests only)",
		"github.com/oapi-codegen/":                         "the code generator and its runtime (the client builds its own requests)",
		"github.com/smoochkit/smooch-go/gen":               "the generated client and server (smooch has its own models)",
		"honnef.co/go/tools":                               "staticcheck (a tool)",
		"github.com/smoochkit/smooch-go/openapi":           "the contract and its validator",
		"github.com/smoochkit/smooch-go/conformance":       "the contract suite",
		"github.com/smoochkit/smooch-go/smooch/smoochtest": "the in-memory fake",
	}
	// Every module outside the standard library that the client may link. A new one is a decision: add it
	// here in the same change that adds the dependency, and say why in the commit.
	allowedModules = []string{
		"github.com/smoochkit/smooch-go/smooch", // smooch itself: its models are generated into it, its requests built from its operation table
		"github.com/golang-jwt/jwt/v5",          // signing the JWT
	}
)

func TestTheClientLinksOnlyWhatItNeeds(t *testing.T) {
	goCmd, err := exec.LookPath("go") // go test puts its own GOROOT/bin first on PATH
	if err != nil {
		t.Fatalf("the go command is needed to list the client's dependencies: %v", err)
	}
	// Listed from inside the smooch module, with its own go.mod: what a user's build of it sees.
	list := exec.Command(goCmd, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}} {{with .Module}}{{.Path}}{{end}}{{end}}",
		"github.com/smoochkit/smooch-go/smooch")
	list.Dir = smoochDir
	out, err := list.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list -deps: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list -deps: %v", err)
	}
	var pkgs []string
	for line := range strings.Lines(string(out)) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		pkg, module, _ := strings.Cut(line, " ")
		pkgs = append(pkgs, pkg)
		for prefix, what := range forbiddenDeps {
			if strings.HasPrefix(pkg, prefix) {
				t.Errorf("package smooch links %s: %s", pkg, what)
			}
		}
		if !slices.Contains(allowedModules, module) {
			t.Errorf("package smooch links %s from module %q, which is not in allowedModules", pkg, module)
		}
	}
	// The listing really ran: the client and the JWT library it does need are in it.
	for _, want := range []string{"github.com/smoochkit/smooch-go/smooch", "github.com/golang-jwt/jwt/v5"} {
		if !slices.Contains(pkgs, want) {
			t.Errorf("go list -deps does not list %s; got %q", want, pkgs)
		}
	}
	t.Logf("package smooch links %d packages outside the standard library: %s", len(pkgs), strings.Join(pkgs, " "))
}
