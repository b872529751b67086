package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
)

// drift reports how the cassettes' responses depart from the contract, or
// with patch, prints the patch of the contract that declares it.
func (c *invocation) drift(v *openapi.Validator, files []string, format string, patch bool, specName string, spec []byte) int {
	d := conformance.NewDrift(v)
	// Drift's counts and examples follow the order of the interactions: read the files one after another.
	for _, file := range files {
		err := conformance.StreamCassette(file, func(i int, in *cassette.Interaction) error {
			d.Add(fmt.Sprintf("%s: interaction %d", file, i), conformance.ExchangeOf(in))
			return nil
		})
		if err != nil {
			return c.fail(err)
		}
	}
	findings := d.Findings()

	var err error
	switch {
	case patch:
		err = writePatch(c.stdout, c.stderr, specName, spec, v, findings)
	case format == "json":
		err = writeJSON(c.stdout, struct {
			Interactions int                   `json:"interactions"`
			Findings     []conformance.Finding `json:"findings"`
		}{d.Interactions(), append([]conformance.Finding{}, findings...)})
	case format == "junit":
		err = writeDriftJUnit(c.stdout, d, findings)
	default:
		err = writeDriftText(c.stdout, d, findings)
	}
	if err != nil {
		return c.fail(err)
	}
	if len(findings) > 0 {
		return exitViolation
	}
	return exitOK
}

// writeDriftText prints the findings grouped by operation, then by status
// and schema, then a summary line.
func writeDriftText(w io.Writer, d *conformance.Drift, findings []conformance.Finding) error {
	var lastOp, lastGroup string
	for _, f := range findings {
		op := f.Method + " " + f.Path
		if f.Operation != "" {
			op = f.Operation + " (" + op + ")"
		} else {
			op = "no operation: " + op
		}
		if op != lastOp {
			fmt.Fprintln(w, op)
			lastOp, lastGroup = op, ""
		}
		if group := findingGroup(f); group != "" && group != lastGroup {
			fmt.Fprintln(w, "  "+group)
			lastGroup = group
		}
		fmt.Fprintf(w, "    %s; seen %s in %s (first: %s)\n", findingText(f), times(f.Count), plural(f.Interactions, "interaction"), f.First)
	}
	if len(findings) == 0 {
		_, err := fmt.Fprintf(w, "no drift: the contract describes every request and response of %s\n", plural(d.Interactions(), "interaction"))
		return err
	}
	_, err := fmt.Fprintf(w, "%s in %s: the contract does not describe what was sent and answered\n",
		plural(len(findings), "finding"), plural(d.Interactions(), "interaction"))
	return err
}

// findingGroup heads the findings of one response and schema: "response 201, schema App (#/components/schemas/App)",
// or of what a request sent: "request (answered 200), schema AppUpdate (…)".
func findingGroup(f conformance.Finding) string {
	switch f.Kind {
	case conformance.UndeclaredOperation:
		return ""
	case conformance.UndeclaredAPIVersion:
		return "request path"
	case conformance.UndeclaredStatus:
		return fmt.Sprintf("response %d", f.Status)
	case conformance.UndeclaredContentType:
		if f.Request {
			return fmt.Sprintf("request (answered %d)", f.Status)
		}
		return fmt.Sprintf("response %d", f.Status)
	case conformance.UndeclaredParameter, conformance.UndeclaredSecurityScheme:
		return fmt.Sprintf("request (answered %d)", f.Status)
	}
	if f.Request {
		return fmt.Sprintf("request (answered %d), schema %s (%s)", f.Status, f.Schema, f.Ref)
	}
	return fmt.Sprintf("response %d, schema %s (%s)", f.Status, f.Schema, f.Ref)
}

// findingText says what a finding is, on one line.
func findingText(f conformance.Finding) string {
	switch f.Kind {
	case conformance.UndeclaredStatus:
		ct := f.ContentType
		if ct == "" {
			ct = "no body"
		}
		return fmt.Sprintf("status %d is not declared (%s), e.g. %s", f.Status, ct, example(f.Example))
	case conformance.UndeclaredContentType:
		if f.Request {
			return fmt.Sprintf("content type %s is not declared for the request body", f.ContentType)
		}
		return fmt.Sprintf("content type %s is not declared, e.g. %s", f.ContentType, example(f.Example))
	case conformance.UndeclaredField:
		text := fmt.Sprintf("field %q is not declared (at %s): %s, e.g. %s", f.Field, f.At, strings.Join(f.Types, " or "), example(f.Example))
		if f.Secret != "" {
			text += "; may be a credential: " + f.Secret
		}
		return text
	case conformance.MissingRequired:
		if f.Request {
			return fmt.Sprintf("required field %q was left out (at %s), and the API took the request", f.Field, f.At)
		}
		return fmt.Sprintf("required field %q was missing (at %s)", f.Field, f.At)
	case conformance.UndeclaredEnumValue:
		if f.Variant() {
			return fmt.Sprintf("%s %s matches no variant (at %s); its members: %s", f.Field, example(f.Value), f.At, strings.Join(f.Members, ", "))
		}
		return fmt.Sprintf("enum value %s is not declared (at %s)", example(f.Value), f.At)
	case conformance.WrongType:
		return fmt.Sprintf("declared %s, but was %s (at %s), e.g. %s", f.Declared, strings.Join(f.Types, " or "), f.At, example(f.Example))
	case conformance.UndeclaredOperation:
		statuses := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			statuses[i] = strconv.Itoa(s)
		}
		return "no operation of the contract has this method and path; answered " + strings.Join(statuses, ", ")
	case conformance.UndeclaredParameter:
		return fmt.Sprintf("query parameter %q is not declared: %s, e.g. %s", f.Field, strings.Join(f.Types, " or "), example(f.Example))
	case conformance.UndeclaredSecurityScheme:
		return fmt.Sprintf("authenticated with %v, a scheme the operation's security does not list", f.Value)
	case conformance.UndeclaredAPIVersion:
		return fmt.Sprintf("called under /%v/, a version the contract's paths do not serve", f.Value)
	}
	return string(f.Kind)
}

// example shows a value as compact JSON, cut at 60 characters.
func example(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(data)
	const limit = 60
	if utf8.RuneCountInString(s) > limit {
		s = string([]rune(s)[:limit]) + "…"
	}
	return s
}

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// writePatch prints the contract patch (a unified diff after a commented
// summary that git apply skips) and, on stderr, what it leaves to decide by
// hand.
func writePatch(stdout, stderr io.Writer, specName string, spec []byte, v *openapi.Validator, findings []conformance.Finding) error {
	name := patchName(specName)
	p, err := conformance.PatchContract(name, spec, v.Doc(), findings)
	if err != nil {
		return err
	}
	if len(p.Changes) > 0 {
		fmt.Fprintf(stdout, "# smooch-conformance drift: a patch of %s declaring what the traffic showed.\n", specName)
		fmt.Fprintln(stdout, "# Apply it with git apply, fill in every TODO (descriptions, and a new operation's tags and scopes), review")
		fmt.Fprintln(stdout, "# each proposed x-smooch-secret (the comment above it says why), then make generate.")
		for _, change := range p.Changes {
			fmt.Fprintln(stdout, "#   "+change)
		}
		fmt.Fprint(stdout, p.Diff())
	}
	for _, s := range p.Skipped {
		fmt.Fprintln(stderr, "smooch-conformance drift: not patched: "+s)
	}
	return nil
}

// writeDriftJUnit writes a test case per operation the traffic called and a
// failure per finding.
func writeDriftJUnit(w io.Writer, d *conformance.Drift, findings []conformance.Finding) error {
	suite := newJUnitSuite("drift", "smooch-conformance.drift")
	for _, op := range d.Operations() {
		name, class := "no operation of the contract", "drift.unmatched"
		if op.Operation != "" {
			name, class = op.Operation+" "+op.Method+" "+op.Path, "drift."+op.Operation
		}
		tc := junitCase{Name: name, Classname: class, Time: "0"}
		for _, f := range findings {
			if f.Operation != op.Operation || (op.Operation != "" && (f.Method != op.Method || f.Path != op.Path)) {
				continue
			}
			msg := findingText(f)
			if group := findingGroup(f); group != "" {
				msg = group + ": " + msg
			}
			tc.Failures = append(tc.Failures, junitFailure{Message: msg, Type: string(f.Kind),
				Text: fmt.Sprintf("%s\nseen %s in %s; first: %s", msg, times(f.Count), plural(f.Interactions, "interaction"), f.First)})
		}
		suite.Cases = append(suite.Cases, tc)
	}
	return writeJUnit(w, "smooch-conformance drift", []junitSuite{suite})
}

// patchName is how the patch names the contract: relative to the current
// directory, where git apply will run, when it is below it.
func patchName(spec string) string {
	if filepath.IsAbs(spec) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, spec); err == nil && !strings.HasPrefix(rel, "..") {
				spec = rel
			}
		}
	}
	return strings.TrimPrefix(filepath.ToSlash(filepath.Clean(spec)), "/")
}
