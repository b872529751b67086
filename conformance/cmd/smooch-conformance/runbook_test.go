package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

// The README's "When the API changes" walks the loop from a live run's drift
// to a regenerated, versioned SDK. TestRunbook runs its commands, read from
// the README, in a copy of this repository against a Smooch that has moved
// on: smoochtest behind a proxy that adds a "region" to every app and a
// "message:reaction" trigger to every listed webhook. So the runbook cannot
// rot: a command that stops working, or a changed command this test does not
// know, fails it.

const (
	newField   = "region"
	newTrigger = "message:reaction"
)

// driftingSmooch serves smoochtest with the API's imagined changes applied
// to its JSON answers.
func driftingSmooch(t *testing.T) (string, smoochtest.Key) {
	t.Helper()
	fake := smoochtest.NewUnstartedServer(smoochtest.WithWebhookVerifier(func(_ context.Context, origin *url.URL) error {
		if strings.HasSuffix(origin.Hostname(), ".invalid") { // the suite's unreachable target, refused as live
			return fmt.Errorf("webhook target %s did not answer", origin)
		}
		return nil
	}))
	inner := fake.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		inner.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			body = addDrift(t, body)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(fake.Close)
	return srv.URL, fake.AccountKey()
}

func addDrift(t *testing.T, body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v map[string]any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	apps := []any{v["app"]}
	if list, ok := v["apps"].([]any); ok {
		apps = list
	}
	for _, a := range apps {
		if app, ok := a.(map[string]any); ok {
			app[newField] = "eu-west" // a plain word: a live run records it in clear (a value with digits would be REDACTED, and proposed secret)
		}
	}
	if hooks, ok := v["webhooks"].([]any); ok {
		for _, h := range hooks {
			if hook, ok := h.(map[string]any); ok {
				triggers, _ := hook["triggers"].([]any)
				hook["triggers"] = append(triggers, newTrigger)
			}
		}
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Errorf("re-encode %s: %v", body, err)
		return body
	}
	return out
}

// runbookCommands are the shell lines of the README's runbook, in order.
func runbookCommands(t *testing.T) []string {
	t.Helper()
	readme, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## When the API changes\n")
	require.True(t, ok, `README.md has a "When the API changes" section`)
	_, block, ok := strings.Cut(section, "```sh\n")
	require.True(t, ok, "the runbook has a sh block")
	block, _, ok = strings.Cut(block, "```")
	require.True(t, ok)
	var commands []string
	for _, line := range strings.Split(block, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			commands = append(commands, line)
		}
	}
	return commands
}

// envPrefix is the variable assignments a command line starts with.
var envPrefix = regexp.MustCompile(`^(?:[A-Z_]+=\S*\s+)*`)

// copyModule copies the repository's working tree (not .git) to dir.
func copyModule(t *testing.T, root, dir string) {
	t.Helper()
	require.NoError(t, filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if d.Name() == ".git" || rel == "bin" || rel == "live" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, info.Mode().Perm())
	}))
}

// shellEnv is the environment the runbook's commands run in: this one,
// without what would leak in from an enclosing make or a live run of ours,
// pointed at the drifting Smooch.
func shellEnv(apiURL string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "SMOOCH_") || name == "MAKEFLAGS" || name == "MFLAGS" || name == "MAKELEVEL" || name == "GOTOOLCHAIN" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "SMOOCH_API_URL="+apiURL, "GOTOOLCHAIN=local",
		"GIT_AUTHOR_NAME=runbook", "GIT_AUTHOR_EMAIL=runbook@example.com", "GIT_COMMITTER_NAME=runbook",
		"GIT_COMMITTER_EMAIL=runbook@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
}

// shell runs line with sh in dir and logs it as shown (the README's line,
// without the credentials put in its place).
func shell(t *testing.T, dir string, env []string, line, shown string) (int, string) {
	t.Helper()
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir, cmd.Env = dir, env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err, line)
	}
	t.Logf("$ %s\n(exit %d, %s)\n%s", shown, code, time.Since(start).Round(time.Millisecond), out)
	return code, string(out)
}

func TestRunbook(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (runs the contract suite twice, the generator and both diff tools): make test-e2e runs it")
	}
	for _, tool := range []string{"sh", "git", "make", "go"} {
		_, err := exec.LookPath(tool)
		require.NoError(t, err, "the runbook needs %s", tool)
	}
	root, err := filepath.Abs("../../..")
	require.NoError(t, err)
	repo := t.TempDir()
	copyModule(t, root, repo)
	apiURL, key := driftingSmooch(t)
	env := shellEnv(apiURL)
	// A repository of its own, so that make contract-diff and make api-diff have a base (its only commit).
	for _, line := range []string{"git init -q", "git add -A", "git commit -q -m base"} {
		code, _ := shell(t, repo, env, line, line)
		require.Equal(t, 0, code, line)
	}

	runs := 0
	steps := map[string]func(code int, out string){
		"make conformance-live": func(code int, out string) {
			runs++
			cassettes, err := filepath.Glob(filepath.Join(repo, "live", "*.yaml"))
			require.NoError(t, err)
			assert.NotEmpty(t, cassettes, "the live run wrote its cassettes")
			if runs == 1 {
				assert.NotEqual(t, 0, code, "the contract does not allow the new trigger: the live run fails")
				assert.Contains(t, out, `value is not one of the allowed values`)
				assert.Contains(t, out, `field "app.`+newField+`" is not declared`, "the new field is a warning")
				return
			}
			assert.Equal(t, 0, code, "after the patch the live run passes")
			assert.NotContains(t, out, "not declared")
		},
		"go run ./conformance/cmd/smooch-conformance drift live": func(code int, out string) {
			assert.Equal(t, 1, code, "there is drift")
			checkRunbookDrift(t, filepath.Join(repo, "live"), out)
		},
		"go run ./conformance/cmd/smooch-conformance drift -patch live > drift.patch": func(code int, _ string) {
			assert.Equal(t, 1, code, "there is drift")
			patch, err := os.ReadFile(filepath.Join(repo, "drift.patch"))
			require.NoError(t, err)
			t.Logf("drift.patch:\n%s", patch)
			assert.Contains(t, string(patch), "#   App: declare property region (string)\n#   WebhookTrigger: enum value message:reaction (Go name MessageReaction)\n--- a/openapi/smooch.yaml\n")
			assert.Contains(t, string(patch), "\n+        region: {type: string, description: TODO}\n")
			assert.Contains(t, string(patch), "\n+        - message:reaction\n")
			assert.Contains(t, string(patch), "\n+        - MessageReaction\n")
		},
		"git apply drift.patch": func(code int, _ string) {
			assert.Equal(t, 0, code)
		},
		"make generate": func(code int, _ string) {
			assert.Equal(t, 0, code)
			generated, err := os.ReadFile(filepath.Join(repo, "gen", "smooch.gen.go"))
			require.NoError(t, err)
			assert.Regexp(t, `\n\s+Region \*string `+"`json:\"region,omitempty\"`", string(generated))
			assert.Regexp(t, `\n\s+WebhookTriggerMessageReaction\s+WebhookTrigger = "message:reaction"`, string(generated))
		},
		"make contract-diff": func(code int, out string) {
			assert.Equal(t, 0, code)
			assert.Contains(t, out, "POST /{apiVersion}/apps: added the optional property `app/region` to the response with the `201` status [response-optional-property-added]")
			assert.Contains(t, out, "GET /{apiVersion}/apps/{appId}/webhooks: added the new `message:reaction` enum value to the `webhooks/items/triggers/items/` response property")
			assert.Contains(t, out, "components › schemas › WebhookTrigger › enum: added message:reaction")
		},
		"make api-diff": func(code int, out string) {
			assert.Equal(t, 0, code)
			assert.Contains(t, out, "github.com/smoochkit/smooch-go/smooch\n  Compatible changes (2):\n  - App.Region: added\n  - WebhookTriggerMessageReaction: added\n")
			assert.Contains(t, out, "0 incompatible, 2 compatible changes: a minor version (from v0.0.0: v0.1.0)")
		},
		"go run ./conformance/cmd/smooch-conformance validate live": func(code int, out string) {
			assert.Equal(t, 0, code)
			assert.Regexp(t, `(?m)^\d+ interactions, 0 violations$`, out)
		},
	}
	ran := map[string]bool{}
	for _, line := range runbookCommands(t) {
		command := envPrefix.ReplaceAllString(line, "")
		check, ok := steps[command]
		require.True(t, ok, "the runbook's command %q is not one this test knows: teach it", command)
		ran[command] = true
		withKey := strings.NewReplacer("SMOOCH_KEY_ID=act_…", "SMOOCH_KEY_ID="+key.ID, "SMOOCH_SECRET=…", "SMOOCH_SECRET="+key.Secret).Replace(line)
		check(shell(t, repo, env, withKey, line))
		if t.Failed() {
			return // the next steps build on this one
		}
	}
	for command := range steps {
		assert.True(t, ran[command], "the runbook no longer says %q", command)
	}
	assert.Equal(t, 2, runs, "a live run before and after the patch")
}

// checkRunbookDrift checks the drift report on the first live run: exactly
// the new field, in every operation that answers apps, and the new trigger
// value, where webhooks are listed.
func checkRunbookDrift(t *testing.T, live, report string) {
	t.Helper()
	assert.Regexp(t, `(?m)^createApp \(POST /\{apiVersion\}/apps\)\n  response 201, schema App \(#/components/schemas/App\)\n    field "region" is not declared \(at app\.region\): string, e\.g\. "eu-west"; seen (once|\d+ times) in \d+ interactions? \(first: live/`, report)
	assert.Regexp(t, `(?m)^listWebhooks \(GET /\{apiVersion\}/apps/\{appId\}/webhooks\)\n  response 200, schema WebhookTrigger \(#/components/schemas/WebhookTrigger\)\n    enum value "message:reaction" is not declared \(at webhooks\[\]\.triggers\[\]\)`, report)

	code, stdout, _ := runCLI(t, "drift", "-json", live)
	assert.Equal(t, 1, code)
	var out struct {
		Findings []struct {
			Kind, Operation, Schema, Field, At string
			Value                              any
			Types                              []string
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	var got []string
	for _, f := range out.Findings {
		got = append(got, fmt.Sprintf("%s %s %s %s %v %v %s", f.Kind, f.Operation, f.Schema, f.Field, f.Value, f.Types, f.At))
	}
	assert.ElementsMatch(t, []string{
		"undeclared-field createApp App region <nil> [string] app.region",
		"undeclared-field listApps App region <nil> [string] apps[].region",
		"undeclared-field getApp App region <nil> [string] app.region",
		"undeclared-field updateApp App region <nil> [string] app.region",
		"undeclared-enum-value listWebhooks WebhookTrigger  message:reaction [] webhooks[].triggers[]",
	}, got)
}
