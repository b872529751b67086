package conformance_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
)

// jwtLike finds JWT-shaped strings, as the suite's redaction and scan do.
var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// FuzzCassette feeds any bytes to the cassette validator, as `smooch-conformance validate` reads a file. The
// seeds are the suite's own cassettes (testdata/good.yaml, and excerpts in testdata/fuzz/FuzzCassette) and
// cassettes that carry credentials in odd places. Whatever the file holds:
//   - LoadCassette fails with an error naming the package, or loads;
//   - the Checker reports violations that are one line each, name the file and an interaction that exists;
//   - ScanSecrets reports findings that never repeat a JWT of the file in full;
//   - Redact leaves no JWT and no bearer token in any header, URL or body it promises to clean, and running it
//     twice changes nothing more.
func FuzzCassette(f *testing.F) {
	good, err := os.ReadFile("testdata/good.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte("version: 1\ninteractions: []\n"))
	f.Add([]byte("version: 2\ninteractions: []\n"))
	f.Add([]byte("interactions:\n- null\nversion: 1\n"))
	f.Add([]byte("---\nversion: 1\ninteractions:\n- request:\n    body: '{\"token\":\"123:abc\"}'\n    headers:\n      Authorization:\n      - Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl\n    url: https://api.smooch.io/v1/apps/a1/integrations?jwt=eyJhbGciOiJIUzI1NiJ9.e30.eA\n    method: POST\n  response:\n    body: '<html>\"secret\": \"s3cr3t-not-real\" eyJhbGciOiJIUzI1NiJ9.e30.c2ln</html>'\n    headers:\n      X-Api-Key:\n      - key-not-real\n    status: 500 Internal Server Error\n    code: 500\n"))
	v, err := openapi.NewValidator()
	if err != nil {
		f.Fatal(err)
	}
	checker := conformance.NewChecker(v)

	f.Fuzz(func(t *testing.T, data []byte) {
		// The validator answers any file promptly: CI runs it on whatever a live run recorded.
		done := make(chan struct{})
		timer := time.AfterFunc(10*time.Second, func() {
			select {
			case <-done:
			default:
				panic(fmt.Sprintf("the validator is still busy after 10s with %q", data))
			}
		})
		defer func() { close(done); timer.Stop() }()
		path := filepath.Join(t.TempDir(), "fuzz.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := conformance.LoadCassette(path)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "conformance: ") {
				t.Fatalf("LoadCassette: %v, want an error naming the package", err)
			}
			return
		}

		total, violations := checker.CheckCassettes(context.Background(), []*conformance.Cassette{c})
		if total != len(c.Interactions) {
			t.Fatalf("checked %d interactions of %d", total, len(c.Interactions))
		}
		for _, v := range violations {
			if s := v.String(); strings.ContainsAny(s, "\r\n") || v.Cassette != path || v.Index < -1 || v.Index >= len(c.Interactions) {
				t.Fatalf("violation %q (index %d of %d)", s, v.Index, len(c.Interactions))
			}
		}

		findings, err := conformance.ScanSecrets(path)
		if err != nil {
			t.Fatalf("ScanSecrets of a cassette that loads: %v", err)
		}
		for _, jwt := range jwtLike.FindAllString(string(data), -1) {
			if len(jwt) < 20 || jwt == conformance.RedactedJWT {
				continue
			}
			for _, finding := range findings {
				if strings.Contains(finding, jwt) {
					t.Fatalf("a finding repeats the JWT %s: %s", jwt, finding)
				}
			}
		}

		for i, in := range c.Interactions {
			if err := conformance.Redact(in); err != nil {
				t.Fatalf("Redact interaction %d: %v", i, err)
			}
			checkRedacted(t, i, in)
			once := cloneInteraction(in)
			if err := conformance.Redact(in); err != nil {
				t.Fatalf("Redact interaction %d again: %v", i, err)
			}
			if !reflect.DeepEqual(once, cloneInteraction(in)) {
				t.Fatalf("Redact is not idempotent on interaction %d:\n%+v\n%+v", i, once, in)
			}
		}
	})
}

// checkRedacted holds a redacted interaction to Redact's promise: no JWT but RedactedJWT in its headers, URL
// or bodies, and every bearer token "Bearer REDACTED".
func checkRedacted(t *testing.T, i int, in *cassette.Interaction) {
	t.Helper()
	texts := []string{in.Request.URL, in.Request.Body, in.Response.Body}
	for _, h := range []map[string][]string{in.Request.Headers, in.Response.Headers} {
		for name, values := range h {
			texts = append(texts, name)
			texts = append(texts, values...)
			for _, v := range values {
				scheme, token, ok := strings.Cut(strings.TrimSpace(v), " ")
				if ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(token) != "" && v != conformance.RedactedAuthorization &&
					strings.EqualFold(name, "Authorization") {
					t.Fatalf("interaction %d: %s is %q after Redact", i, name, v)
				}
			}
		}
	}
	for _, text := range texts {
		for _, jwt := range jwtLike.FindAllString(text, -1) {
			if jwt != conformance.RedactedJWT {
				t.Fatalf("interaction %d: JWT %s survives Redact in %q", i, jwt, text)
			}
		}
	}
}

// cloneInteraction is a deep enough copy to compare two passes of Redact.
func cloneInteraction(in *cassette.Interaction) cassette.Interaction {
	out := *in
	out.Request.Headers = in.Request.Headers.Clone()
	out.Response.Headers = in.Response.Headers.Clone()
	return out
}
