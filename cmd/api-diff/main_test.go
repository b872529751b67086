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

func runAPIDiff(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// The fixture's new module changes a method's signature and removes one
// (incompatible), adds a field and a constant (compatible), and adds a package.
func TestAPIDiffReportsEachChangeAndTheBump(t *testing.T) {
	code, stdout, stderr := runAPIDiff(t, "-old", "testdata/old", "-new", "testdata/new", "./...")
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, `Go API changes from testdata/old to testdata/new

example.com/m/p
  Incompatible changes (2):
  - (*Client).Delete: removed
  - (*Client).Get: changed from func(string) (string, error) to func(context.Context, string) (string, error)
  Compatible changes (2):
  - Client.Region: added
  - TriggerTypingAppUser: added

example.com/m/q
  package added (compatible), exporting 1 name:
  - Hello

2 incompatible, 3 compatible changes: a major version (from v0.0.0: v0.1.0, as below v1 incompatible changes take a minor version)
`, stdout)

	code, stdout, _ = runAPIDiff(t, "-old", "testdata/old", "-new", "testdata/new", "-version", "v1.4.2", "-fail-on-incompatible", "./p")
	assert.Equal(t, 1, code, "-fail-on-incompatible")
	assert.True(t, strings.HasSuffix(stdout, "\n2 incompatible, 2 compatible changes: a major version (from v1.4.2: v2.0.0, with the module path ending /v2)\n"), stdout)
	assert.NotContains(t, stdout, "example.com/m/q", "only the packages asked for")

	// The other way round: the package is removed, the constant too.
	_, stdout, _ = runAPIDiff(t, "-old", "testdata/new", "-new", "testdata/old", "./...")
	assert.Contains(t, stdout, "example.com/m/q\n  package removed (incompatible)\n")
	assert.Contains(t, stdout, "  - TriggerTypingAppUser: removed\n")
}

func TestAPIDiffWithoutChanges(t *testing.T) {
	code, stdout, _ := runAPIDiff(t, "-old", "testdata/new", "-new", "testdata/new", "-version", "v1.4.2", "-fail-on-incompatible", "./...")
	assert.Equal(t, 0, code)
	assert.Equal(t, `Go API changes from testdata/new to testdata/new

example.com/m/p
  no changes

example.com/m/q
  no changes

0 incompatible, 0 compatible changes: a patch version (from v1.4.2: v1.4.3)
`, stdout)
}

func TestNextVersion(t *testing.T) {
	for _, tc := range []struct {
		from                     string
		incompatible, compatible int
		bump, next               string
	}{
		{"v0.0.0", 0, 0, "patch", "v0.0.1"},
		{"v0.3.1", 0, 2, "minor", "v0.4.0"},
		{"v0.3.1", 1, 2, "major", "v0.4.0, as below v1 incompatible changes take a minor version"},
		{"v1.2.3", 0, 1, "minor", "v1.3.0"},
		{"v1.2.3", 1, 0, "major", "v2.0.0, with the module path ending /v2"},
		{"v1.2.3-rc.1", 0, 0, "patch", "v1.2.4"},
	} {
		bump, next := nextVersion(tc.from, tc.incompatible, tc.compatible)
		assert.Equal(t, tc.bump, bump, tc.from)
		assert.Equal(t, tc.next, next, tc.from)
	}
}

func TestAPIDiffUsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"old without new": {"-old", "testdata/old"},
		"old and base":    {"-old", "testdata/old", "-new", "testdata/new", "-base", "HEAD"},
		"broken package":  {"-old", "testdata/old", "-new", t.TempDir(), "./p"},
		"unknown flag":    {"-x"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runAPIDiff(t, args...)
			assert.Equal(t, 2, code)
			assert.NotEmpty(t, stderr)
		})
	}
}

func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	require.NoError(t, filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	}))
}

// Without -old and -new, the base is a git revision exported from the
// repository (the latest tag by default) and the new side the working tree.
func TestAPIDiffAgainstAGitBase(t *testing.T) {
	oldTree, err := filepath.Abs("testdata/old")
	require.NoError(t, err)
	newTree, err := filepath.Abs("testdata/new")
	require.NoError(t, err)
	repo := t.TempDir()
	copyTree(t, oldTree, repo)
	gitIn(t, repo, "init", "-q")
	gitIn(t, repo, "add", ".")
	gitIn(t, repo, "commit", "-q", "-m", "v1")
	gitIn(t, repo, "tag", "v1.2.3")
	copyTree(t, newTree, repo)
	t.Chdir(repo)
	// A temporary directory of its own: other tests (the runbook's make api-diff) export trees at the same time.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	code, stdout, stderr := runAPIDiff(t, "./p", "./q")
	assert.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "Go API changes from v1.2.3 ("), stdout)
	assert.Contains(t, stdout, ") to the working tree\n")
	assert.Contains(t, stdout, "  - (*Client).Delete: removed\n")
	assert.True(t, strings.HasSuffix(stdout, "2 incompatible, 3 compatible changes: a major version (from v1.2.3: v2.0.0, with the module path ending /v2)\n"), stdout)
	entries, err := filepath.Glob(filepath.Join(tmp, "smooch-api-diff-*"))
	require.NoError(t, err)
	assert.Empty(t, entries, "the exported tree is removed")

	code, _, stderr = runAPIDiff(t, "-base", "nope")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `"nope" is not a commit`)
}
