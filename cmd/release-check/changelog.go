package main

// The changelog reader: CHANGELOG.md is kept in the Keep a Changelog format, an "## [Unreleased]" section
// first, then one "## [X.Y.Z] - YYYY-MM-DD" section per release, newest first, each listing its changes as
// "- " items under "### Added", "### Changed", "### Security" and the like. It is the one reader of the
// changelog: the release check and the version test (smooch.Version is the newest release) both use it, so
// they agree on what a release is.

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

// Release is one released version's section.
type Release struct {
	Version string // as written in the heading, without a "v": "1.0.0"
	Date    string // YYYY-MM-DD
	Entries int    // the section's "- " items
	Line    int    // the heading's line, from 1
}

// Changelog is what CHANGELOG.md says.
type Changelog struct {
	Unreleased int       // the [Unreleased] section's "- " items
	Releases   []Release // newest first
}

// Newest is the newest release, or nil when nothing has been released yet.
func (c *Changelog) Newest() *Release {
	if len(c.Releases) == 0 {
		return nil
	}
	return &c.Releases[0]
}

var (
	heading = regexp.MustCompile(`^## \[([^\]]+)\](.*)$`)
	dated   = regexp.MustCompile(`^ - (\d{4}-\d{2}-\d{2})( \[YANKED\])?$`)
)

// parseChangelog reads a changelog. It refuses one whose headings break the format: a section other than
// [Unreleased] first, a release that is not a semantic version with a valid date, releases out of order or
// listed twice, or a release section with no entry.
func parseChangelog(data []byte) (*Changelog, error) {
	c := &Changelog{}
	section := -2 // -2 before any heading, -1 in [Unreleased], else the index in c.Releases
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if strings.HasPrefix(line, "- ") {
			switch {
			case section == -1:
				c.Unreleased++
			case section >= 0:
				c.Releases[section].Entries++
			}
			continue
		}
		if !strings.HasPrefix(line, "## ") {
			continue
		}
		m := heading.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("changelog: line %d: %q is not \"## [Unreleased]\" or \"## [X.Y.Z] - YYYY-MM-DD\"", n, line)
		}
		if m[1] == "Unreleased" {
			if section != -2 {
				return nil, fmt.Errorf("changelog: line %d: [Unreleased] must be the first section", n)
			}
			if m[2] != "" {
				return nil, fmt.Errorf("changelog: line %d: [Unreleased] takes no date", n)
			}
			section = -1
			continue
		}
		if section == -2 {
			return nil, fmt.Errorf("changelog: line %d: the first section must be [Unreleased]", n)
		}
		v := m[1]
		if !semver.IsValid("v"+v) || semver.Canonical("v"+v) != "v"+v {
			return nil, fmt.Errorf("changelog: line %d: [%s] is not a semantic version X.Y.Z (no v, no build metadata)", n, v)
		}
		d := dated.FindStringSubmatch(m[2])
		if d == nil {
			return nil, fmt.Errorf("changelog: line %d: release %s needs its date: \"## [%s] - YYYY-MM-DD\"", n, v, v)
		}
		if _, err := time.Parse(time.DateOnly, d[1]); err != nil {
			return nil, fmt.Errorf("changelog: line %d: release %s: %q is not a date", n, v, d[1])
		}
		if len(c.Releases) > 0 {
			prev := c.Releases[len(c.Releases)-1]
			if semver.Compare("v"+v, "v"+prev.Version) >= 0 {
				return nil, fmt.Errorf("changelog: line %d: release %s is listed after %s (line %d): releases go newest first, once each", n, v, prev.Version, prev.Line)
			}
			if d[1] > prev.Date {
				return nil, fmt.Errorf("changelog: line %d: release %s (%s) is dated after the newer %s (%s)", n, v, d[1], prev.Version, prev.Date)
			}
		}
		c.Releases = append(c.Releases, Release{Version: v, Date: d[1], Line: n})
		section = len(c.Releases) - 1
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("changelog: %w", err)
	}
	if section == -2 {
		return nil, fmt.Errorf("changelog: no [Unreleased] section")
	}
	for _, r := range c.Releases {
		if r.Entries == 0 {
			return nil, fmt.Errorf("changelog: line %d: release %s lists no change", r.Line, r.Version)
		}
	}
	return c, nil
}
