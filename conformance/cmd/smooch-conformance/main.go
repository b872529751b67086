// Command smooch-conformance checks recorded Smooch API traffic against the
// contract, openapi/smooch.yaml.
//
// Usage:
//
//	smooch-conformance validate [-spec openapi/smooch.yaml] PATH...
//	smooch-conformance coverage [-spec openapi/smooch.yaml] PATH...
//	smooch-conformance sweep [-n] [-prefix smooch-conformance-]
//
// Each PATH is a go-vcr v2 cassette file or a directory of them (searched
// recursively for *.yaml). validate prints one line per violation, naming the
// cassette, the interaction index, the method, the path and the reason, then
// "N interactions, M violations"; it exits 0 when there is no violation, 1
// when there is any, and 2 on a usage or read error. coverage prints how many
// interactions each operation × status code has. -spec loads another contract
// instead of the embedded one.
//
// sweep deletes the apps and service accounts a contract suite run left
// behind when interrupted: those named with the suite's prefix. It calls
// SMOOCH_API_URL (default https://api.smooch.io) with the account key
// SMOOCH_KEY_ID / SMOOCH_SECRET; -n lists them without deleting. The default
// prefix matches every run's resources, including those of a run still in
// progress on the same account; -prefix smooch-conformance-<run id>- (the
// run prints it) narrows the sweep to one run. It exits 0 when everything
// found was deleted, 1 when a delete failed, 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
)

const (
	exitOK        = 0
	exitViolation = 1
	exitUsage     = 2
)

const usage = `usage:
  smooch-conformance validate [-spec openapi/smooch.yaml] PATH...
  smooch-conformance coverage [-spec openapi/smooch.yaml] PATH...
  smooch-conformance sweep [-n] [-prefix smooch-conformance-]

PATH is a go-vcr v2 cassette file or a directory of them.
validate exits 0 when every interaction matches the contract, 1 when any does not, 2 on a usage or read error.
sweep deletes the suite's leftovers from SMOOCH_API_URL with the account key SMOOCH_KEY_ID / SMOOCH_SECRET.
`

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	command, args := args[0], args[1:]
	if command == "-h" || command == "-help" || command == "--help" || command == "help" {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if command == "sweep" {
		return sweep(args, os.Getenv, stdout, stderr)
	}
	if command != "validate" && command != "coverage" {
		fmt.Fprintf(stderr, "smooch-conformance: unknown command %q\n%s", command, usage)
		return exitUsage
	}
	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	spec := flags.String("spec", "", "contract to check against (default: the embedded openapi/smooch.yaml)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if flags.NArg() == 0 {
		fmt.Fprintf(stderr, "smooch-conformance %s: no PATH given\n%s", command, usage)
		return exitUsage
	}

	validator, err := newValidator(*spec)
	if err != nil {
		fmt.Fprintf(stderr, "smooch-conformance: %v\n", err)
		return exitUsage
	}
	cassettes, err := conformance.LoadCassettes(flags.Args()...)
	if err != nil {
		fmt.Fprintf(stderr, "smooch-conformance: %v\n", err)
		return exitUsage
	}
	checker := conformance.NewChecker(validator)

	if command == "coverage" {
		coverage := conformance.NewCoverage(validator.Doc())
		coverage.AddCassettes(checker, cassettes)
		if err := coverage.WriteTable(stdout); err != nil {
			fmt.Fprintf(stderr, "smooch-conformance: %v\n", err)
			return exitUsage
		}
		return exitOK
	}

	total, violations := checker.CheckCassettes(context.Background(), cassettes)
	for _, v := range violations {
		fmt.Fprintln(stdout, v)
	}
	fmt.Fprintf(stdout, "%d interactions, %d violations\n", total, len(violations))
	if len(violations) > 0 {
		return exitViolation
	}
	return exitOK
}

func newValidator(spec string) (*openapi.Validator, error) {
	if spec == "" {
		return openapi.NewValidator()
	}
	data, err := os.ReadFile(spec)
	if err != nil {
		return nil, err
	}
	v, err := openapi.NewValidatorFromData(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec, err)
	}
	return v, nil
}
