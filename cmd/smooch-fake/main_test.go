package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the command on a free loopback port and returns its banner
// values and a stop function that waits for a clean exit.
func start(t *testing.T, args ...string) (map[string]string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw, stderr)
		pw.Close()
	}()
	banner := map[string]string{}
	sc := bufio.NewScanner(pr)
	for len(banner) < 6 && sc.Scan() {
		line := sc.Text()
		if curl, ok := strings.CutPrefix(line, "# curl "); ok {
			key := "curl"
			if strings.Contains(curl, " -d ") {
				key = "curl POST"
			}
			banner[key] = "curl " + curl
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		assignment, ok := strings.CutPrefix(line, "export ")
		if !ok {
			t.Fatalf("banner line %q is neither a comment nor an export line", line)
		}
		k, v, _ := strings.Cut(assignment, "=")
		words := shellWords(t, v)
		if len(words) != 1 {
			t.Fatalf("banner line %q: the value is not one shell word", line)
		}
		banner[k] = words[0]
	}
	if len(banner) < 6 {
		cancel()
		t.Fatalf("no banner; err %v; stderr: %s", <-done, stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return banner, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("did not stop")
			return nil
		}
	}
}

func TestServesAndStopsCleanly(t *testing.T) {
	banner, stop := start(t, "-seed", "7", "-verify", "off")
	if !strings.HasPrefix(banner["SMOOCH_API_URL"], "http://127.0.0.1:") || !strings.HasPrefix(banner["SMOOCH_KEY_ID"], "act_") || len(banner["SMOOCH_SECRET"]) != 24 {
		t.Fatalf("banner = %v", banner)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"scope": "account"})
	tok.Header["kid"] = banner["SMOOCH_KEY_ID"]
	signed, err := tok.SignedString([]byte(banner["SMOOCH_SECRET"]))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, banner["SMOOCH_API_URL"]+"/v1/apps", strings.NewReader(`{"name":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+signed)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || body["app"]["name"] != "x" {
		t.Errorf("create app: %d %v", resp.StatusCode, body)
	}
	if err := stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
	if _, err := http.Get(banner["SMOOCH_API_URL"] + "/v1/apps"); err == nil {
		t.Error("still serving after stop")
	}

	// The same seed gives the same account key.
	again, stop2 := start(t, "-seed", "7")
	defer stop2()
	if again["SMOOCH_KEY_ID"] != banner["SMOOCH_KEY_ID"] || again["SMOOCH_SECRET"] != banner["SMOOCH_SECRET"] {
		t.Errorf("seed 7 twice: %v vs %v", banner, again)
	}
}

// TestPrintsAReadyJWTAndCurlLinesThatWork: SMOOCH_JWT is accepted as it is, and the printed curl commands,
// taken apart as a shell would, list the apps and create one (a POST needs its Content-Type: the API refuses
// curl's default form encoding).
func TestPrintsAReadyJWTAndCurlLinesThatWork(t *testing.T) {
	banner, stop := start(t)
	defer stop()
	post := shellWords(t, banner["curl POST"])
	if len(post) != 8 || post[0] != "curl" || post[1] != "-H" || post[3] != "-H" || post[4] != "Content-Type: application/json" || post[5] != "-d" {
		t.Fatalf("curl line %q: want curl -H 'Authorization: Bearer …' -H 'Content-Type: application/json' -d BODY URL", banner["curl POST"])
	}
	req, _ := http.NewRequest(http.MethodPost, post[7], strings.NewReader(post[6]))
	for _, h := range []string{post[2], post[4]} {
		name, value, _ := strings.Cut(h, ": ")
		req.Header.Set(name, value)
	}
	created, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = created.Body.Close()
	if created.StatusCode != http.StatusCreated {
		t.Errorf("the POST curl line answers %d", created.StatusCode)
	}

	args := shellWords(t, banner["curl"])
	if len(args) != 4 || args[0] != "curl" || args[1] != "-H" {
		t.Fatalf("curl line %q: want curl -H 'Authorization: Bearer …' URL", banner["curl"])
	}
	name, value, _ := strings.Cut(args[2], ": ")
	if value != "Bearer "+banner["SMOOCH_JWT"] {
		t.Errorf("curl sends %q, not SMOOCH_JWT", value)
	}
	req, _ = http.NewRequest(http.MethodGet, args[3], nil)
	req.Header.Set(name, value)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Apps []any `json:"apps"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK || len(body.Apps) != 1 {
		t.Errorf("the curl line answers %d, %d apps (%v)", resp.StatusCode, len(body.Apps), err)
	}
}

// TestEnvFileIsForAShellToSource: -env-file writes the export lines, whole and readable by the owner only,
// once the server listens; a shell that sources it gets the banner's values; a clean stop removes it.
func TestEnvFileIsForAShellToSource(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fake.env")
	banner, stop := start(t, "-env-file", path)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no env file once the banner is printed: %v", err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("env file mode %v, want 0600: it holds the account key's secret", perm)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"SMOOCH_API_URL", "SMOOCH_KEY_ID", "SMOOCH_SECRET", "SMOOCH_JWT"} {
		if want := "export " + k + "='" + banner[k] + "'\n"; !strings.Contains(string(data), want) {
			t.Errorf("env file lacks %q:\n%s", want, data)
		}
	}
	if sh, err := exec.LookPath("sh"); err == nil {
		out, err := exec.Command(sh, "-c", `. "$1" && printf '%s %s' "$SMOOCH_KEY_ID" "$SMOOCH_API_URL"`, "sh", path).Output()
		if err != nil || string(out) != banner["SMOOCH_KEY_ID"]+" "+banner["SMOOCH_API_URL"] {
			t.Errorf("sh sourcing the file: %q, %v", out, err)
		}
	} else {
		t.Log("no sh to source the file with; its lines were checked")
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the env file outlived the server: %v", err)
	}
	if err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-env-file", filepath.Join(t.TempDir(), "no", "such", "dir", "fake.env")}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "-env-file") {
		t.Errorf("an env file that cannot be written: %v", err)
	}
}

// shellWords splits a command line as sh does for what the banner prints: words separated by spaces,
// single-quoted words kept whole.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	for line = strings.TrimSpace(line); line != ""; line = strings.TrimSpace(line) {
		if rest, ok := strings.CutPrefix(line, "'"); ok {
			word, after, found := strings.Cut(rest, "'")
			if !found {
				t.Fatalf("unterminated quote in %q", line)
			}
			words, line = append(words, word), after
			continue
		}
		word, after, _ := strings.Cut(line, " ")
		words, line = append(words, word), after
	}
	return words
}

func TestRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-addr", "0.0.0.0:0"},
		{"-addr", ":0"},
		{"-addr", "nonsense"},
		{"-addr", "127.0.0.1:0", "-verify", "maybe"},
		{"-addr", "127.0.0.1:0", "-max-body", "0"},
		{"-addr", "127.0.0.1:0", "extra"},
	} {
		var stderr bytes.Buffer
		err := run(context.Background(), args, io.Discard, &stderr)
		var usage usageError
		if !errors.As(err, &usage) {
			t.Errorf("%v: %v, want a usage error (exit status 2)", args, err)
		}
	}
	// -h prints the flags and is not an error of the command line.
	var stderr bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, io.Discard, &stderr); !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "-addr") {
		t.Errorf("-h: %v; printed %q", err, stderr.String())
	}
}

func TestAddressInUseIsNotAUsageError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = run(context.Background(), []string{"-addr", l.Addr().String()}, io.Discard, io.Discard)
	var usage usageError
	if err == nil || errors.As(err, &usage) {
		t.Errorf("listening on a busy address: %v, want a runtime error (exit status 1)", err)
	}
}

func TestCheckListenAddr(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		remote bool
		ok     bool
	}{
		{"127.0.0.1:8089", false, true},
		{"[::1]:8089", false, true},
		{"localhost:8089", false, true},
		{"0.0.0.0:8089", false, false},
		{":8089", false, false},
		{"192.0.2.1:8089", false, false},
		{"0.0.0.0:8089", true, true},
		{":8089", true, true},
		{"no-port", true, false},
	} {
		if err := checkListenAddr(tc.addr, tc.remote); (err == nil) != tc.ok {
			t.Errorf("checkListenAddr(%q, %v) = %v", tc.addr, tc.remote, err)
		}
	}
}
