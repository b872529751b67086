// Command api-diff reports how the exported Go API of the SDK's packages
// changed between two revisions, with golang.org/x/exp/apidiff, and the
// semantic version bump that implies.
//
// Usage:
//
//	api-diff [-base REF] [-version V] [-fail-on-incompatible] [PACKAGE...]
//	api-diff -old DIR -new DIR [-version V] [-fail-on-incompatible] [PACKAGE...]
//
// PACKAGE is a package pattern relative to the module root (default:
// ./smooch ./smooch/smoochtest, the packages semantic versioning covers;
// their models are generated into smooch itself). The base is the tree at the git revision REF
// (default: the latest tag, else the repository's first commit), exported
// to a temporary directory; the revision is the working tree. -old and -new
// compare two module directories instead. A package only one side has is
// reported as added or removed.
//
// It prints the incompatible and compatible changes of each package, then
// the bump they imply from the base's version (-version, else its latest
// tag, v0.0.0 without one): major for an incompatible change (minor below v1, where
// Go's module rules put them), minor for a compatible one, patch for none.
// It exits 0, or 1 with -fail-on-incompatible when a change is incompatible;
// 2 on errors. `make api-diff [BASE=ref]` runs it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/exp/apidiff"
	"golang.org/x/tools/go/packages"

	"github.com/smoochkit/smooch-go/cmd/internal/gitbase"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage:
  api-diff [-base REF] [-version V] [-fail-on-incompatible] [PACKAGE...]
  api-diff -old DIR -new DIR [-version V] [-fail-on-incompatible] [PACKAGE...]
`

// defaultPackages are the packages semantic versioning covers (README,
// "Versioning & compatibility"). gen is not among them: smooch's models are
// generated into smooch, so a model's change shows there.
var defaultPackages = []string{"./smooch", "./smooch/smoochtest"}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("api-diff", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	base := flags.String("base", "", "git revision to compare with (default: the latest tag, else the first commit)")
	oldDir := flags.String("old", "", "the old module's directory, instead of a git revision")
	newDir := flags.String("new", "", "the new module's directory (with -old)")
	failOnIncompatible := flags.Bool("fail-on-incompatible", false, "exit 1 when a change is incompatible")
	fromVersion := flags.String("version", "", "the old side's version (default: the base's latest tag, v0.0.0 without one)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "api-diff: %v\n", err)
		return 2
	}
	patterns := flags.Args()
	if len(patterns) == 0 {
		patterns = defaultPackages
	}

	var oldName, newName, version string
	exported := false // the old side is a tree exported from git, ours to change
	switch {
	case *oldDir != "" || *newDir != "":
		if *oldDir == "" || *newDir == "" || *base != "" {
			return fail(errors.New("-old and -new go together, without -base"))
		}
		oldName, newName, version = *oldDir, *newDir, "v0.0.0"
	default:
		commit, name, err := gitbase.Resolve(".", *base)
		if err != nil {
			return fail(err)
		}
		tmp, err := os.MkdirTemp("", "smooch-api-diff-")
		if err != nil {
			return fail(err)
		}
		defer os.RemoveAll(tmp)
		if err := gitbase.Export(".", commit, tmp); err != nil {
			return fail(err)
		}
		*oldDir, *newDir, exported = tmp, ".", true
		oldName, newName = name, "the working tree"
		version = versionAt(commit)
	}

	oldPkgs, err := load(*oldDir, patterns, exported)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", oldName, err))
	}
	newPkgs, err := load(*newDir, patterns, false)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", newName, err))
	}
	if *fromVersion != "" {
		version = *fromVersion
	}
	r := compare(oldPkgs, newPkgs)
	fmt.Fprintf(stdout, "Go API changes from %s to %s\n", oldName, newName)
	r.write(stdout, version)
	if *failOnIncompatible && r.incompatible > 0 {
		return 1
	}
	return 0
}

// load type-checks the packages matching patterns in the module at dir,
// keyed by import path. A pattern that matches no package there is left out.
// In a tree exported from git, go.sum may be completed (-mod=mod); the
// working tree's go.mod and go.sum are never touched.
func load(dir string, patterns []string, exported bool) (map[string]*types.Package, error) {
	env := append(os.Environ(), "GOWORK=off")
	if exported {
		env = append(env, "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=mod"))
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedTypes | packages.NeedTypesSizes,
		Dir: dir,
		Env: env,
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return nil, fmt.Errorf("not a Go module: %w", err)
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	out := map[string]*types.Package{}
	for _, p := range pkgs {
		if missing(p) {
			continue // no such package on this side
		}
		if len(p.Errors) > 0 {
			msgs := make([]string, len(p.Errors))
			for i, e := range p.Errors {
				msgs[i] = e.Error()
			}
			return nil, fmt.Errorf("%s: %s", p.PkgPath, strings.Join(msgs, "; "))
		}
		out[p.PkgPath] = p.Types
	}
	return out, nil
}

// missing reports whether a pattern named a package this side does not
// have: go list's only complaint is then that the directory is not there or
// holds no Go files.
func missing(p *packages.Package) bool {
	if len(p.GoFiles) > 0 || len(p.CompiledGoFiles) > 0 {
		return false
	}
	for _, e := range p.Errors {
		if !strings.Contains(e.Msg, "directory not found") && !strings.Contains(e.Msg, "no Go files") {
			return false
		}
	}
	return true
}

type packageReport struct {
	path                     string
	added, removed           bool
	incompatible, compatible []string
}

type report struct {
	packages                 []packageReport
	incompatible, compatible int
}

func compare(old, new map[string]*types.Package) *report {
	paths := map[string]bool{}
	for p := range old {
		paths[p] = true
	}
	for p := range new {
		paths[p] = true
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	r := &report{}
	for _, path := range sorted {
		pr := packageReport{path: path}
		o, n := old[path], new[path]
		switch {
		case o == nil:
			pr.added = true
			r.compatible++
			o = types.NewPackage(n.Path(), n.Name()) // its whole API is new
		case n == nil:
			pr.removed = true
			r.incompatible++
		}
		if o != nil && n != nil {
			for _, c := range apidiff.Changes(o, n).Changes {
				if c.Compatible {
					pr.compatible = append(pr.compatible, c.Message)
				} else {
					pr.incompatible = append(pr.incompatible, c.Message)
				}
			}
			sort.Strings(pr.compatible)
			sort.Strings(pr.incompatible)
			if !pr.added {
				r.incompatible += len(pr.incompatible)
				r.compatible += len(pr.compatible)
			}
		}
		r.packages = append(r.packages, pr)
	}
	return r
}

func (r *report) write(w io.Writer, version string) {
	for _, p := range r.packages {
		fmt.Fprintf(w, "\n%s\n", p.path)
		switch {
		case p.added:
			names := "names"
			if len(p.compatible) == 1 {
				names = "name"
			}
			fmt.Fprintf(w, "  package added (compatible), exporting %d %s:\n", len(p.compatible), names)
			for _, m := range p.compatible {
				fmt.Fprintln(w, "  - "+strings.TrimSuffix(m, ": added"))
			}
			continue
		case p.removed:
			fmt.Fprintln(w, "  package removed (incompatible)")
			continue
		case len(p.incompatible)+len(p.compatible) == 0:
			fmt.Fprintln(w, "  no changes")
			continue
		}
		if len(p.incompatible) > 0 {
			fmt.Fprintf(w, "  Incompatible changes (%d):\n", len(p.incompatible))
			for _, m := range p.incompatible {
				fmt.Fprintln(w, "  - "+m)
			}
		}
		if len(p.compatible) > 0 {
			fmt.Fprintf(w, "  Compatible changes (%d):\n", len(p.compatible))
			for _, m := range p.compatible {
				fmt.Fprintln(w, "  - "+m)
			}
		}
	}
	bump, next := nextVersion(version, r.incompatible, r.compatible)
	fmt.Fprintf(w, "\n%d incompatible, %d compatible changes: a %s version (from %s: %s)\n", r.incompatible, r.compatible, bump, version, next)
}

// nextVersion is the semver bump the changes imply and the version it
// gives, following Go's module rules: incompatible changes need a new major
// version, or below v1 a new minor one; compatible ones a new minor; none a
// patch.
func nextVersion(version string, incompatible, compatible int) (bump, next string) {
	major, minor, patch := parseVersion(version)
	switch {
	case incompatible > 0 && major == 0:
		return "major", fmt.Sprintf("v0.%d.0, as below v1 incompatible changes take a minor version", minor+1)
	case incompatible > 0:
		return "major", fmt.Sprintf("v%d.0.0, with the module path ending /v%d", major+1, major+1)
	case compatible > 0:
		return "minor", fmt.Sprintf("v%d.%d.0", major, minor+1)
	default:
		return "patch", fmt.Sprintf("v%d.%d.%d", major, minor, patch+1)
	}
}

func parseVersion(v string) (major, minor, patch int) {
	v = strings.TrimPrefix(v, "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	parts := strings.SplitN(v, ".", 3)
	nums := [3]int{}
	for i := range parts {
		nums[i], _ = strconv.Atoi(parts[i])
	}
	return nums[0], nums[1], nums[2]
}

// versionAt is the latest semver tag at or before commit, v0.0.0 when none.
func versionAt(commit string) string {
	cmd := exec.Command("git", "describe", "--tags", "--abbrev=0", "--match", "v[0-9]*", commit)
	out, err := cmd.Output()
	if tag := strings.TrimSpace(string(out)); err == nil && tag != "" {
		return tag
	}
	return "v0.0.0"
}
