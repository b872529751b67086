// Command contract-diff lists the changes between two versions of the
// contract, openapi/smooch.yaml, and classifies each for API clients with
// oasdiff: breaking, possibly breaking, or not.
//
// Usage:
//
//	contract-diff [-base REF] [-spec openapi/smooch.yaml] [-fail-on-breaking]
//	contract-diff [-fail-on-breaking] OLD.yaml NEW.yaml
//
// Without files it compares the contract at the git revision REF (default:
// the latest tag, else the repository's first commit) with the working
// tree's. It prints the changes that matter to API clients by class, then
// the other differences (descriptions, examples, x- extensions), then a
// summary. It exits 0, or 1 with -fail-on-breaking when a change breaks
// clients; 2 on a usage or read error. `make contract-diff [BASE=ref]` runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/flatten/allof"
	"github.com/oasdiff/oasdiff/load"
	"go.yaml.in/yaml/v3"

	"github.com/smoochkit/smooch-go/cmd/internal/gitbase"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `usage:
  contract-diff [-base REF] [-spec openapi/smooch.yaml] [-fail-on-breaking]
  contract-diff [-fail-on-breaking] OLD.yaml NEW.yaml
`

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("contract-diff", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	base := flags.String("base", "", "git revision to compare with (default: the latest tag, else the first commit)")
	spec := flags.String("spec", "openapi/smooch.yaml", "the contract's path in the repository")
	failOnBreaking := flags.Bool("fail-on-breaking", false, "exit 1 when a change breaks API clients")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "contract-diff: %v\n", err)
		return 2
	}
	var old, revision []byte
	var oldName, revName string
	switch flags.NArg() {
	case 2:
		if *base != "" {
			return fail(errors.New("-base compares with the working tree: give it no files"))
		}
		var err error
		oldName, revName = flags.Arg(0), flags.Arg(1)
		if old, err = os.ReadFile(oldName); err != nil {
			return fail(err)
		}
		if revision, err = os.ReadFile(revName); err != nil {
			return fail(err)
		}
	case 0:
		commit, name, err := gitbase.Resolve(".", *base)
		if err != nil {
			return fail(err)
		}
		if old, err = gitbase.Show(".", commit, *spec); err != nil {
			return fail(err)
		}
		if revision, err = os.ReadFile(*spec); err != nil {
			return fail(err)
		}
		oldName, revName = *spec+" at "+name, *spec+" in the working tree"
	default:
		fmt.Fprint(stderr, usage)
		return 2
	}
	r, err := compare(old, revision)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stdout, "Contract changes from %s to %s\n", oldName, revName)
	r.write(stdout)
	if *failOnBreaking && len(r.breaking) > 0 {
		return 1
	}
	return 0
}

// report is what changed, by class.
type report struct {
	breaking, risky, compatible []string // oasdiff's ERR, WARN and INFO changes
	other                       []string // differences that do not change the API
}

func load1(data []byte, name string) (*load.SpecInfo, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := doc.Validate(context.Background(), openapi3.AllowExtensionsWithRef()); err != nil {
		return nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", name, err)
	}
	// An allOf is compared as the schema it stands for: the contract writes `allOf: [$ref]` where a $ref
	// needs a sibling (x-go-name), and without merging oasdiff reports the switch as every property removed.
	if _, err := allof.MergeSpec(doc); err != nil {
		return nil, fmt.Errorf("%s: merging allOf: %w", name, err)
	}
	version := ""
	if doc.Info != nil {
		version = doc.Info.Version
	}
	return &load.SpecInfo{Url: name, Spec: doc, Version: version}, nil
}

// compare diffs two contracts and classifies every change.
func compare(old, revision []byte) (*report, error) {
	s1, err := load1(old, "the old contract")
	if err != nil {
		return nil, err
	}
	s2, err := load1(revision, "the new contract")
	if err != nil {
		return nil, err
	}
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), s1, s2)
	if err != nil {
		return nil, err
	}
	r := &report{}
	l := checker.NewDefaultLocalizer()
	changes := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO)
	for _, c := range changes {
		where := "the document"
		switch c.(type) {
		case checker.ApiChange:
			where = c.GetOperation() + " " + c.GetPath()
		case checker.ComponentChange:
			where = "components"
		}
		line := fmt.Sprintf("%s: %s [%s]", where, oneLine(c.GetUncolorizedText(l)), c.GetId())
		switch c.GetLevel() {
		case checker.ERR:
			r.breaking = append(r.breaking, line)
		case checker.WARN:
			r.risky = append(r.risky, line)
		default:
			r.compatible = append(r.compatible, line)
		}
	}
	if !d.Empty() {
		r.other, err = otherDifferences(d, s1.Spec, s2.Spec)
		if err != nil {
			return nil, err
		}
	}
	return r, nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func (r *report) write(w io.Writer) {
	section := func(title string, lines []string) {
		fmt.Fprintf(w, "\n%s (%d):\n", title, len(lines))
		if len(lines) == 0 {
			fmt.Fprintln(w, "  none")
		}
		for _, l := range lines {
			fmt.Fprintln(w, "  "+l)
		}
	}
	section("Breaking for API clients", r.breaking)
	section("May break API clients", r.risky)
	section("Not breaking", r.compatible)
	section("Every difference, as the raw diff lists it (descriptions, examples and x- extensions included; make api-diff tells their effect on Go)", r.other)
	verdict := "no change breaks API clients"
	if len(r.breaking) > 0 {
		verdict = "BREAKING for API clients"
	}
	fmt.Fprintf(w, "\n%d breaking, %d that may break, %d not breaking (%d differences in all): %s\n",
		len(r.breaking), len(r.risky), len(r.compatible), len(r.other), verdict)
}

// otherDifferences flattens oasdiff's raw diff into one line per leaf:
// everything that changed, including what no check classifies. Schema
// changes are listed once, where the schema is declared: under components,
// not again under each operation that uses it.
func otherDifferences(d *diff.Diff, docs ...*openapi3.T) ([]string, error) {
	data, err := yaml.Marshal(d)
	if err != nil {
		return nil, err
	}
	var sections map[string]yaml.Node
	if err := yaml.Unmarshal(data, &sections); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(sections))
	for name := range sections {
		names = append(names, name)
	}
	sort.Strings(names)
	var lines []string
	for _, name := range names {
		if name == "endpoints" { // the same as paths, keyed by method and path
			continue
		}
		node := sections[name]
		var tree any
		if err := node.Decode(&tree); err != nil {
			return nil, err
		}
		f := flattener{out: &lines, docs: docs}
		f.flatten(tree, []string{name})
	}
	return lines, nil
}

type flattener struct {
	out  *[]string
	docs []*openapi3.T // both versions, to tell where a $ref'd schema is reached
}

func (f flattener) flatten(node any, path []string) {
	m, ok := node.(map[string]any)
	if !ok {
		*f.out = append(*f.out, fmt.Sprintf("%s: %s", strings.Join(path, " › "), printable(node)))
		return
	}
	if from, ok := m["from"]; ok {
		if to, ok := m["to"]; ok && len(m) == 2 {
			*f.out = append(*f.out, fmt.Sprintf("%s: %v → %v", strings.Join(path, " › "), printable(from), printable(to)))
			return
		}
	}
	for _, k := range sortedKeys(m) {
		v := m[k]
		child := append(append([]string{}, path...), k)
		switch k { // oasdiff's own names for some levels of its diff
		case "discriminatorDiff":
			child[len(child)-1] = "discriminator"
		case "stringsdiff":
			child = path
		}
		switch {
		case k == "added" || k == "deleted":
			*f.out = append(*f.out, fmt.Sprintf("%s: %s %s", strings.Join(path, " › "), k, printable(v)))
		case k == "modified":
			f.flatten(v, path)
		case k == "schema" && path[0] != "components":
			// Listed under components/schemas; inline schemas' changes that matter are in the classes above.
		case f.referenced(child):
			// A $ref'd schema: its changes are listed once, under its own name.
		default:
			f.flatten(v, child)
		}
	}
}

// referenced reports whether path (in the diff's terms, under components)
// reaches a schema through a $ref in either version of the contract.
func (f flattener) referenced(path []string) bool {
	for _, doc := range f.docs {
		if ref := schemaAt(doc, path); ref != nil && ref.Ref != "" {
			return true
		}
	}
	return false
}

// schemaAt is the schema at a components path such as
// components/schemas/App/properties/settings or
// components/responses/Deleted/content/application/json/schema; nil when
// the path names no schema below a component.
func schemaAt(doc *openapi3.T, path []string) *openapi3.SchemaRef {
	if doc == nil || doc.Components == nil || len(path) < 4 || path[0] != "components" {
		return nil
	}
	var s *openapi3.SchemaRef
	rest := path[3:]
	switch path[1] {
	case "schemas":
		s = doc.Components.Schemas[path[2]]
	case "responses":
		r := doc.Components.Responses[path[2]]
		if r == nil || r.Value == nil || len(rest) < 3 || rest[0] != "content" || rest[2] != "schema" {
			return nil
		}
		media := r.Value.Content.Get(rest[1])
		if media == nil {
			return nil
		}
		s, rest = media.Schema, rest[3:]
		if len(rest) == 0 {
			return s
		}
	default:
		return nil
	}
	for len(rest) > 0 {
		if s == nil || s.Value == nil {
			return nil
		}
		switch {
		case rest[0] == "properties" && len(rest) > 1:
			s, rest = s.Value.Properties[rest[1]], rest[2:]
		case rest[0] == "items":
			s, rest = s.Value.Items, rest[1:]
		default:
			return nil
		}
	}
	return s
}

func printable(v any) string {
	switch v := v.(type) {
	case nil:
		return "(none)"
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = fmt.Sprint(printable(x))
		}
		return strings.Join(parts, ", ")
	case string:
		return oneLine(v)
	case map[string]any:
		if c, ok := v["component"]; ok { // a oneOf/anyOf member
			return fmt.Sprint(c)
		}
		if op, ok := v["op"]; ok { // a JSON patch of an extension's value
			return fmt.Sprintf("%v %s", op, printable(v["value"]))
		}
		parts := make([]string, 0, len(v))
		for _, k := range sortedKeys(v) {
			parts = append(parts, k+"="+printable(v[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
