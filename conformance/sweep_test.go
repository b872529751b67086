package conformance_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func fakeAccount(t *testing.T) (*smoochtest.Server, *smooch.Client) {
	t.Helper()
	srv := smoochtest.NewServer(smoochtest.WithoutWebhookVerification())
	t.Cleanup(srv.Close)
	key := srv.AccountKey()
	c, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), smooch.WithBaseURL(srv.URL))
	require.NoError(t, err)
	return srv, c
}

func names(t *testing.T, c *smooch.Client) (apps, accounts []string) {
	t.Helper()
	ctx := context.Background()
	for app, err := range c.Apps.All(ctx, nil) {
		require.NoError(t, err)
		apps = append(apps, app.Name)
	}
	for sa, err := range c.ServiceAccounts.All(ctx, nil) {
		require.NoError(t, err)
		accounts = append(accounts, sa.Name)
	}
	return apps, accounts
}

func TestSweepDeletesOnlyTheSuitesResources(t *testing.T) {
	_, c := fakeAccount(t)
	ctx := context.Background()
	for _, name := range []string{"production", "smooch-conformance-1-a", "smooch-conformance-2-b", "my-smooch-conformance-app"} {
		_, err := c.Apps.Create(ctx, smooch.AppCreate{Name: name})
		require.NoError(t, err)
	}
	// More than one page of leftovers: collecting before deleting must not skip any.
	for i := range 30 {
		_, err := c.Apps.Create(ctx, smooch.AppCreate{Name: "smooch-conformance-many-" + string(rune('a'+i%26)) + string(rune('a'+i/26))})
		require.NoError(t, err)
	}
	for _, name := range []string{"billing", "smooch-conformance-1-svc"} {
		_, err := c.ServiceAccounts.Create(ctx, smooch.ServiceAccountCreate{Name: name})
		require.NoError(t, err)
	}

	var lines []string
	found, err := conformance.Sweep(ctx, c, conformance.ResourcePrefix, true, func(l string) { lines = append(lines, l) })
	require.NoError(t, err)
	assert.Equal(t, 33, found)
	assert.Len(t, lines, 33)
	assert.True(t, strings.HasPrefix(lines[0], "would delete app "), lines[0])
	apps, accounts := names(t, c)
	assert.Len(t, apps, 34, "a dry run deletes nothing")
	assert.Len(t, accounts, 2)

	found, err = conformance.Sweep(ctx, c, conformance.ResourcePrefix+"1-", false, func(string) {})
	require.NoError(t, err)
	assert.Equal(t, 2, found, "a narrower prefix: one run's leftovers")

	found, err = conformance.Sweep(ctx, c, conformance.ResourcePrefix, false, func(string) {})
	require.NoError(t, err)
	assert.Equal(t, 31, found)
	apps, accounts = names(t, c)
	assert.ElementsMatch(t, []string{"production", "my-smooch-conformance-app"}, apps)
	assert.Equal(t, []string{"billing"}, accounts)

	_, err = conformance.Sweep(ctx, c, "", false, func(string) {})
	assert.ErrorContains(t, err, "must start with")
	_, err = conformance.Sweep(ctx, c, "prod", false, func(string) {})
	assert.ErrorContains(t, err, "must start with")
}

// The live mode deletes what a scenario created even when the scenario fails
// halfway. A failing scenario fails its test, so it runs in a child process
// (TestLiveCleanupChild) against a fake this test owns.
func TestLiveModeDeletesWhatAFailingScenarioCreated(t *testing.T) {
	srv, c := fakeAccount(t)
	key := srv.AccountKey()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLiveCleanupChild$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "SMOOCH_CONFORMANCE_CLEANUP_CHILD=1", "SMOOCH_CONFORMANCE=live",
		"SMOOCH_API_URL="+srv.URL, "SMOOCH_KEY_ID="+key.ID, "SMOOCH_SECRET="+key.Secret, "SMOOCH_CONFORMANCE_DIR="+dir)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the child's scenario fails:\n%s", out)
	assert.Contains(t, string(out), "the scenario fails halfway")
	assert.Contains(t, string(out), "cassettes in "+dir, "the live mode prints where its cassettes are")
	assert.Regexp(t, `left behind by a scenario: deleted app \w+ \(smooch-conformance-[0-9a-f]+-untracked\)`, string(out),
		"the end-of-run sweep deletes and names what no scenario tracked")

	apps, accounts := names(t, c)
	assert.Empty(t, apps, "no app left behind")
	assert.Empty(t, accounts, "no service account left behind")

	// The failing scenario's cassette was still written, redacted.
	cassette := filepath.Join(dir, "fails_halfway.yaml")
	findings, err := conformance.ScanSecrets(cassette)
	require.NoError(t, err)
	assert.Empty(t, findings)
	loaded, err := conformance.LoadCassette(cassette)
	require.NoError(t, err)
	assert.Len(t, loaded.Interactions, 4)
}

func TestLiveCleanupChild(t *testing.T) {
	if os.Getenv("SMOOCH_CONFORMANCE_CLEANUP_CHILD") == "" {
		t.Skip("a child process of TestLiveModeDeletesWhatAFailingScenarioCreated")
	}
	s := newSuite(t)
	t.Run("fails_halfway", func(t *testing.T) {
		h := s.scenario(t, "fails_halfway")
		c := h.account()
		app := h.newApp(c, "left-behind")
		_, err := c.AppKeys.Create(h.ctx, app.ID, smooch.SecretKeyCreate{Name: "left-behind-key"})
		require.NoError(t, err)
		sa, err := c.ServiceAccounts.Create(h.ctx, smooch.ServiceAccountCreate{Name: h.name("left-behind-svc")})
		require.NoError(t, err)
		h.createdServiceAccount(sa.ID)
		// Not tracked, as when a create's answer is lost: the end-of-run sweep must find it by its prefix.
		_, err = c.Apps.Create(h.ctx, smooch.AppCreate{Name: h.name("untracked")})
		require.NoError(t, err)
		t.Fatal("the scenario fails halfway")
	})
}

// An interrupted live run (Ctrl-C, or SIGTERM from CI) deletes what it
// created before it exits: the signal cancels the scenario's pending call
// instead of killing the process. The interrupted run is a child process
// (TestLiveInterruptChild) against a fake this test owns.
func TestLiveModeCleansUpWhenInterrupted(t *testing.T) {
	srv, c := fakeAccount(t)
	key := srv.AccountKey()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestLiveInterruptChild$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "SMOOCH_CONFORMANCE_INTERRUPT_CHILD=1", "SMOOCH_CONFORMANCE=live",
		"SMOOCH_API_URL="+srv.URL, "SMOOCH_KEY_ID="+key.ID, "SMOOCH_SECRET="+key.Secret, "SMOOCH_CONFORMANCE_DIR="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	var out strings.Builder
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		out.WriteString(lines.Text() + "\n")
		if strings.HasPrefix(lines.Text(), "CREATED ") {
			apps, _ := names(t, c)
			require.Len(t, apps, 1, "the child created its app before the interrupt")
			require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
		}
	}
	err = cmd.Wait()
	require.Error(t, err, "the interrupted run fails:\n%s%s", out.String(), stderr.String())
	require.NoError(t, ctx.Err(), "the child ended by itself after the signal")
	assert.Contains(t, stderr.String(), "deleting what this run created")
	assert.Contains(t, out.String(), "interrupted")

	apps, accounts := names(t, c)
	assert.Empty(t, apps, "no app left behind")
	assert.Empty(t, accounts, "no service account left behind")
}

func TestLiveInterruptChild(t *testing.T) {
	if os.Getenv("SMOOCH_CONFORMANCE_INTERRUPT_CHILD") == "" {
		t.Skip("a child process of TestLiveModeCleansUpWhenInterrupted")
	}
	s := newSuite(t)
	t.Run("interrupted", func(t *testing.T) {
		h := s.scenario(t, "interrupted")
		c := h.account()
		app := h.newApp(c, "interrupted")
		fmt.Println("CREATED", app.ID)
		<-h.ctx.Done()
		_, err := c.Apps.Get(h.ctx, app.ID)
		require.NoError(t, err, "interrupted: the pending call is canceled")
	})
}
