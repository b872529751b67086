// Command releasecheck is the first half of make release-check VERSION=vX.Y.Z: it refuses to release
// unless the tree is committed and clean, CHANGELOG.md's newest release is X.Y.Z (with its date and its
// changes, nothing left under [Unreleased]), smooch.Version is X.Y.Z, every module's path suits the major
// version, each module requires the repository's others at vX.Y.Z (so that a user's go get of one brings the
// others of the same release), no binary file is committed (a module's zip would carry it to every user),
// and no tag of the release (vX.Y.Z and each published module's DIR/vX.Y.Z), except on this very commit, or
// newer exists. make release-check then runs the tests and the contract suite.
//
// Run it from the repository's root: go run ./cmd/release-check vX.Y.Z
package main

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
	modpath "golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/smoochkit/smooch-go/smooch"
)

// publishedModules are the directories of the modules users require, each tagged DIR/vX.Y.Z at a release
// (Go's rule for a module in a subdirectory). The top-level module, the maintainers', is tagged vX.Y.Z.
var publishedModules = []string{"smooch", "smooch/smoochtest", "openapi", "gen"}

// module is one go.mod of the repository.
type module struct {
	dir      string            // "." for the top-level one
	path     string            // its module path
	requires map[string]string // its requirements: module path → version
}

// state is everything the check looks at, gathered by main.
type state struct {
	version       string            // the tag to release: vX.Y.Z
	changelog     []byte            // CHANGELOG.md
	smoochVersion string            // smooch.Version
	modules       []module          // the top-level module first, then publishedModules
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

	ours := map[string]bool{}
	for _, m := range s.modules {
		ours[m.path] = true
	}
	for _, m := range s.modules {
		// go get resolves vN.x.y (N >= 2) only for a module path ending in /vN, and v0/v1 only without one.
		_, pathMajor, _ := modpath.SplitPathVersion(m.path)
		if err := modpath.CheckPathMajor(v, pathMajor); err != nil {
			add("%s's module path %s does not suit %s: %v", goModOf(m.dir), m.path, v, err)
		}
		for _, req := range slices.Sorted(maps.Keys(m.requires)) {
			if ours[req] && m.requires[req] != v {
				add("%s requires %s %s, not %s: a go get of %s at this release would bring another release of it; run make release-versions VERSION=%s and commit",
					goModOf(m.dir), req, m.requires[req], v, m.path, v)
			}
		}
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

	for _, tag := range slices.Sorted(maps.Keys(s.tags)) {
		commit := s.tags[tag]
		prefix, tagVersion := tagPrefix(tag)
		if !semver.IsValid(tagVersion) || (prefix != "" && !slices.Contains(publishedModules, prefix)) {
			continue
		}
		switch cmp := semver.Compare(tagVersion, v); {
		case tagVersion == v && commit != s.head:
			add("tag %s already exists, on %s, not on this commit (%s): a released version is never moved", tag, commit, s.head)
		case cmp > 0:
			add("tag %s is newer than %s: a release's version must be above every released one", tag, v)
		}
	}
	return problems
}

// releaseTags are the tags of version v: the top-level module's, then each published module's.
func releaseTags(v string) []string {
	tags := []string{v}
	for _, dir := range publishedModules {
		tags = append(tags, dir+"/"+v)
	}
	return tags
}

// tagPrefix splits "smooch/smoochtest/v1.2.3" into "smooch/smoochtest" and "v1.2.3".
func tagPrefix(tag string) (prefix, version string) {
	if i := strings.LastIndex(tag, "/"); i >= 0 {
		return tag[:i], tag[i+1:]
	}
	return "", tag
}

func goModOf(dir string) string {
	if dir == "." {
		return "go.mod"
	}
	return dir + "/go.mod"
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
	fmt.Printf("release-check: %s: tree clean, CHANGELOG.md, smooch.Version and the modules' requirements agree, no tag in the way\n", s.version)
	fmt.Printf("release-check: the release's tags: %s\n", strings.Join(releaseTags(s.version), " "))
}

func gather(version string) (state, error) {
	s := state{version: version, smoochVersion: smooch.Version, tags: map[string]string{}}
	var err error
	if s.changelog, err = os.ReadFile("CHANGELOG.md"); err != nil {
		return s, err
	}
	for _, dir := range append([]string{"."}, publishedModules...) {
		data, err := os.ReadFile(goModOf(dir))
		if err != nil {
			return s, err
		}
		f, err := modfile.ParseLax(goModOf(dir), data, nil)
		if err != nil {
			return s, err
		}
		if f.Module == nil {
			return s, fmt.Errorf("%s has no module line", goModOf(dir))
		}
		m := module{dir: dir, path: f.Module.Mod.Path, requires: map[string]string{}}
		for _, r := range f.Require {
			m.requires[r.Mod.Path] = r.Mod.Version
		}
		s.modules = append(s.modules, m)
	}
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
	refs, err := git("for-each-ref", "--format=%(refname:short) %(objectname) %(*objectname)", "refs/tags")
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
