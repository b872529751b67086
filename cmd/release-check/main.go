// Command releasecheck is the first half of make release-check VERSION=vX.Y.Z: it refuses to release
// unless the tree is committed and clean, CHANGELOG.md's newest release is X.Y.Z (with its date and its
// changes, nothing left under [Unreleased]), smooch.Version is X.Y.Z, the module path suits the major
// version, no binary file is committed (the module's zip would carry it to every user), and no tag vX.Y.Z
// (except on this very commit) or newer exists. make release-check then runs
// the tests and the contract suite.
//
// Run it from the repository's root: go run ./cmd/release-check vX.Y.Z
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/smoochkit/smooch-go/smooch"
)

// state is everything the check looks at, gathered by main.
type state struct {
	version       string            // the tag to release: vX.Y.Z
	changelog     []byte            // CHANGELOG.md
	smoochVersion string            // smooch.Version
	modulePath    string            // go.mod's module path
	dirty         string            // git status --porcelain: empty when the tree is clean
	head          string            // the commit to tag
	binaries      []string          // committed files that are not text (outside testdata)
	tags          map[string]string // existing tags and the commits they point at
}

// check returns what stands in the way of tagging s.version, one sentence each.
func check(s state) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	v := s.version
	if !strings.HasPrefix(v, "v") || !semver.IsValid(v) || semver.Canonical(v) != v {
		return []string{fmt.Sprintf("VERSION=%q is not a release tag: want vMAJOR.MINOR.PATCH (a -pre-release suffix is allowed, build metadata is not)", v)}
	}
	bare := strings.TrimPrefix(v, "v")

	if s.dirty != "" {
		add("the work tree is not clean; commit or remove first:\n%s", s.dirty)
	}

	// go get resolves vN.x.y (N >= 2) only for a module path ending in /vN, and v0/v1 only without one.
	_, pathMajor, _ := module.SplitPathVersion(s.modulePath)
	if err := module.CheckPathMajor(v, pathMajor); err != nil {
		add("go.mod's module path %s does not suit %s: %v", s.modulePath, v, err)
	}

	c, err := parseChangelog(s.changelog)
	switch {
	case err != nil:
		add("CHANGELOG.md: %v", err)
	case c.Newest() == nil:
		add("CHANGELOG.md lists no release: move the [Unreleased] changes under \"## [%s] - YYYY-MM-DD\"", bare)
	case c.Newest().Version != bare:
		add("CHANGELOG.md's newest release is %s (line %d), not %s: add \"## [%s] - YYYY-MM-DD\" above it with this release's changes",
			c.Newest().Version, c.Newest().Line, bare, bare)
	}
	if err == nil && c.Unreleased > 0 {
		add("CHANGELOG.md still lists %d change(s) under [Unreleased]: they are in this release, so move them under [%s]", c.Unreleased, bare)
	}

	for _, name := range s.binaries {
		add("%s is a binary file committed to git: the module's zip would carry it to every go get; git rm --cached it and list it in .gitignore", name)
	}

	if s.smoochVersion != bare {
		add("smooch.Version is %q, not %q: set it in smooch/version.go (it is the User-Agent's version)", s.smoochVersion, bare)
	}

	for tag, commit := range s.tags {
		if !semver.IsValid(tag) {
			continue
		}
		switch cmp := semver.Compare(tag, v); {
		case tag == v && commit != s.head:
			add("tag %s already exists, on %s, not on this commit (%s): a released version is never moved", v, commit, s.head)
		case cmp > 0:
			add("tag %s is newer than %s: a release's version must be above every released one", tag, v)
		}
	}
	return problems
}

func main() {
	if len(os.Args) != 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: go run ./cmd/release-check vX.Y.Z   (or: make release-check VERSION=vX.Y.Z)")
		os.Exit(2)
	}
	s, err := gather(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "release-check:", err)
		os.Exit(2)
	}
	problems := check(s)
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "release-check: "+p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "release-check: %s cannot be released (%d problem(s))\n", s.version, len(problems))
		os.Exit(1)
	}
	fmt.Printf("release-check: %s: tree clean, CHANGELOG.md and smooch.Version agree, no tag in the way\n", s.version)
}

func gather(version string) (state, error) {
	s := state{version: version, smoochVersion: smooch.Version, tags: map[string]string{}}
	var err error
	if s.changelog, err = os.ReadFile("CHANGELOG.md"); err != nil {
		return s, err
	}
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		return s, err
	}
	s.modulePath = modfile.ModulePath(gomod)
	if s.dirty, err = git("status", "--porcelain", "--untracked-files=all"); err != nil {
		return s, err
	}
	if s.head, err = git("rev-parse", "HEAD"); err != nil {
		return s, err
	}
	if s.binaries, err = committedBinaries(); err != nil {
		return s, err
	}
	// One line per tag: name, the object it names, and for an annotated tag the commit it peels to.
	refs, err := git("for-each-ref", "--format=%(refname:short) %(objectname) %(*objectname)", "refs/tags/v*")
	if err != nil {
		return s, err
	}
	for line := range strings.Lines(refs) {
		f := strings.Fields(line)
		if len(f) >= 2 {
			s.tags[f[0]] = f[len(f)-1]
		}
	}
	return s, nil
}

// committedBinaries lists the committed files, outside testdata directories, that git itself would call
// binary: a NUL byte in their first 8,000 bytes. A binary under testdata is a test's fixture, put there on
// purpose (and shipped all the same); one elsewhere is most likely a build left behind.
func committedBinaries() ([]string, error) {
	files, err := git("ls-files", "-z")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range strings.Split(files, "\x00") {
		if name == "" || slices.Contains(strings.Split(name, "/"), "testdata") {
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			continue // deleted in the work tree: the clean-tree check reports it
		}
		head := make([]byte, 8000)
		n, _ := io.ReadFull(f, head)
		f.Close()
		if bytes.IndexByte(head[:n], 0) >= 0 {
			out = append(out, name)
		}
	}
	return out, nil
}

func git(args ...string) (string, error) {
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(ee.Stderr)))
		}
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimRight(string(out), "\n"), nil
}
