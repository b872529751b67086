package clienttest_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/smoochkit/smooch-go/smooch"
)

// Where this package's tests find the repository's files: the README, the Makefile, package smooch's sources.
const (
	repoRoot  = "../.."
	smoochDir = "../../smooch"
)

// Obviously fake credentials.
const (
	accountKeyID = "act_5963ceb97cde542d000dbdb1"
	appKeyID     = "app_5723a347f82ba0516cb4ea34"
	serviceKeyID = "svc_5808ba5cedf3b5931970e054"
	testSecret   = "test-secret-not-real"
)

// request is what the fake API saw of one request.
type request struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
}

// fakeAPI is an httptest server that records every request and answers with respond.
type fakeAPI struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []request
	respond func(w http.ResponseWriter, r *http.Request, n int) // n counts requests from 0
}

func newFakeAPI(t testing.TB, respond func(w http.ResponseWriter, r *http.Request, n int)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{respond: respond}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		n := len(f.reqs)
		f.reqs = append(f.reqs, request{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
		f.mu.Unlock()
		f.respond(w, r, n)
	}))
	t.Cleanup(f.Close)
	return f
}

// answer returns a responder always writing status and a JSON body.
func answer(status int, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func (f *fakeAPI) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

func (f *fakeAPI) count() int { return len(f.requests()) }

// fastRetries keeps retry tests quick.
var fastRetries = smooch.WithBackoff(time.Millisecond, 20*time.Millisecond)

func newClient(t testing.TB, f *fakeAPI, creds smooch.Credentials, opts ...smooch.Option) *smooch.Client {
	t.Helper()
	opts = append([]smooch.Option{smooch.WithBaseURL(f.URL), fastRetries}, opts...)
	c, err := smooch.New(creds, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func accountCreds() smooch.Credentials { return smooch.AccountKey(accountKeyID, testSecret) }

// repoTestFiles reads every _test.go file of the repository, in every module (testdata and hidden directories
// left out), keyed by its path.
func repoTestFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(repoRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != repoRoot {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		files[path] = src
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("found no test file under " + repoRoot)
	}
	return files
}

// clientCalls reports whether package smooch has a method for a contract operation: every operation but the
// app-scope paths of the 2017 reference (x-smooch-app-scope-form-of), which the client reaches through the
// /v1/apps/{appId} form the extension names.
func clientCalls(op *openapi3.Operation) bool {
	_, older := op.Extensions["x-smooch-app-scope-form-of"]
	return !older
}

func TestMain(m *testing.M) {
	code := m.Run()
	if !consumerModCacheMade.Load() {
		os.Exit(code)
	}
	if dir, err := consumerModCacheDir(); err == nil {
		_ = os.RemoveAll(dir) // the module-graph tests' module cache, made writable by -modcacherw
	}
	os.Exit(code)
}
