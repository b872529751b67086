package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"gopkg.in/yaml.v3"
)

// TestStreamReadsWhatGoVCRLoads reads every cassette of the repository (the committed ones and the test
// fixtures) with the stream reader and with go-vcr's loader: the interactions are equal.
func TestStreamReadsWhatGoVCRLoads(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "cassettes", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cassettes: %v", err)
	}
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	for _, path := range append(files, fixtures...) {
		want, err := loadWithGoVCR(path)
		if err != nil {
			continue // not a cassette: TestLoadCassettes… cover what the reader says of those
		}
		var got []*cassette.Interaction
		if err := StreamCassette(path, func(_ int, in *cassette.Interaction) error {
			got = append(got, in)
			return nil
		}); err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		assertSameInteractions(t, path, want.Interactions, got)
	}

}

func assertSameInteractions(t *testing.T, name string, want, got []*cassette.Interaction) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d interactions, go-vcr loads %d", name, len(got), len(want))
		return
	}
	for i := range want {
		if !reflect.DeepEqual(normalized(want[i]), normalized(got[i])) {
			t.Errorf("%s: interaction %d differs:\n got %#v\nwant %#v", name, i, *got[i], *want[i])
		}
	}
}

// normalized compares what an interaction holds: go-vcr leaves an empty form or header map nil or empty
// depending on how the YAML spelled it, which no user of a cassette can tell apart.
func normalized(in *cassette.Interaction) cassette.Interaction {
	out := *in
	if len(out.Request.Form) == 0 {
		out.Request.Form = nil
	}
	if len(out.Request.Headers) == 0 {
		out.Request.Headers = nil
	}
	if len(out.Response.Headers) == 0 {
		out.Response.Headers = nil
	}
	return out
}

// FuzzStreamCassette writes interactions made of arbitrary strings as go-vcr writes them (yaml.v3) and
// reads them back with the stream reader: it must read what go-vcr's loader reads, whatever the strings
// hold (quotes, newlines, control characters, invalid UTF-8, YAML syntax).
func FuzzStreamCassette(f *testing.F) {
	f.Add("POST", "https://api.smooch.io/v1/apps", `{"name":"x"}`, "Content-Type", "application/json", 201, "201 Created", "{\"app\":{}}\n")
	f.Add("GET", "https://x/y?z=1#f", "", "X-Odd", "'quoted' \"double\" # not a comment", 200, "", "line1\n\n  indented\n")
	f.Add("DELETE", "u", "a: b", "K", "- item", 404, "404: x", "\x00\x01\xff")
	f.Add("PUT", "", "|", "null", "true", 0, "~", "   leading spaces\ntrailing  \n\n")
	f.Fuzz(func(t *testing.T, method, url, reqBody, headerName, headerValue string, code int, status, respBody string) {
		in := &cassette.Interaction{
			Request: cassette.Request{Method: method, URL: url, Body: reqBody,
				Headers: map[string][]string{headerName: {headerValue, reqBody}}},
			Response: cassette.Response{Code: code, Status: status, Body: respBody,
				Headers: map[string][]string{"Content-Type": {headerValue}}},
		}
		data, err := yaml.Marshal(&struct {
			Version      int                     `yaml:"version"`
			Interactions []*cassette.Interaction `yaml:"interactions"`
		}{1, []*cassette.Interaction{in, in}})
		if err != nil {
			t.Skip() // not representable in YAML: go-vcr could not have written it either
		}
		path := filepath.Join(t.TempDir(), "fuzz.yaml")
		if err := os.WriteFile(path, append([]byte("---\n"), data...), 0o644); err != nil {
			t.Fatal(err)
		}
		want, wantErr := loadWithGoVCR(path)
		var got []*cassette.Interaction
		gotErr := StreamCassette(path, func(_ int, in *cassette.Interaction) error {
			got = append(got, in)
			return nil
		})
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("go-vcr: %v, stream: %v\n%s", wantErr, gotErr, data)
		}
		if wantErr == nil {
			assertSameInteractions(t, "fuzz", want.Interactions, got)
		}
	})
}

// A file that must be read whole (its interactions a flow sequence: JSON, which YAML reads too) is
// refused past maxWhole, before yaml.v3 spends twenty-odd times its size on it; below the bound it loads.
func TestFilesReadWholeAreBounded(t *testing.T) {
	c, err := loadWithGoVCR("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	flow, err := json.Marshal(c.Interactions)
	if err != nil {
		t.Fatal(err)
	}
	data := append([]byte("version: 1\ninteractions: "), flow...)
	path := filepath.Join(t.TempDir(), "good.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	defer func(was int) { maxWhole = was }(maxWhole)

	maxWhole = len(data)
	n := 0
	if err := StreamCassette(path, func(int, *cassette.Interaction) error { n++; return nil }); err != nil || n != 8 {
		t.Fatalf("at the bound: %d interactions, %v", n, err)
	}
	maxWhole = len(data) - 1
	err = StreamCassette(path, func(int, *cassette.Interaction) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "cannot be read one interaction at a time") {
		t.Fatalf("past the bound: %v", err)
	}
}

// Whatever the block layout, interactions are read one at a time, never the whole file: PyYAML's (items at
// column 0, keys in name order), other top-level keys, comments, another indentation, a document end. With
// maxWhole at one byte, a reader that fell back to loading the whole file would fail.
func TestEveryBlockLayoutIsStreamed(t *testing.T) {
	defer func(was int) { maxWhole = was }(maxWhole)
	maxWhole = 1
	one := "request:\n  body: ''\n  method: GET\n  url: https://api.smooch.io/v1/apps\nresponse:\n  body: '{}'\n  code: 200\n  status: 200 OK\n"
	indented := func(n int, text string) string {
		var out strings.Builder
		for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			prefix := strings.Repeat(" ", n) + "  "
			if i == 0 {
				prefix = strings.Repeat(" ", n) + "- "
			}
			out.WriteString(prefix + line + "\n")
		}
		return out.String()
	}
	for name, doc := range map[string]string{
		"go-vcr":           "---\nversion: 1\ninteractions:\n" + indented(4, one) + indented(4, one),
		"PyYAML":           "interactions:\n" + indented(0, one) + indented(0, one) + "version: 1\n",
		"other keys":       "# recorded by hand\nversion: 1\nmeta:\n  by: someone\n  tools: [a, b]\ninteractions:\n" + indented(2, one) + "\n" + indented(2, one) + "...\n",
		"nested sequences": "version: 1\ninteractions:\n" + indented(1, one+"  headers:\n    Accept:\n    - a\n    - b\n") + indented(1, one),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			n := 0
			err := StreamCassette(path, func(_ int, in *cassette.Interaction) error {
				n++
				if in.Request.URL != "https://api.smooch.io/v1/apps" || in.Response.Code != 200 {
					t.Errorf("interaction %d: %+v", n, *in)
				}
				return nil
			})
			if err != nil || n != 2 {
				t.Fatalf("%d interactions, %v:\n%s", n, err, doc)
			}
		})
	}
}
