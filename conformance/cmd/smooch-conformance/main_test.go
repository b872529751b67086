package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
)

const (
	good      = "../../testdata/good.yaml"
	committed = "../../../cassettes"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// breakCassette saves a copy of the good cassette with one interaction changed.
func breakCassette(t *testing.T, index int, change func(in *conformance.Cassette, i int)) string {
	t.Helper()
	c, err := conformance.LoadCassette(good)
	require.NoError(t, err)
	change(c, index)
	path := filepath.Join(t.TempDir(), "broken.yaml")
	c.File = path
	require.NoError(t, c.Save())
	return path
}

func TestValidateAcceptsAGoodCassette(t *testing.T) {
	code, stdout, stderr := runCLI(t, "validate", good)
	assert.Equal(t, 0, code, stdout+stderr)
	assert.Equal(t, "8 interactions, 0 violations\n", stdout)

	// A directory is searched for cassettes; a file named twice counts once.
	code, stdout, _ = runCLI(t, "validate", "../../testdata", good)
	assert.Equal(t, 0, code)
	assert.Equal(t, "8 interactions, 0 violations\n", stdout)
}

func TestValidateNamesEachProblemOfABrokenCassette(t *testing.T) {
	cases := []struct {
		name   string
		index  int
		change func(c *conformance.Cassette, i int)
		want   []string // all must appear on the violation's line
	}{
		{"missing required field", 0, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Response.Body = `{"app":{"_id":"55c8d9758590aa1900b9b9f6","appToken":"t"}}`
		}, []string{"interaction 0: POST /v1/apps:", "response 201", `property "name" is missing`}},
		{"wrong type", 1, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Response.Body = strings.Replace(c.Interactions[i].Response.Body, `"hasMore":true`, `"hasMore":"yes"`, 1)
		}, []string{"interaction 1: GET /v1/apps:", "response 200", "hasMore", "boolean"}},
		{"undeclared status", 6, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Response.Code = 418
			c.Interactions[i].Response.Status = "418 I'm a teapot"
		}, []string{"interaction 6: GET /v1/apps/55c8d9758590aa1900b9b9f6:", "status 418 is not declared for getApp"}},
		{"no auth header", 2, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Request.Headers.Del("Authorization")
		}, []string{"interaction 2: POST /v1/apps/55c8d9758590aa1900b9b9f6/keys:", "security", "Bearer"}},
		{"auth neither bearer nor basic", 3, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Request.Headers.Set("Authorization", "Digest REDACTED")
		}, []string{"interaction 3: GET", "security"}},
		{"undeclared field", 4, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Response.Body = `{"integration":{"_id":"i","type":"telegram","username":"bot","botToken":"x"}}`
		}, []string{"interaction 4: POST", `field "integration.botToken" is not declared`}},
		{"invalid request body answered 2xx", 0, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Request.Body = `{"name":""}`
		}, []string{"interaction 0: POST /v1/apps:", "request:", "name"}},
		{"undeclared query parameter", 1, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Request.URL += "&type=telegram"
		}, []string{"interaction 1: GET /v1/apps:", `query parameter "type" is not declared`}},
		{"wrong content type", 5, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Response.Headers.Set("Content-Type", "text/plain")
		}, []string{"interaction 5: DELETE", "Content-Type"}},
		{"no such operation", 5, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Request.URL = "https://api.smooch.io/v1/apps/55c8d9758590aa1900b9b9f6/colors"
		}, []string{"interaction 5: DELETE /v1/apps/55c8d9758590aa1900b9b9f6/colors:", "no operation in the contract"}},
		{"wrong channel discriminator", 4, func(c *conformance.Cassette, i int) {
			c.Interactions[i].Response.Body = `{"integration":{"_id":"i","type":"carrier-pigeon"}}`
		}, []string{"interaction 4: POST", "response 201"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := breakCassette(t, tc.index, tc.change)
			code, stdout, stderr := runCLI(t, "validate", path)
			assert.Equal(t, 1, code, stdout+stderr)
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			require.Len(t, lines, 2, "one violation line and the summary:\n%s", stdout)
			assert.True(t, strings.HasPrefix(lines[0], path+": "), "the line names the cassette: %s", lines[0])
			for _, w := range tc.want {
				assert.Contains(t, lines[0], w)
			}
			assert.Equal(t, "8 interactions, 1 violation", lines[1])
		})
	}
}

func TestValidateReportsAnEmptyCassette(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	require.NoError(t, os.WriteFile(empty, []byte("---\nversion: 1\ninteractions: []\n"), 0o600))
	code, stdout, _ := runCLI(t, "validate", empty, good)
	assert.Equal(t, 1, code)
	assert.Equal(t, empty+": the cassette records no interaction\n8 interactions, 1 violation\n", stdout)
}

func TestValidateAcceptsMalformedRequestsThatWereRejected(t *testing.T) {
	// A request without a token answered 401 is the contract working.
	path := breakCassette(t, 6, func(c *conformance.Cassette, i int) {
		c.Interactions[i].Request.Headers.Del("Authorization")
		c.Interactions[i].Response.Code = 401
		c.Interactions[i].Response.Body = `{"error":{"code":"unauthorized","description":"Authorization is required"}}`
	})
	code, stdout, _ := runCLI(t, "validate", path)
	assert.Equal(t, 0, code, stdout)

	// Answered 200 instead, it is a violation.
	path = breakCassette(t, 5, func(c *conformance.Cassette, i int) {
		c.Interactions[i].Request.Headers.Del("Authorization")
	})
	code, stdout, _ = runCLI(t, "validate", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "answered 200, not 401")
}

func TestValidateSpecFlagLoadsThatContract(t *testing.T) {
	spec, err := os.ReadFile("../../../openapi/smooch.yaml")
	require.NoError(t, err)
	edited := filepath.Join(t.TempDir(), "edited.yaml")
	// A contract in which apps have no appToken property: the good cassette now has an undeclared field.
	require.NoError(t, os.WriteFile(edited, regexp.MustCompile(`(?m)^        appToken:\n(          .*\n)+`).ReplaceAll(spec, nil), 0o600))

	code, stdout, stderr := runCLI(t, "validate", "-spec", edited, good)
	assert.Equal(t, 1, code, stdout+stderr)
	assert.Contains(t, stdout, `field "app.appToken" is not declared`)
	assert.Contains(t, stdout, `field "apps[0].appToken" is not declared`)
}

func TestUsageAndReadErrorsExit2(t *testing.T) {
	notACassette := filepath.Join(t.TempDir(), "notes.yaml")
	require.NoError(t, os.WriteFile(notACassette, []byte("hello: [world\n"), 0o600))
	plainYAML := filepath.Join(t.TempDir(), "compose.yaml")
	require.NoError(t, os.WriteFile(plainYAML, []byte("services:\n  web:\n    image: nginx\n"), 0o600))
	laterFormat := filepath.Join(t.TempDir(), "v4.yaml")
	require.NoError(t, os.WriteFile(laterFormat, []byte("---\nversion: 2\ninteractions: []\n"), 0o600))
	badSpec := filepath.Join(t.TempDir(), "spec.yaml")
	require.NoError(t, os.WriteFile(badSpec, []byte("openapi: 3.0.3\ninfo: {}\n"), 0o600))
	for name, args := range map[string][]string{
		"no command":       nil,
		"unknown command":  {"check", good},
		"no path":          {"validate"},
		"missing path":     {"validate", "does/not/exist.yaml"},
		"not a cassette":   {"validate", notACassette},
		"plain YAML":       {"validate", plainYAML},
		"go-vcr v3+ file":  {"validate", laterFormat},
		"coverage of YAML": {"coverage", plainYAML},
		"not yaml":         {"validate", "main.go"},
		"empty directory":  {"validate", t.TempDir()},
		"unknown flag":     {"validate", "-strict", good},
		"missing spec":     {"validate", "-spec", "nope.yaml", good},
		"invalid spec":     {"validate", "-spec", badSpec, good},
		"coverage no path": {"coverage"},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, args...)
			assert.Equal(t, 2, code, stdout)
			assert.NotEmpty(t, stderr)
		})
	}
}

func TestCoveragePrintsTheOperationStatusTable(t *testing.T) {
	code, stdout, stderr := runCLI(t, "coverage", good)
	require.Equal(t, 1, code, "rows say NO: %s", stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	require.Len(t, lines, 1+55+1, "header, one row per operation, summary")
	assert.Regexp(t, `^OPERATION\s+METHOD\s+PATH\s+STATUSES\s+COVERED$`, lines[0])
	assert.Regexp(t, `^getAppScopeMenu\s+GET\s+/v1/menu\s+-\s+NO: nothing$`, lines[1], "the app-scope paths sort first")
	assert.Regexp(t, `^createApp\s+POST\s+/\{apiVersion\}/apps\s+201 400\s+yes$`, lines[9])
	assert.Contains(t, stdout, "getApp ")
	assert.Regexp(t, `(?m)^getApp\s+GET\s+/\{apiVersion\}/apps/\{appId\}\s+404\s+NO: no 2xx$`, stdout)
	assert.Regexp(t, `(?m)^listWebhooks\s+.*\s-\s+NO: nothing$`, stdout)
	assert.Equal(t, "1 of 55 operations covered (a 2xx and an error interaction each)", lines[len(lines)-1])
}

func TestCoverageExitsOKOnlyWhenEveryOperationIsCovered(t *testing.T) {
	// The committed cassettes cover every operation.
	code, stdout, stderr := runCLI(t, "coverage", committed)
	assert.Equal(t, 0, code, stdout+stderr)
	assert.NotContains(t, stdout, "NO:")
	assert.Contains(t, stdout, "55 of 55 operations covered")

	// One cassette alone does not: a row says NO, and the exit status says so.
	code, stdout, _ = runCLI(t, "coverage", good)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "NO:")
}

func TestCountsAreSingularForOne(t *testing.T) {
	one := filepath.Join(t.TempDir(), "one.yaml")
	c, err := conformance.LoadCassette(good)
	require.NoError(t, err)
	c.Interactions = c.Interactions[:1]
	c.File = one
	require.NoError(t, c.Save())
	code, stdout, _ := runCLI(t, "validate", one)
	assert.Equal(t, 0, code)
	assert.Equal(t, "1 interaction, 0 violations\n", stdout)

	c.Interactions[0].Response.Code = 418
	require.NoError(t, c.Save())
	code, stdout, _ = runCLI(t, "validate", one)
	assert.Equal(t, 1, code)
	assert.True(t, strings.HasSuffix(stdout, "\n1 interaction, 1 violation\n"), stdout)
}

func TestErrorsCarryTheCommandsPrefixOnce(t *testing.T) {
	code, _, stderr := runCLI(t, "validate", "does/not/exist.yaml")
	assert.Equal(t, 2, code)
	assert.Equal(t, "smooch-conformance validate: stat does/not/exist.yaml: no such file or directory\n", stderr)

	code, _, stderr = runCLI(t, "coverage", "main.go")
	assert.Equal(t, 2, code)
	assert.Equal(t, "smooch-conformance coverage: main.go: a go-vcr v2 cassette file ends in .yaml\n", stderr)
	assert.NotContains(t, stderr, "conformance: ", "no library prefix after the command's")
}

func TestFlagsMayFollowThePaths(t *testing.T) {
	spec, err := os.ReadFile("../../../openapi/smooch.yaml")
	require.NoError(t, err)
	edited := filepath.Join(t.TempDir(), "edited.yaml")
	require.NoError(t, os.WriteFile(edited, regexp.MustCompile(`(?m)^        appToken:\n(          .*\n)+`).ReplaceAll(spec, nil), 0o600))

	for name, args := range map[string][]string{
		"before": {"validate", "-spec", edited, good},
		"after":  {"validate", good, "-spec", edited},
		"=form":  {"validate", good, "-spec=" + edited},
		"among":  {"validate", good, "-spec", edited, good},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, args...)
			assert.Equal(t, 1, code, stdout+stderr)
			assert.Contains(t, stdout, `field "app.appToken" is not declared`, "the -spec contract was used")
			assert.NotContains(t, stderr, "no such file", "-spec was not taken for a path")
		})
	}

	// After "--" everything is a path, even what looks like a flag.
	code, _, stderr := runCLI(t, "validate", good, "--", "-spec")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "stat -spec: no such file or directory")

	// A flag after the paths that does not exist is still refused.
	code, _, stderr = runCLI(t, "validate", good, "-strict")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "flag provided but not defined: -strict")
}
