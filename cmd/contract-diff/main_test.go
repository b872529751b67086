package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runDiff(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

const (
	oldSpec = "testdata/old.yaml"
	newSpec = "testdata/new.yaml"
)

// The fixture's new version removes an operation and makes a request
// property required (breaking), adds an optional response property (not
// breaking) and rewords a description (neither).
func TestContractDiffClassifiesEachChange(t *testing.T) {
	code, stdout, stderr := runDiff(t, oldSpec, newSpec)
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, "Contract changes from testdata/old.yaml to testdata/new.yaml\n"+`
Breaking for API clients (2):
  POST /items: the request property `+"`size`"+` became required [request-property-became-required]
  DELETE /items/{id}: api removed without deprecation [api-removed-without-deprecation]

May break API clients (0):
  none

Not breaking (3):
  the document: a breaking change was detected but the version is still `+"`1.0.0`"+` [api-version-not-bumped]
  POST /items: added the optional property `+"`color`"+` to the response with the `+"`201`"+` status [response-optional-property-added]
  GET /items/{id}: added the optional property `+"`color`"+` to the response with the `+"`200`"+` status [response-optional-property-added]

Every difference, as the raw diff lists it (descriptions, examples and x- extensions included; make api-diff tells their effect on Go) (4):
  components › schemas › Item › properties: added color
  components › schemas › Item › properties › name › description: The name. → The item's name.
  components › schemas › ItemCreate › required: added size
  paths › /items/{id} › operations: deleted DELETE

2 breaking, 0 that may break, 3 not breaking (4 differences in all): BREAKING for API clients
`, stdout)

	code, _, _ = runDiff(t, "-fail-on-breaking", oldSpec, newSpec)
	assert.Equal(t, 1, code, "-fail-on-breaking fails on a breaking change")

	// The other way round, adding back an operation is not breaking, removing a response property is.
	_, stdout, _ = runDiff(t, newSpec, oldSpec)
	assert.Contains(t, stdout, "removed the optional property `color` from the response")
	assert.Contains(t, stdout, "GET /items/{id}: ")
}

func TestContractDiffOfAContractWithItself(t *testing.T) {
	code, stdout, _ := runDiff(t, "-fail-on-breaking", oldSpec, oldSpec)
	assert.Equal(t, 0, code)
	assert.Equal(t, "Contract changes from testdata/old.yaml to testdata/old.yaml\n"+`
Breaking for API clients (0):
  none

May break API clients (0):
  none

Not breaking (0):
  none

Every difference, as the raw diff lists it (descriptions, examples and x- extensions included; make api-diff tells their effect on Go) (0):
  none

0 breaking, 0 that may break, 0 not breaking (0 differences in all): no change breaks API clients
`, stdout)
}

func TestContractDiffUsageErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("openapi: 3.0.3\ninfo: {}\npaths: {}\n"), 0o600))
	for name, args := range map[string][]string{
		"one file":      {oldSpec},
		"missing file":  {oldSpec, "nope.yaml"},
		"invalid spec":  {oldSpec, bad},
		"base and file": {"-base", "HEAD", oldSpec, newSpec},
		"unknown flag":  {"-x"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runDiff(t, args...)
			assert.Equal(t, 2, code)
			assert.NotEmpty(t, stderr)
		})
	}
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
	return strings.TrimSpace(string(out))
}

// Without files, the base is a git revision: -base, else the latest tag,
// else the first commit; the revision is the working tree's contract.
func TestContractDiffAgainstAGitBase(t *testing.T) {
	repo := t.TempDir()
	spec := filepath.Join(repo, "openapi", "smooch.yaml")
	require.NoError(t, os.MkdirAll(filepath.Dir(spec), 0o755))
	oldData, err := os.ReadFile(oldSpec)
	require.NoError(t, err)
	newData, err := os.ReadFile(newSpec)
	require.NoError(t, err)
	copyFile := func(from string) {
		data := oldData
		if from == newSpec {
			data = newData
		}
		require.NoError(t, os.WriteFile(spec, data, 0o644))
	}
	git(t, repo, "init", "-q")
	copyFile(oldSpec)
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "first")
	first := git(t, repo, "rev-parse", "HEAD")
	copyFile(newSpec)
	git(t, repo, "commit", "-q", "-am", "second")
	t.Chdir(repo)

	// No tag: the first commit.
	code, stdout, stderr := runDiff(t)
	assert.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "Contract changes from openapi/smooch.yaml at "+first[:12]+" to openapi/smooch.yaml in the working tree\n"), stdout)
	assert.Contains(t, stdout, "2 breaking, 0 that may break, 3 not breaking")

	// The latest tag.
	git(t, repo, "tag", "v0.2.0")
	code, stdout, _ = runDiff(t)
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "at v0.2.0 (")
	assert.Contains(t, stdout, "0 breaking, 0 that may break, 0 not breaking (0 differences in all)")

	// An explicit base, and an uncommitted edit counts.
	copyFile(oldSpec)
	code, stdout, _ = runDiff(t, "-base", "HEAD")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "at HEAD (")
	assert.Contains(t, stdout, "removed the optional property `color`")

	code, _, stderr = runDiff(t, "-base", "no-such-ref")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `"no-such-ref" is not a commit of this repository`)
}

// A property that refers to its schema through a one-element allOf (as the contract does where a $ref needs a
// sibling) instead of a plain $ref is the same API: no change is reported as breaking.
func TestContractDiffSeesThroughAllOf(t *testing.T) {
	old, err := os.ReadFile(oldSpec)
	require.NoError(t, err)
	wrapped := strings.Replace(string(old), "    Item:\n", "    Envelope:\n      type: object\n      required: [item]\n      properties:\n        item:\n          allOf: [{$ref: '#/components/schemas/Item'}]\n    Item:\n", 1)
	plain := strings.Replace(string(old), "    Item:\n", "    Envelope:\n      type: object\n      required: [item]\n      properties:\n        item: {$ref: '#/components/schemas/Item'}\n    Item:\n", 1)
	require.NotEqual(t, string(old), wrapped)
	dir := t.TempDir()
	// The envelope is used by a response, so that oasdiff compares its properties.
	use := func(spec string) string {
		used := strings.Replace(spec, "schema: {$ref: '#/components/schemas/Item'}", "schema: {$ref: '#/components/schemas/Envelope'}", 1)
		require.NotEqual(t, spec, used)
		return used
	}
	before, after := filepath.Join(dir, "before.yaml"), filepath.Join(dir, "after.yaml")
	require.NoError(t, os.WriteFile(before, []byte(use(plain)), 0o600))
	require.NoError(t, os.WriteFile(after, []byte(use(wrapped)), 0o600))
	code, stdout, stderr := runDiff(t, "-fail-on-breaking", before, after)
	assert.Equal(t, 0, code, stdout+stderr)
	assert.Contains(t, stdout, "Breaking for API clients (0)")
}
