package clienttest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goBlock finds the README's Go code blocks.
var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// TestREADMESnippetsAreRunExamples holds every Go snippet of the README to an Example function of smooch or
// smoochtest: each snippet must appear, line for line, in the body of one of them. The examples have an
// Output comment, so go test compiles and runs them: a snippet that no longer compiles or works fails here
// first, and one that was edited in the README alone fails below.
func TestREADMESnippetsAreRunExamples(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	blocks := goBlock.FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, blocks)

	var bodies []string
	for _, pattern := range []string{filepath.Join(smoochDir, "*_test.go"), filepath.Join(smoochDir, "smoochtest", "*_test.go")} {
		files, err := filepath.Glob(pattern)
		require.NoError(t, err)
		for _, file := range files {
			bodies = append(bodies, exampleBodies(t, file)...)
		}
	}
	require.NotEmpty(t, bodies)

	for _, block := range blocks {
		if path, ok := strings.CutPrefix(strings.TrimSpace(block[1]), "import "); ok {
			// An import line: the package it names must be this one or smoochtest.
			assert.Contains(t, []string{`"github.com/smoochkit/smooch-go/smooch"`, `"github.com/smoochkit/smooch-go/smooch/smoochtest"`}, path)
			continue
		}
		snippet := normalize(block[1])
		found := false
		for _, body := range bodies {
			if strings.Contains(body, snippet) {
				found = true
				break
			}
		}
		assert.True(t, found, "this README snippet is in no Example function's body:\n%s", block[1])
	}
}

// exampleBodies returns the source of the bodies of the Example functions of file, normalized.
func exampleBodies(t *testing.T, file string) []string {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	require.NoError(t, err)
	var out []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || !strings.HasPrefix(fn.Name.Name, "Example") || fn.Body == nil {
			continue
		}
		body := src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset]
		out = append(out, normalize(string(body)))
	}
	return out
}

// normalize drops each line's indentation and the blank lines, so that a snippet matches the function body
// it was copied from, one tab deeper.
func normalize(code string) string {
	var lines []string
	for _, line := range strings.Split(code, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
