package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const released = `# Changelog

## [Unreleased]

## [1.0.0] - 2027-01-15

### Added

- the client
`

func ready() state {
	return state{
		version:       "v1.0.0",
		changelog:     []byte(released),
		smoochVersion: "1.0.0",
		modules:       modules("v1.0.0"),
		head:          "abc123",
		tags:          map[string]string{"v0.9.0": "0ld", "smooch/v0.9.0": "0ld", "not-a-version": "xyz", "other/v9.0.0": "unrelated"},
	}
}

// modules are the repository's go.mod files as a release at version v has them: each module requires the
// repository's others at v.
func modules(v string) []module {
	const p = "github.com/smoochkit/smooch-go"
	return []module{
		{".", p, map[string]string{p + "/smooch": v, p + "/smooch/smoochtest": v, "golang.org/x/mod": "v0.41.0"}},
		{"smooch", p + "/smooch", map[string]string{"github.com/golang-jwt/jwt/v5": "v5.3.1"}},
		{"smooch/smoochtest", p + "/smooch/smoochtest", map[string]string{p + "/smooch": v, p + "/openapi": v, p + "/gen": v}},
		{"openapi", p + "/openapi", map[string]string{p + "/gen": v}},
		{"gen", p + "/gen", map[string]string{"github.com/oapi-codegen/runtime": "v1.9.0"}},
	}
}

func TestReadyToRelease(t *testing.T) {
	if problems := check(ready()); len(problems) != 0 {
		t.Errorf("check = %q, want no problem", problems)
	}
	// Re-running the check once the tag is made on this commit is fine.
	s := ready()
	s.tags["v1.0.0"] = s.head
	if problems := check(s); len(problems) != 0 {
		t.Errorf("check with the tag on HEAD = %q, want no problem", problems)
	}
}

func TestEachProblemIsFound(t *testing.T) {
	for name, tc := range map[string]struct {
		change func(*state)
		want   string
	}{
		"no v":             {func(s *state) { s.version = "1.0.0" }, "is not a release tag"},
		"two numbers":      {func(s *state) { s.version = "v1.0" }, "is not a release tag"},
		"build metadata":   {func(s *state) { s.version = "v1.0.0+meta" }, "is not a release tag"},
		"dirty tree":       {func(s *state) { s.dirty = " M smooch/client.go" }, "not clean"},
		"version const":    {func(s *state) { s.smoochVersion = "0.9.0" }, `smooch.Version is "0.9.0", not "1.0.0"`},
		"changelog behind": {func(s *state) { s.version, s.smoochVersion = "v1.1.0", "1.1.0" }, "newest release is 1.0.0"},
		"nothing released": {func(s *state) { s.changelog = []byte("## [Unreleased]\n") }, "lists no release"},
		"unreleased leftover": {func(s *state) {
			s.changelog = []byte(strings.Replace(released, "## [Unreleased]\n", "## [Unreleased]\n\n- forgotten\n", 1))
		}, "under [Unreleased]"},
		"broken changelog": {func(s *state) { s.changelog = []byte("## [1.0.0]\n") }, "CHANGELOG.md: changelog:"},
		"committed binary": {func(s *state) { s.binaries = []string{"contract-diff"} }, "contract-diff is a binary file"},
		"tag elsewhere":    {func(s *state) { s.tags["v1.0.0"] = "other" }, "already exists, on other"},
		"module tag elsewhere": {func(s *state) { s.tags["smooch/smoochtest/v1.0.0"] = "other" },
			"tag smooch/smoochtest/v1.0.0 already exists, on other"},
		"newer tag":        {func(s *state) { s.tags["v1.2.0"] = "newer" }, "tag v1.2.0 is newer"},
		"newer module tag": {func(s *state) { s.tags["gen/v1.0.1"] = "newer" }, "tag gen/v1.0.1 is newer"},
		"stale requirement": {func(s *state) { s.modules[2].requires["github.com/smoochkit/smooch-go/smooch"] = "v0.0.0" },
			"smooch/smoochtest/go.mod requires github.com/smoochkit/smooch-go/smooch v0.0.0, not v1.0.0"},
		"stale top-level requirement": {func(s *state) { s.modules[0].requires["github.com/smoochkit/smooch-go/smooch/smoochtest"] = "v0.9.0" },
			"go.mod requires github.com/smoochkit/smooch-go/smooch/smoochtest v0.9.0, not v1.0.0"},
		"v2 without /v2": {func(s *state) {
			s.version, s.smoochVersion = "v2.0.0", "2.0.0"
			s.changelog = []byte(strings.Replace(released, "[1.0.0]", "[2.0.0]", 1))
			s.modules = modules(s.version)
		}, "go.mod's module path github.com/smoochkit/smooch-go does not suit v2.0.0"},
	} {
		t.Run(name, func(t *testing.T) {
			s := ready()
			tc.change(&s)
			problems := check(s)
			for _, p := range problems {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Errorf("check = %q, want a problem containing %q", problems, tc.want)
		})
	}
}

func TestAPreReleaseIsAVersion(t *testing.T) {
	s := ready()
	s.version, s.smoochVersion = "v1.1.0-rc.1", "1.1.0-rc.1"
	s.modules = modules(s.version)
	s.changelog = []byte(strings.Replace(released, "## [1.0.0]", "## [1.1.0-rc.1] - 2027-02-01\n\n- rc\n\n## [1.0.0]", 1))
	if problems := check(s); len(problems) != 0 {
		t.Errorf("check = %q, want no problem", problems)
	}
}

// committedBinaries finds a committed binary, not a text file, and not one under testdata.
func TestCommittedBinariesAreFound(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for name, data := range map[string]string{
		"README.md":            "text\n",
		"contract-diff":        "\x7fELF\x02\x01\x01\x00",
		"pkg/testdata/bin.dat": "\x00\x01",
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}} {
		if _, err := git(args...); err != nil {
			t.Fatal(err)
		}
	}
	got, err := committedBinaries()
	if err != nil || !slices.Equal(got, []string{"contract-diff"}) {
		t.Errorf("committedBinaries() = %q, %v; want [contract-diff]", got, err)
	}
}
