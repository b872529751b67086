package main

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Files that are not cassettes, or not readable ones, in every command: each ends in exit 2 with one line per
// file that names it and says what is wrong, and nothing panics.
func TestUnreadableInputsExit2WithAClearMessage(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	binary := make([]byte, 4096)
	_, _ = rand.Read(binary)
	binary[100] = 0 // whatever the random bytes, a NUL makes it binary

	loop := filepath.Join(dir, "loop")
	require.NoError(t, os.Mkdir(loop, 0o700))
	require.NoError(t, os.Symlink("loop-b.yaml", filepath.Join(loop, "loop-a.yaml")))
	require.NoError(t, os.Symlink("loop-a.yaml", filepath.Join(loop, "loop-b.yaml")))

	cases := []struct {
		name, path string
		want       string // the message after "smooch-conformance <command>: "
	}{
		{"empty file", write("empty.yaml", ""), "empty.yaml: not a go-vcr v2 cassette (the file is empty)"},
		{"binary file", write("binary.yaml", string(binary)), "binary.yaml: not a go-vcr v2 cassette (binary data, not YAML text)"},
		{"malformed YAML", write("malformed.yaml", "---\nversion: 1\ninteractions:\n    - request:\n        body: {\"x\n        url: [\n"),
			`malformed.yaml: interaction 0 (lines 4-6): invalid YAML: `},
		{"malformed YAML, go-vcr's layout elsewhere", write("odd.yaml", "version: 1\ninteractions: [{request: [}]\n"),
			"odd.yaml: not a go-vcr v2 cassette: yaml: "},
		{"a value of the wrong type", write("typed.yaml", "---\nversion: 1\ninteractions:\n    - request:\n        url: https://api.smooch.io/v1/apps\n      response:\n        code: two hundred\n"),
			"typed.yaml: interaction 0 (lines 4-7): yaml: unmarshal errors: line 7: cannot unmarshal"},
		{"symbolic link loop", filepath.Join(loop, "loop-a.yaml"), "loop-a.yaml: too many levels of symbolic links"},
	}
	for _, tc := range cases {
		for _, command := range []string{"validate", "coverage", "drift"} {
			t.Run(tc.name+"/"+command, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, command, tc.path)
				assert.Equal(t, exitUsage, code, stdout)
				assert.Contains(t, stderr, "smooch-conformance "+command+": ")
				assert.Contains(t, stderr, tc.want)
				assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line per file:\n%s", stderr)
			})
		}
	}

	// A directory of them: each file on a line of its own, and the symbolic link loop is not followed forever.
	require.NoError(t, os.Symlink("..", filepath.Join(loop, "parent")))
	code, _, stderr := runCLI(t, "validate", dir)
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, 1, strings.Count(stderr, "the file is empty"), stderr)
	assert.Equal(t, 1, strings.Count(stderr, "binary data"), stderr)
	assert.Contains(t, stderr, "too many levels of symbolic links")
}

// A directory named through a symbolic link is searched like the directory itself.
func TestValidateFollowsALinkToADirectory(t *testing.T) {
	link := filepath.Join(t.TempDir(), "recorded")
	abs, err := filepath.Abs("../../testdata")
	require.NoError(t, err)
	require.NoError(t, os.Symlink(abs, link))
	code, stdout, stderr := runCLI(t, "validate", link)
	assert.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "8 interactions, 0 violations\n", stdout)
}

// A cassette of 100,000 interactions is validated one interaction at a time: the live heap, sampled while the
// command runs, stays far below the file's size, and the run takes seconds (the bound below is generous for the race detector; the figure is in
// make bench).
func TestValidateAHundredThousandInteractions(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (validates a 100,000-interaction cassette): make test-e2e runs it")
	}
	const n = 100_000
	interaction := `    - request:
        body: ""
        form: {}
        headers:
            Authorization:
                - Bearer REDACTED
        url: https://api.smooch.io/v1/apps/55c8d9758590aa1900b9b9f6
        method: GET
      response:
        body: '{"error":{"code":"not_found","description":"App not found"}}'
        headers:
            Content-Type:
                - application/json
        status: 404 Not Found
        code: 404
        duration: 0s
`
	path := filepath.Join(t.TempDir(), "day.yaml")
	f, err := os.Create(path)
	require.NoError(t, err)
	_, err = f.WriteString("---\nversion: 1\ninteractions:\n" + strings.Repeat(interaction, n))
	require.NoError(t, err)
	require.NoError(t, f.Close())
	size := int64(len(interaction) * n)

	liveHeap := func() uint64 { // what is reachable: garbage not yet collected would make the figure noise
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	// The contract's validator is built once per process, by the first validation: build it before the baseline,
	// so that the growth measured is the cassette's alone.
	code, _, stderr := runCLI(t, "validate", good)
	require.Equal(t, exitOK, code, stderr)
	runtime.GC()
	base := liveHeap()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if h := liveHeap(); h > peak.Load() {
					peak.Store(h)
				}
			}
		}
	}()
	start := time.Now()
	code, stdout, stderr := runCLI(t, "validate", path)
	elapsed := time.Since(start)
	close(stop)
	<-sampled

	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, "100000 interactions, 0 violations\n", stdout)
	growth := int64(peak.Load()) - int64(base)
	t.Logf("%d interactions (%d MiB) in %s; the live heap grew by at most %d MiB", n, size>>20, elapsed.Round(time.Millisecond), growth>>20)
	assert.Less(t, growth, size/4, "the heap grew with the cassette: interactions are kept")
	assert.Less(t, elapsed, 2*time.Minute)
}
