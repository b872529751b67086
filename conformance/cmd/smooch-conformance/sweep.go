package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/signal"
	"strings"
	"syscall"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/smooch"
)

// sweep deletes the leftovers of interrupted live runs.
func sweep(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("sweep", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	dryRun := flags.Bool("n", false, "list what would be deleted, delete nothing")
	prefix := flags.String("prefix", conformance.ResourcePrefix, "delete apps and service accounts named with this prefix")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "smooch-conformance sweep: unexpected arguments %q\n", flags.Args())
		return exitUsage
	}
	baseURL := getenv("SMOOCH_API_URL")
	if baseURL == "" {
		baseURL = smooch.DefaultBaseURL
	}
	keyID, secret := getenv("SMOOCH_KEY_ID"), getenv("SMOOCH_SECRET")
	if keyID == "" || secret == "" {
		fmt.Fprintln(stderr, "smooch-conformance sweep: set SMOOCH_KEY_ID and SMOOCH_SECRET to an account key (act_…)")
		return exitUsage
	}
	client, err := smooch.New(smooch.AccountKey(keyID, secret), smooch.WithBaseURL(baseURL))
	if err != nil {
		fmt.Fprintf(stderr, "smooch-conformance sweep: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	found, err := conformance.Sweep(ctx, client, *prefix, *dryRun, func(line string) { fmt.Fprintln(stdout, line) })
	if err != nil {
		fmt.Fprintf(stderr, "smooch-conformance sweep: %s\n", strings.TrimPrefix(message(err), "sweep: "))
		if found == 0 && !errors.Is(err, context.Canceled) {
			return exitUsage // nothing was listed: the key, URL or prefix is wrong
		}
		return exitViolation
	}
	fmt.Fprintf(stdout, "%s named %s… on %s\n", plural(found, "resource"), *prefix, baseURL)
	return exitOK
}
