// Command smooch-fake serves smoochtest, the in-memory Smooch, on a local
// address: for local development, for examples, and for running the contract
// suite's live mode without the real API.
//
// Usage:
//
//	smooch-fake [-addr 127.0.0.1:8089] [-seed N] [-verify head|loopback|off] [-max-body BYTES] [-env-file FILE] [-allow-remote]
//	            [-deliver-to loopback|any] [-deliver-wait 1s] [-deliver-timeout 20s]
//
// It prints the base URL, the starting account key (id and secret) and a ready
// account-scoped JWT signed with it as `export SMOOCH_API_URL='…'` lines for
// SMOOCH_API_URL, SMOOCH_KEY_ID, SMOOCH_SECRET and SMOOCH_JWT on standard
// output — the variables the contract suite's live mode and examples/provision
// read — then, as comments, how to get them into a shell and two curl commands
// that work as printed: one lists the apps, one creates an app. It serves until
// SIGINT or SIGTERM, when it shuts down gracefully.
//
// The lines are a shell's to eval, but the command keeps running, so eval
// "$(smooch-fake)" would wait for ever: paste them into another shell, or pass
// -env-file and source the file once it exists:
//
//	smooch-fake -env-file fake.env &
//	until [ -s fake.env ]; do sleep 0.1; done
//	. ./fake.env
//
// For the tests of webhook receivers, in any language, it serves an events API under /_smoochtest (with the
// same JWT): POST /_smoochtest/apps/{appId}/events with a webhook payload (its trigger, and what the test
// cares about; the fake fills in the rest as smoochtest's TriggerEvent does) makes it happen: the fake calls
// the app's webhooks subscribed to its trigger, with their secrets in X-API-Key, retrying as Smooch does, and
// answers {"event": {"id", …}}; GET /_smoochtest/events/{id}?wait=10s answers each webhook's calls (status,
// error, request headers and body) once they have ended, or when the wait is over. events.go says more.
//
// Flags:
//
//	-addr          address to listen on (default 127.0.0.1:8089); a
//	               non-loopback address needs -allow-remote
//	-seed          make ids, secrets, the account key and issued JWTs
//	               deterministic with this seed
//	-verify        how webhook targets are verified: "head" makes a real HEAD
//	               request to the target's domain (the API's behaviour),
//	               "loopback" does so only for loopback targets and refuses
//	               others, "off" accepts every well-formed target
//	-max-body      request body limit in bytes (413 above it)
//	-env-file      also write the export lines to this file, readable by its
//	               owner only, once the server listens (all at once: the file
//	               appears whole); removed when the command stops cleanly
//	-allow-remote  allow listening on a non-loopback address: the fake has no
//	               real security and hands out its account key on stdout
//	-deliver-to    which webhook targets the fake calls: "loopback" only (a
//	               call elsewhere fails at once) or "any"
//	-deliver-wait  the wait before the first retry of a webhook call; each
//	               later wait doubles it (default 1s)
//	-deliver-timeout
//	               how long a webhook call waits for its answer (default 20s,
//	               Smooch's)
//
// The exit status is 0 after a clean stop (or -h), 2 for a mistake in the
// command line, and 1 for any other failure, such as an address in use.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	var usage usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		// -h printed the usage: asking for help is not a failure.
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, "smooch-fake:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "smooch-fake:", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line (exit status 2); other errors,
// such as an address already in use, exit with 1.
type usageError struct{ error }

// shutdownTimeout bounds how long in-flight requests may finish on exit.
const shutdownTimeout = 5 * time.Second

// run serves until ctx is done. It is main without the process: flags come
// from args, the banner goes to stdout and logs to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("smooch-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8089", "address to listen on")
	seed := fs.Int64("seed", 0, "deterministic seed for ids, secrets and JWTs (unset: random)")
	verify := fs.String("verify", "head", `webhook target verification: "head", "loopback" or "off"`)
	maxBody := fs.Int64("max-body", smoochtest.DefaultMaxBodyBytes, "request body limit in bytes")
	allowRemote := fs.Bool("allow-remote", false, "allow a non-loopback listen address")
	envFile := fs.String("env-file", "", "also write the export lines to this file once listening, for a shell to source")
	deliverTo := fs.String("deliver-to", "loopback", `webhook targets the fake calls: "loopback" or "any"`)
	deliverWait := fs.Duration("deliver-wait", smoochtest.DefaultFirstRetryWait, "wait before the first retry of a webhook call (doubling after)")
	deliverTimeout := fs.Duration("deliver-timeout", smoochtest.DefaultDeliveryTimeout, "how long a webhook call waits for an answer")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected arguments %q", fs.Args())}
	}
	seeded := false
	fs.Visit(func(f *flag.Flag) { seeded = seeded || f.Name == "seed" })

	if *maxBody < 1 {
		return usageError{fmt.Errorf("-max-body must be positive, got %d", *maxBody)}
	}
	policy, err := deliveryPolicy(*deliverWait, *deliverTimeout, *deliverTo)
	if err != nil {
		return usageError{err}
	}
	opts := []smoochtest.Option{smoochtest.WithMaxBodyBytes(*maxBody), smoochtest.WithDeliveryPolicy(policy)}
	if seeded {
		opts = append(opts, smoochtest.WithSeed(*seed))
	}
	switch *verify {
	case "head":
		opts = append(opts, smoochtest.WithWebhookVerifier(smoochtest.HEADVerifier(nil)))
	case "loopback":
		opts = append(opts, smoochtest.WithWebhookVerifier(smoochtest.LoopbackHEADVerifier(nil)))
	case "off":
		opts = append(opts, smoochtest.WithoutWebhookVerification())
	default:
		return usageError{fmt.Errorf(`-verify must be "head", "loopback" or "off", got %q`, *verify)}
	}

	if err := checkListenAddr(*addr, *allowRemote); err != nil {
		return usageError{err}
	}

	fake := smoochtest.NewUnstartedServer(opts...)
	defer fake.Close() // stops the webhook calls under way
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newEventsAPI(fake).handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()

	key, jwt, url := fake.AccountKey(), fake.AccountJWT(), "http://"+l.Addr().String()
	exports := exportLines(url, key, jwt)
	if *envFile != "" {
		if err := writeEnvFile(*envFile, exports); err != nil {
			_ = srv.Close()
			return err
		}
		defer os.Remove(*envFile)
	}
	fmt.Fprint(stdout, exports)
	fmt.Fprintln(stdout, `# smooch-fake keeps serving, so eval "$(smooch-fake)" would wait for ever: paste the lines above into`)
	fmt.Fprintln(stdout, "# another shell, or start it with -env-file FILE and source FILE once it exists. Then:")
	fmt.Fprintf(stdout, "# curl -H 'Authorization: Bearer %s' %s/v1/apps\n", jwt, url)
	fmt.Fprintf(stdout, "# curl -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' -d '{\"name\":\"My App\"}' %s/v1/apps\n", jwt, url)
	fmt.Fprintf(stderr, "smooch-fake: serving on http://%s (webhook verification %s); SIGINT or SIGTERM stops it\n", l.Addr(), *verify)
	fmt.Fprintf(stderr, "smooch-fake: webhook events: POST %s%s/apps/{appId}/events, GET %s%s/events/{id}?wait=10s (calling %s targets)\n",
		url, eventsPath, url, eventsPath, *deliverTo)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Requests still running (a slow webhook verification): cut them off.
		_ = srv.Close()
		return fmt.Errorf("shutdown: requests still running after %v were cut off: %w", shutdownTimeout, err)
	}
	fmt.Fprintln(stderr, "smooch-fake: stopped")
	return nil
}

// exportLines are the banner's variables as lines a POSIX shell can eval or source.
func exportLines(url string, key smoochtest.Key, jwt string) string {
	var b strings.Builder
	for _, v := range [][2]string{{"SMOOCH_API_URL", url}, {"SMOOCH_KEY_ID", key.ID}, {"SMOOCH_SECRET", key.Secret}, {"SMOOCH_JWT", jwt}} {
		fmt.Fprintf(&b, "export %s=%s\n", v[0], shellQuote(v[1]))
	}
	return b.String()
}

// shellQuote quotes s as one word for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// writeEnvFile writes the export lines to path, readable by its owner only (they hold the account key's
// secret), through a temporary file renamed into place: a script waiting for the file never reads half of it.
func writeEnvFile(path, exports string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".smooch-fake-env-*")
	if err != nil {
		return fmt.Errorf("-env-file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing left to remove
	if _, err := tmp.WriteString(exports); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("-env-file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("-env-file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("-env-file: %w", err)
	}
	return nil
}

// checkListenAddr refuses a non-loopback address (an empty host means every
// interface) unless allowRemote: the fake has no real security and prints its
// account key.
func checkListenAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	loopback := strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
	if !loopback && !allowRemote {
		return fmt.Errorf("-addr %q is not a loopback address; pass -allow-remote to listen there anyway", addr)
	}
	return nil
}
