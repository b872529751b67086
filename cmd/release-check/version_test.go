package main

import (
	"fmt"
	"os"
	"testing"

	"github.com/smoochkit/smooch-go/smooch"
)

// Version cannot drift from the release: it is the newest release in CHANGELOG.md, or 0.0.0 before the
// first one. A release commit moves [Unreleased] under "## [X.Y.Z] - date" and sets Version to X.Y.Z.
func TestVersionIsTheNewestReleaseInTheChangelog(t *testing.T) {
	data, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	c, err := parseChangelog(data)
	if err != nil {
		t.Fatal(err)
	}
	want, why := "0.0.0", "CHANGELOG.md lists no release yet"
	if r := c.Newest(); r != nil {
		want, why = r.Version, fmt.Sprintf("the newest release in CHANGELOG.md (line %d) is %s", r.Line, r.Version)
	}
	if smooch.Version != want {
		t.Errorf("smooch.Version is %q, want %q: %s; a release sets both in one commit", smooch.Version, want, why)
	}
}
