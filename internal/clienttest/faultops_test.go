package clienttest_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/openapi"
)

// clientMethods reads package smooch's operation table (operations.go) from its source: operationId ->
// the Go method that sends it ("Apps.Create"). The table is unexported, and package smooch's own test holds
// it to the contract.
func clientMethods(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(smoochDir, "operations.go"), nil, 0)
	require.NoError(t, err)
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok || len(lit.Elts) < 2 {
			return true
		}
		if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "operation" {
			return true
		}
		var parts [2]string
		for i := range parts {
			b, ok := lit.Elts[i].(*ast.BasicLit)
			if !ok || b.Kind != token.STRING {
				return true
			}
			parts[i], err = strconv.Unquote(b.Value)
			require.NoError(t, err)
		}
		out[parts[0]] = parts[1]
		return true
	})
	require.NotEmpty(t, out, "no operation literal found in smooch/operations.go")
	return out
}

// operationsBlock is smoochtest's package documentation of the operationIds its faults take, between the
// "# Operations" heading's introduction and the next paragraph.
var operationsBlock = regexp.MustCompile(`(?s)(// the /v1/apps/\{appId\} form\):\n//\n)(.*?)(//\n// cmd/smooch-fake)`)

// renderOperations is that list: every operation of the contract, in the contract's order of tags and paths,
// with its method, path and the smooch method that sends it.
func renderOperations(t *testing.T) string {
	t.Helper()
	doc, err := openapi.Load()
	require.NoError(t, err)
	methods := clientMethods(t)
	type row struct{ id, method, path, goMethod, tag string }
	var rows []row
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			goMethod := methods[op.OperationID]
			if !clientCalls(op) {
				goMethod = "(app-scope path; smooch calls " + op.Extensions["x-smooch-app-scope-form-of"].(string) + ")"
			}
			require.NotEmpty(t, goMethod, "%s: no method of package smooch sends it", op.OperationID)
			rows = append(rows, row{op.OperationID, method, path, goMethod, op.Tags[0]})
		}
	}
	tagOrder := map[string]int{}
	for i, tag := range doc.Tags {
		tagOrder[tag.Name] = i
	}
	verbs := map[string]int{"POST": 0, "GET": 1, "PUT": 2, "DELETE": 3}
	slices.SortFunc(rows, func(a, b row) int {
		if d := tagOrder[a.tag] - tagOrder[b.tag]; d != 0 {
			return d
		}
		if c := strings.Compare(a.path, b.path); c != 0 {
			return c
		}
		return verbs[a.method] - verbs[b.method]
	})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "//\t%-25s %-6s %-56s %s\n", r.id, r.method, r.path, r.goMethod)
	}
	return b.String()
}

// TestFaultOperationsAreListedInTheDocs keeps the list of operationIds in smoochtest's package documentation
// (`go doc smoochtest` shows it) equal to the contract, so that a test's author finds the name FailNext
// wants without reading the YAML. go test -run TestFaultOperationsAreListedInTheDocs -update rewrites it.
func TestFaultOperationsAreListedInTheDocs(t *testing.T) {
	path := filepath.Join(smoochDir, "smoochtest", "doc.go")
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(src)
	text = strings.Replace(text, "// <operations>\n", "", 1) // the placeholder of a list never written
	m := operationsBlock.FindStringSubmatchIndex(text)
	require.NotNil(t, m, "%s has no operations list after its \"# Operations\" introduction", path)
	want := renderOperations(t)
	if text[m[4]:m[5]] == want {
		return
	}
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(text[:m[4]]+want+text[m[5]:]), 0o644))
		t.Logf("%s: operations list rewritten", path)
		return
	}
	t.Errorf("%s lists other operations than the contract: run go test ./internal/clienttest -run %s -update\nwant:\n%s", path, t.Name(), want)
}
