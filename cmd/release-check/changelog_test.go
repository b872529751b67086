package main

import (
	"os"
	"strings"
	"testing"
)

const good = `# Changelog

Intro text, with - dashes - inside a line.

## [Unreleased]

### Added

- one
- two,
  on two lines

## [1.1.0] - 2027-02-01

### Fixed

- three

## [1.0.0] - 2027-01-15 [YANKED]

### Added

- four

[Unreleased]: https://example.invalid/compare/v1.1.0...HEAD
`

func TestParse(t *testing.T) {
	c, err := parseChangelog([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if c.Unreleased != 2 {
		t.Errorf("Unreleased = %d entries, want 2", c.Unreleased)
	}
	want := []Release{
		{Version: "1.1.0", Date: "2027-02-01", Entries: 1, Line: 13},
		{Version: "1.0.0", Date: "2027-01-15", Entries: 1, Line: 19},
	}
	if len(c.Releases) != len(want) {
		t.Fatalf("Releases = %+v, want %+v", c.Releases, want)
	}
	for i := range want {
		if c.Releases[i] != want[i] {
			t.Errorf("Releases[%d] = %+v, want %+v", i, c.Releases[i], want[i])
		}
	}
	if n := c.Newest(); n == nil || n.Version != "1.1.0" {
		t.Errorf("Newest = %+v, want 1.1.0", n)
	}
}

func TestNothingReleasedYet(t *testing.T) {
	c, err := parseChangelog([]byte("# Changelog\n\n## [Unreleased]\n\n- soon\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Newest() != nil || c.Unreleased != 1 {
		t.Errorf("got %+v, want no release and 1 unreleased entry", c)
	}
}

func TestParseRefusesABrokenChangelog(t *testing.T) {
	for name, tc := range map[string]struct{ text, err string }{
		"no unreleased":         {"# Changelog\n", "no [Unreleased] section"},
		"release first":         {"## [1.0.0] - 2027-01-01\n- a\n## [Unreleased]\n", "first section must be [Unreleased]"},
		"unreleased twice":      {"## [Unreleased]\n## [Unreleased]\n", "[Unreleased] must be the first section"},
		"unreleased dated":      {"## [Unreleased] - 2027-01-01\n", "takes no date"},
		"v prefix":              {"## [Unreleased]\n## [v1.0.0] - 2027-01-01\n- a\n", "not a semantic version"},
		"two numbers":           {"## [Unreleased]\n## [1.0] - 2027-01-01\n- a\n", "not a semantic version"},
		"no date":               {"## [Unreleased]\n## [1.0.0]\n- a\n", "needs its date"},
		"bad date":              {"## [Unreleased]\n## [1.0.0] - 2027-13-40\n- a\n", "not a date"},
		"other heading":         {"## [Unreleased]\n## Release notes\n", "is not"},
		"oldest first":          {"## [Unreleased]\n## [1.0.0] - 2027-01-01\n- a\n## [1.1.0] - 2027-02-01\n- b\n", "newest first"},
		"listed twice":          {"## [Unreleased]\n## [1.0.0] - 2027-01-01\n- a\n## [1.0.0] - 2027-01-01\n- b\n", "newest first"},
		"dates out of order":    {"## [Unreleased]\n## [1.1.0] - 2027-01-01\n- a\n## [1.0.0] - 2027-02-01\n- b\n", "dated after"},
		"release lists nothing": {"## [Unreleased]\n- a\n## [1.0.0] - 2027-01-01\n### Added\n", "lists no change"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseChangelog([]byte(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parseChangelog = %v, want an error containing %q", err, tc.err)
			}
		})
	}
}

// The project's own changelog reads.
func TestTheProjectsChangelogParses(t *testing.T) {
	data, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseChangelog(data); err != nil {
		t.Fatal(err)
	}
}
