package clienttest_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"
	"sync/atomic"

	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// The module graph a user's module gets from depending on the SDK. deps_test.go checks what package smooch
// links; this checks what its module drags into a user's version selection, where every requirement of every
// go.mod on the way counts, test-only or not. Each case builds a product team's module in a temporary
// directory, first without the SDK (its baseline), then with it, and compares what `go mod tidy` and
// `go list -m all` make of them. The SDK's modules come as a user gets them: zipped from this checkout (what
// git would commit) into a module proxy of the test's own, at the version they require each other at, with no
// replace directive, so the go.mod files' requirements between the modules are tested too.

// consumerDeps are libraries a product team already uses, at versions older than any of this repository's
// modules requires: an SDK that upgraded them would change the team's build.
var consumerDeps = map[string]string{
	"github.com/stretchr/testify": "v1.8.4",
	"golang.org/x/text":           "v0.14.0",
	"golang.org/x/tools":          "v0.20.0",
}

// sdkModules are this repository's published modules and their directories in the checkout.
var sdkModules = map[string]string{
	"github.com/smoochkit/smooch-go/smooch":            "smooch",
	"github.com/smoochkit/smooch-go/smooch/smoochtest": "smooch/smoochtest",
	"github.com/smoochkit/smooch-go/openapi":           "openapi",
	"github.com/smoochkit/smooch-go/gen":               "gen",
}

// maintainersTooling are module path prefixes of the maintainers' tools and the contract suite: no user's graph
// may hold any of them, whatever the user imports.
var maintainersTooling = []string{
	"github.com/oapi-codegen/oapi-codegen", "honnef.co/go/tools", "golang.org/x/perf", "golang.org/x/exp",
	"github.com/oasdiff/oasdiff", "github.com/dnaeon/go-vcr", "github.com/smoochkit/smooch-go ",
}

// TestAClientOnlyUserGetsTheClientAndGolangJWT: a module that imports only smooch (and kin-openapi, x/text,
// x/tools, testify of its own, at old versions) gains exactly two modules, smooch and golang-jwt; none of its
// versions changes, and its go line stays at 1.25.0.
func TestAClientOnlyUserGetsTheClientAndGolangJWT(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (builds consumer modules with go mod tidy (the module proxy)): make test-e2e runs it")
	}
	deps := map[string]string{"github.com/getkin/kin-openapi": "v0.120.0"}
	for m, v := range consumerDeps {
		deps[m] = v
	}
	main := `package main

import (
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/text/language"
	"golang.org/x/tools/txtar"
	%s
)

func main() {
	doc := &openapi3.T{OpenAPI: "3.0.3"}
	fmt.Println(doc.OpenAPI, language.English, len(txtar.Parse(nil).Files)%s)
}
`
	test := "package main\n\nimport (\n\t\"testing\"\n\n\t\"github.com/stretchr/testify/assert\"\n)\n\nfunc TestTrue(t *testing.T) { assert.True(t, true) }\n"
	before := tidyConsumer(t, deps, map[string]string{"main.go": fmtMain(main, "", ""), "main_test.go": test})
	after := tidyConsumer(t, deps, map[string]string{
		"main.go":      fmtMain(main, `"github.com/smoochkit/smooch-go/smooch"`, ", smooch.Version"),
		"main_test.go": test,
	})
	assertGoLine(t, after, "1.25.0")
	added, changed := compareGraphs(before.modules, after.modules)
	assertSame(t, "modules the SDK added", added, []string{"github.com/golang-jwt/jwt/v5", "github.com/smoochkit/smooch-go/smooch"})
	assertSame(t, "versions the SDK changed", changed, nil)
	assertNoTooling(t, after.modules)

	// On its own, the client's whole graph: the user's module, smooch and golang-jwt.
	bare := tidyConsumer(t, nil, map[string]string{"main.go": "package main\n\nimport \"github.com/smoochkit/smooch-go/smooch\"\n\nfunc main() { println(smooch.Version) }\n"})
	assertGoLine(t, bare, "1.25.0")
	if len(bare.modules) > 12 {
		t.Errorf("a module importing only smooch has %d modules in its graph, more than a dozen: %v", len(bare.modules), keys(bare.modules))
	}
	t.Logf("modules in the graph: %d importing only smooch; %d before and %d after adding smooch to a module using %v",
		len(bare.modules), len(before.modules), len(after.modules), keys(deps))
}

// fakeNeeds are the modules a user's test that imports smoochtest may gain, and why each is there: what the
// fake needs, and nothing of the maintainers' tooling. A module not listed fails the test.
var fakeNeeds = map[string]string{
	"github.com/smoochkit/smooch-go/smooch":            "the client",
	"github.com/golang-jwt/jwt/v5":                     "the client's JWTs, and the fake verifying them",
	"github.com/smoochkit/smooch-go/smooch/smoochtest": "the fake",
	"github.com/smoochkit/smooch-go/openapi":           "the contract the fake validates every request and answer against",
	"github.com/getkin/kin-openapi":                    "openapi: the contract's validator",
	"github.com/go-openapi/jsonpointer":                "kin-openapi",
	"github.com/go-openapi/swag/jsonname":              "kin-openapi",
	"github.com/go-openapi/testify/v2":                 "kin-openapi's jsonpointer (its go.mod)",
	"github.com/gorilla/mux":                           "kin-openapi",
	"github.com/oasdiff/yaml":                          "kin-openapi",
	"github.com/oasdiff/yaml3":                         "kin-openapi",
	"github.com/santhosh-tekuri/jsonschema/v6":         "kin-openapi",
	"github.com/dlclark/regexp2":                       "kin-openapi's jsonschema (its go.mod)",
	"go.yaml.in/yaml/v3":                               "openapi's tests, and oapi-codegen/runtime",
	"github.com/smoochkit/smooch-go/gen":               "the fake's generated server",
	"github.com/oapi-codegen/runtime":                  "gen: the generated server's parameter binding and unions",
	"github.com/oapi-codegen/nullable":                 "oapi-codegen/runtime",
	"github.com/apapsch/go-jsonmerge/v2":               "oapi-codegen/runtime",
	"github.com/RaveNoX/go-jsoncommentstrip":           "go-jsonmerge (which has no go.mod, so its graph is not pruned)",
	"github.com/bmatcuk/doublestar":                    "go-jsonmerge",
	"github.com/juju/gnuflag":                          "go-jsonmerge",
	"github.com/spkg/bom":                              "go-jsonmerge",
	"github.com/google/uuid":                           "oapi-codegen/runtime",
	"github.com/kr/pretty":                             "testify's and kin-openapi's tests (their go.mod)",
	"github.com/rogpeppe/go-internal":                  "kr/pretty",
	"github.com/kr/text":                               "kr/pretty",
}

// fakeUpgrades are the versions a smoochtest user's own modules may be raised to, and why.
var fakeUpgrades = map[string]string{
	"github.com/stretchr/testify v1.12.1":                  "oapi-codegen/runtime v1.9.0 requires it (so do smoochtest's and openapi's tests)",
	"github.com/stretchr/objx v0.5.3":                      "testify v1.12.1",
	"gopkg.in/check.v1 v1.0.0-20201130134442-10cb98267c6c": "kin-openapi",
}

// TestAFakeUserGetsWhatTheFakeNeeds: a module whose test imports smoochtest gains what the fake needs (fakeNeeds),
// nothing of the maintainers' tooling; no version it uses changes beyond fakeUpgrades; its go line is raised
// to 1.26.0, which oapi-codegen/runtime v1.9.0 declares (no earlier runtime has a go.mod without gin, echo and
// iris) and no further.
func TestAFakeUserGetsWhatTheFakeNeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (builds consumer modules with go mod tidy (the module proxy)): make test-e2e runs it")
	}
	main := "package main\n\nimport (\n\t\"fmt\"\n\n\t\"golang.org/x/text/language\"\n\t\"golang.org/x/tools/txtar\"\n%s)\n\n" +
		"func main() { fmt.Println(language.English, len(txtar.Parse(nil).Files)%s) }\n"
	plainTest := "package main\n\nimport (\n\t\"testing\"\n\n\t\"github.com/stretchr/testify/assert\"\n)\n\nfunc TestTrue(t *testing.T) { assert.True(t, true) }\n"
	fakeTest := `package main

import (
	"context"
	"testing"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
	"github.com/stretchr/testify/require"
)

func TestProvision(t *testing.T) {
	srv := smoochtest.NewServer()
	defer srv.Close()
	key := srv.AccountKey()
	client, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	app, err := client.Apps.Create(context.Background(), smooch.AppCreate{Name: "Acme"})
	require.NoError(t, err)
	require.Equal(t, "Acme", app.Name)
}
`
	before := tidyConsumer(t, consumerDeps, map[string]string{"main.go": fmtMain(main, "", ""), "main_test.go": plainTest})
	after := tidyConsumer(t, consumerDeps, map[string]string{
		"main.go":      fmtMain(main, "\t\"github.com/smoochkit/smooch-go/smooch\"\n", ", smooch.Version"),
		"main_test.go": fakeTest,
	})
	assertGoLine(t, after, "1.26.0")
	added, changed := compareGraphs(before.modules, after.modules)
	for _, m := range added {
		if _, ok := fakeNeeds[m]; !ok {
			t.Errorf("importing smoochtest adds %s %s, which fakeNeeds does not list", m, after.modules[m])
		}
	}
	for _, m := range changed {
		if _, ok := fakeUpgrades[m+" "+after.modules[m]]; !ok {
			t.Errorf("importing smoochtest changes %s from %s to %s, which fakeUpgrades does not list", m, before.modules[m], after.modules[m])
		}
	}
	// The lists are exact: an entry the graph no longer needs is taken out, so that they never only grow.
	for m := range fakeNeeds {
		if !slices.Contains(added, m) {
			t.Errorf("fakeNeeds lists %s, which importing smoochtest no longer adds: take it out", m)
		}
	}
	for upgrade := range fakeUpgrades {
		m, v, _ := strings.Cut(upgrade, " ")
		if !slices.Contains(changed, m) || after.modules[m] != v {
			t.Errorf("fakeUpgrades lists %s, which importing smoochtest no longer brings: take it out", upgrade)
		}
	}
	assertNoTooling(t, after.modules)
	// The user's test really runs against the fake with that graph.
	runIn(t, after.dir, "test", "./...")
	t.Logf("modules in the graph: %d before, %d after importing smoochtest in a test", len(before.modules), len(after.modules))
}

type consumer struct {
	dir     string
	goMod   string
	modules map[string]string // module path → selected version, from go list -m all (the user's own excluded)
}

func fmtMain(format, imp, use string) string {
	return strings.Replace(strings.Replace(format, "%s", imp, 1), "%s", use, 1)
}

// tidyConsumer writes a module example.com/consumer with go 1.25.0, the given requirements and files; runs go
// mod tidy (which requires the SDK's modules the files import, from the test's proxy) and go build; and lists
// its module graph.
func tidyConsumer(t *testing.T, deps map[string]string, files map[string]string) consumer {
	t.Helper()
	dir := t.TempDir()
	var mod strings.Builder
	mod.WriteString("module example.com/consumer\n\ngo 1.25.0\n\nrequire (\n")
	for _, m := range keys(deps) {
		mod.WriteString("\t" + m + " " + deps[m] + "\n")
	}
	mod.WriteString(")\n")
	files["go.mod"] = mod.String()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runIn(t, dir, "mod", "tidy")
	runIn(t, dir, "build", "./...")
	goMod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]string{}
	for line := range strings.Lines(runIn(t, dir, "list", "-m", "-f", "{{if not .Main}}{{.Path}} {{.Version}}{{end}}", "all")) {
		if path, version, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			modules[path] = version
		}
	}
	return consumer{dir: dir, goMod: string(goMod), modules: modules}
}

// goEnvs are, per test, the environment of its consumers' go commands: the SDK's proxy first, then the
// machine's module cache and proxy; a module cache of the test's own (the SDK's modules are not published at
// the version they require each other at); no workspace; the installed toolchain only (nothing may download
// another); no checksum database, which knows nothing of the test's proxy.
var goEnvs sync.Map // *testing.T → []string

func consumerEnv(t *testing.T) []string {
	if env, ok := goEnvs.Load(t); ok {
		return env.([]string)
	}
	proxy := sdkProxy(t)
	cache := strings.TrimSpace(runGo(t, "", nil, "env", "GOMODCACHE"))
	upstream := strings.TrimSpace(runGo(t, "", nil, "env", "GOPROXY"))
	env := append(os.Environ(),
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(filepath.Join(cache, "cache", "download"))+","+upstream,
		"GOMODCACHE="+consumerModCache(t), "GOFLAGS=-modcacherw", "GOSUMDB=off", "GOPRIVATE=", "GONOPROXY=", "GONOSUMDB=",
		"GOWORK=off", "GOTOOLCHAIN=local")
	goEnvs.Store(t, env)
	t.Cleanup(func() { goEnvs.Delete(t) })
	return env
}

// consumerModCacheDir is the module cache the consumers of every test of this package share (TestMain removes
// it): each module is extracted, and each package compiled, once for all of them. It holds the SDK's modules
// at the version they require each other at, never published, so it is not the machine's.
var (
	consumerModCacheDir = sync.OnceValues(func() (string, error) {
		consumerModCacheMade.Store(true)
		return os.MkdirTemp("", "smooch-consumers-modcache-")
	})
	consumerModCacheMade atomic.Bool // so that TestMain does not make one only to remove it
)

func consumerModCache(t *testing.T) string {
	dir, err := consumerModCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// sdkProxy writes a module proxy (GOPROXY=file://…) holding each of sdkModules at the version the others
// require it at, zipped from the checkout's files that git tracks or would track (ignored ones, such as
// node_modules, left out, as a tag's zip leaves them out). It fails when the modules require each other at
// different versions: a user's go get of one would bring another release of another.
func sdkProxy(t *testing.T) string {
	t.Helper()
	version := ""
	for _, dir := range sdkModules {
		data, err := os.ReadFile(filepath.Join(repoRoot, dir, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := modfile.ParseLax(dir+"/go.mod", data, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range f.Require {
			if _, ours := sdkModules[r.Mod.Path]; !ours {
				continue
			}
			if version == "" {
				version = r.Mod.Version
			} else if r.Mod.Version != version {
				t.Fatalf("%s/go.mod requires %s %s, but another module requires one of ours at %s: make release-versions sets them alike",
					dir, r.Mod.Path, r.Mod.Version, version)
			}
		}
	}
	if version == "" {
		t.Fatal("no module of the SDK requires another: the walk found nothing")
	}
	proxy := t.TempDir()
	for _, path := range keys(sdkModules) {
		dir := sdkModules[path]
		escaped, err := module.EscapePath(path)
		if err != nil {
			t.Fatal(err)
		}
		at := filepath.Join(proxy, filepath.FromSlash(escaped), "@v")
		if err := os.MkdirAll(at, 0o755); err != nil {
			t.Fatal(err)
		}
		goMod, err := os.ReadFile(filepath.Join(repoRoot, dir, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		var zipped bytes.Buffer
		if err := modzip.Create(&zipped, module.Version{Path: path, Version: version}, moduleFiles(t, dir)); err != nil {
			t.Fatalf("zipping %s: %v", dir, err)
		}
		for name, content := range map[string][]byte{
			"list":            []byte(version + "\n"),
			version + ".info": fmt.Appendf(nil, `{"Version":%q,"Time":"2026-01-01T00:00:00Z"}`, version),
			version + ".mod":  goMod,
			version + ".zip":  zipped.Bytes(),
		} {
			if err := os.WriteFile(filepath.Join(at, name), content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return proxy
}

// moduleFiles lists the files of the module in dir (relative to the repository) as git sees them: tracked, or
// untracked and not ignored. Reading them here also makes the test cache key on them.
func moduleFiles(t *testing.T, dir string) []modzip.File {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", dir)
	cmd.Dir = repoRoot
	list, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files %s: %v", dir, err)
	}
	var files []modzip.File
	for _, name := range strings.Split(string(list), "\x00") {
		if name == "" {
			continue
		}
		full := filepath.Join(repoRoot, filepath.FromSlash(name))
		data, err := os.ReadFile(full)
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted in the working tree
		} else if err != nil {
			t.Fatal(err)
		}
		info, err := os.Lstat(full)
		if err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(name, dir+"/")
		files = append(files, memFile{rel, info, data})
	}
	return files
}

// memFile is a file of a module zip, read in full.
type memFile struct {
	path string
	info fs.FileInfo
	data []byte
}

func (f memFile) Path() string                 { return f.path }
func (f memFile) Lstat() (fs.FileInfo, error)  { return f.info, nil }
func (f memFile) Open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(f.data)), nil }

// runIn runs the go command as a user would, in the consumer module dir (consumerEnv).
func runIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return runGo(t, dir, consumerEnv(t), args...)
}

// runGo runs the go command in dir with env (nil: this process's) and returns its output.
func runGo(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

func compareGraphs(before, after map[string]string) (added, changed []string) {
	for m, v := range after {
		switch old, ok := before[m]; {
		case !ok:
			added = append(added, m)
		case old != v:
			changed = append(changed, m)
		}
	}
	slices.Sort(added)
	slices.Sort(changed)
	return added, changed
}

func assertGoLine(t *testing.T, c consumer, want string) {
	t.Helper()
	for line := range strings.Lines(c.goMod) {
		line = strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(line, "go "); ok && v != want {
			t.Errorf("the user's go line became %q, want %q", line, "go "+want)
		}
		if strings.HasPrefix(line, "toolchain ") {
			t.Errorf("the user's go.mod gained %q", line)
		}
	}
}

func assertSame(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: %v, want %v", what, got, want)
	}
}

func assertNoTooling(t *testing.T, modules map[string]string) {
	t.Helper()
	for m, v := range modules {
		for _, prefix := range maintainersTooling {
			if strings.HasPrefix(m+" ", prefix) {
				t.Errorf("the user's graph holds %s %s, of the maintainers' tooling", m, v)
			}
		}
	}
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
