// Command smooch-conformance checks recorded Smooch API traffic against the
// contract, openapi/smooch.yaml, and tells what to change in the contract
// when the API has moved.
//
// Usage:
//
//	smooch-conformance validate [-spec FILE] [-format text|json|junit] PATH...
//	smooch-conformance coverage [-spec FILE] [-format text|json|junit] PATH...
//	smooch-conformance drift    [-spec FILE] [-format text|json|junit] [-json] [-patch] PATH...
//	smooch-conformance sweep    [-n] [-prefix smooch-conformance-]
//
// Each PATH is a go-vcr v2 cassette file or a directory of them (searched
// recursively for *.yaml). Flags may come before, between or after the paths;
// "--" ends the flags. -spec loads another contract instead of the embedded
// one, such as an edited copy.
//
// validate prints one line per violation, naming the cassette, the
// interaction index, the method, the path and the reason, then
// "N interactions, M violations". It exits 0 when there is no violation, 1
// when there is any, and 2 on a usage or read error.
//
// coverage prints how many interactions each operation × status code has,
// and whether each operation has a 2xx and an error interaction. It exits 0
// when every operation does, 1 when any does not, 2 on a usage or read error.
//
// drift reads cassettes, typically those of a live run, and reports how the
// traffic departs from the contract in ways a contract change can take in,
// grouped by operation and schema. In the API's answers: members the contract
// does not declare (with their JSON types, a redacted example, how often they
// were seen, and whether they may be credentials), declared-required members
// that were missing, statuses, content types and enum values (a new webhook
// trigger, a new integration type) it does not declare, and values of another
// type than declared. In the requests the API answered with a 2xx: query
// parameters and members the contract does not declare, required members left
// out, content types, enum values, and an authentication scheme the
// operation's security does not list. Paths under another API version than
// the contract's are judged as its operations; requests no operation matches
// become proposed operations, one per method and path template. -json is
// -format json. -patch prints instead a patch of the contract (apply it with
// `git apply`) that declares what was seen: each new property with its
// inferred type and "description: TODO", x-smooch-secret: true with a comment
// on each that may be a credential, each new operation with its parameters,
// statuses and inferred bodies. drift exits 0 when there is no drift, 1 when
// there is, 2 on a usage or read error.
//
// -format json prints one JSON document; -format junit prints JUnit XML for
// CI: validate has a test case per interaction and a failure per violation,
// coverage a test case per operation, drift a test case per operation seen
// and a failure per finding.
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
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
)

const (
	exitOK        = 0
	exitViolation = 1
	exitUsage     = 2
)

const usage = `usage:
  smooch-conformance validate [-spec FILE] [-format text|json|junit] PATH...
  smooch-conformance coverage [-spec FILE] [-format text|json|junit] PATH...
  smooch-conformance drift    [-spec FILE] [-format text|json|junit] [-json] [-patch] PATH...
  smooch-conformance sweep    [-n] [-prefix smooch-conformance-]

PATH is a go-vcr v2 cassette file or a directory of them; flags may follow the paths.
-spec checks against another contract than the embedded openapi/smooch.yaml.
validate exits 0 when every interaction matches the contract, 1 when any does not, 2 on a usage or read error.
coverage exits 1 when an operation lacks a 2xx or an error interaction.
drift reports what the traffic sent and answered that the contract does not describe (exit 1 when anything);
  -patch prints a patch of the contract that declares it (apply it with git apply).
sweep deletes the suite's leftovers from SMOOCH_API_URL with the account key SMOOCH_KEY_ID / SMOOCH_SECRET.
`

func main() {
	// The commands read cassettes one interaction at a time: the live heap stays small whatever the
	// cassettes' size, so collecting garbage less often costs little memory and saves about a sixth of a
	// validation's time. GOGC, when set, decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	command, args := args[0], args[1:]
	switch command {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "sweep":
		return sweep(args, os.Getenv, stdout, stderr)
	case "validate", "coverage", "drift":
	default:
		fmt.Fprintf(stderr, "smooch-conformance: unknown command %q\n%s", command, usage)
		return exitUsage
	}

	cmd := &invocation{name: command, stdout: stdout, stderr: stderr}
	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	spec := flags.String("spec", "", "contract to check against (default: the embedded openapi/smooch.yaml)")
	format := flags.String("format", "text", "output format: text, json or junit")
	var jsonOut, patch *bool
	if command == "drift" {
		jsonOut = flags.Bool("json", false, "the same as -format json")
		patch = flags.Bool("patch", false, "print a patch of the contract that declares what drifted")
	}
	paths, err := parseInterleaved(flags, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if jsonOut != nil && *jsonOut {
		if *format != "text" && *format != "json" {
			return cmd.usageError("-json and -format %s disagree", *format)
		}
		*format = "json"
	}
	switch *format {
	case "text", "json", "junit":
	default:
		return cmd.usageError("-format must be text, json or junit, not %q", *format)
	}
	if patch != nil && *patch && *format != "text" {
		return cmd.usageError("-patch prints a patch; it takes no -format")
	}
	if len(paths) == 0 {
		return cmd.usageError("no PATH given")
	}

	validator, specText, err := newValidator(*spec)
	if err != nil {
		return cmd.fail(err)
	}
	files, err := conformance.CassetteFiles(paths...)
	if err != nil {
		return cmd.fail(err)
	}
	checker := conformance.NewChecker(validator)

	switch command {
	case "coverage":
		return cmd.coverage(checker, files, *format)
	case "drift":
		specName := *spec
		if specName == "" {
			specName = embeddedSpecName
		}
		return cmd.drift(validator, files, *format, *patch, specName, specText)
	default:
		return cmd.validate(checker, files, *format)
	}
}

// eachFile reads every cassette file one interaction at a time, the files in parallel on every core, and
// calls visit for each interaction; visit calls for one file come in order from one goroutine, those of
// different files concurrently. It returns the first file's error, in the files' order.
func eachFile(files []string, visit func(file, index int, in *cassette.Interaction)) error {
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for f := range next {
				errs[f] = conformance.StreamCassette(files[f], func(i int, in *cassette.Interaction) error {
					visit(f, i, in)
					return nil
				})
			}
		})
	}
	for f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return errors.Join(slices.DeleteFunc(errs, func(err error) bool { return err == nil })...)
}

// invocation is one run of validate, coverage or drift: where it writes.
type invocation struct {
	name           string
	stdout, stderr io.Writer
}

// fail reports a read or usage error: exit 2. The library's errors start
// with their package's name; the command's own prefix replaces it.
func (c *invocation) fail(err error) int {
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok { // one line per unreadable file
		errs = joined.Unwrap()
	}
	for _, err := range errs {
		fmt.Fprintf(c.stderr, "smooch-conformance %s: %s\n", c.name, message(err))
	}
	return exitUsage
}

// message is an error's text without the package prefix the library's
// errors start with: the command names itself instead.
func message(err error) string {
	msg := err.Error()
	for _, pkg := range []string{"conformance: ", "openapi: "} {
		msg = strings.TrimPrefix(msg, pkg)
	}
	// One line per error: yaml.v3 puts each of its decoding errors on a line of its own, after a heading.
	head, rest, _ := strings.Cut(msg, "\n")
	if rest == "" {
		return head
	}
	lines := strings.Split(rest, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return head + " " + strings.Join(lines, "; ")
}

func (c *invocation) usageError(format string, args ...any) int {
	fmt.Fprintf(c.stderr, "smooch-conformance %s: %s\n%s", c.name, fmt.Sprintf(format, args...), usage)
	return exitUsage
}

// parseInterleaved parses flags wherever they are among the paths, as in
// `validate cassettes -spec edited.yaml`: the flag package alone stops at the
// first path and would take "-spec" for one. "--" ends the flags.
func parseInterleaved(flags *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for {
		if err := flags.Parse(args); err != nil {
			return nil, err
		}
		rest := flags.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(paths, rest...), nil
		}
		if len(rest) == 0 {
			return paths, nil
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

func (c *invocation) validate(checker *conformance.Checker, files []string, format string) int {
	ctx := context.Background()
	results := make([]cassetteResult, len(files))
	for f, path := range files {
		results[f].path = path
	}
	err := eachFile(files, func(f, i int, in *cassette.Interaction) {
		ex := conformance.ExchangeOf(in)
		violations := checker.Check(ctx, files[f], i, ex)
		results[f].count++
		if len(violations) == 0 && format == "text" {
			return // text lists violations only: a day of conforming traffic is not kept in memory
		}
		// Copies: the interaction's strings share one buffer with its bodies, which must not outlive it.
		results[f].interactions = append(results[f].interactions, interactionResult{
			index: i, method: strings.Clone(ex.Method), path: strings.Clone(urlPath(ex.URL)), violations: violations,
		})
	})
	if err != nil {
		return c.fail(err)
	}
	total, failed := 0, 0
	for f := range results {
		if results[f].count == 0 {
			results[f].whole = append(results[f].whole, conformance.Violation{Cassette: files[f], Index: -1, Reason: "the cassette records no interaction"})
		}
		total += results[f].count
		failed += results[f].violations()
	}
	switch format {
	case "json":
		err = writeValidateJSON(c.stdout, results, total, failed)
	case "junit":
		err = writeValidateJUnit(c.stdout, results)
	default:
		for _, r := range results {
			for _, v := range r.all() {
				fmt.Fprintln(c.stdout, v)
			}
		}
		_, err = fmt.Fprintf(c.stdout, "%s, %s\n", plural(total, "interaction"), plural(failed, "violation"))
	}
	if err != nil {
		return c.fail(err)
	}
	if failed > 0 {
		return exitViolation
	}
	return exitOK
}

func (c *invocation) coverage(checker *conformance.Checker, files []string, format string) int {
	coverage := conformance.NewCoverage(checker.Validator().Doc())
	var mu sync.Mutex
	err := eachFile(files, func(_, _ int, in *cassette.Interaction) {
		mu.Lock()
		defer mu.Unlock()
		coverage.AddInteraction(checker, in)
	})
	if err != nil {
		return c.fail(err)
	}
	switch format {
	case "json":
		err = writeCoverageJSON(c.stdout, coverage)
	case "junit":
		err = writeCoverageJUnit(c.stdout, coverage)
	default:
		err = coverage.WriteTable(c.stdout)
	}
	if err != nil {
		return c.fail(err)
	}
	if len(coverage.Gaps()) > 0 {
		return exitViolation
	}
	return exitOK
}

// embeddedSpecName is the embedded contract's file in the repository, which
// a patch of it names.
const embeddedSpecName = "openapi/smooch.yaml"

// newValidator loads the contract at spec, or the embedded one, and returns
// it with its text.
func newValidator(spec string) (*openapi.Validator, []byte, error) {
	if spec == "" {
		v, err := openapi.NewValidator() // built once per process
		return v, openapi.YAML, err
	}
	data, err := os.ReadFile(spec)
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(data)
	if v, ok := specValidators.Load(sum); ok {
		return v.(*openapi.Validator), data, nil
	}
	v, err := openapi.NewValidatorFromData(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", spec, err)
	}
	specValidators.Store(sum, v)
	return v, data, nil
}

// specValidators are the Validators of the -spec contracts loaded so far, by the SHA-256 of their text: like the
// embedded one, each is built once per process (the tests run the command on the same few files many times).
var specValidators sync.Map

// plural is "1 violation", "2 violations".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
