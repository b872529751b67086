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
// tree's. A path whose template has a path parameter with an enum of values
// (/{apiVersion}/apps, v1 or v1.1) is compared as the paths a client calls
// (/v1/apps, /v1.1/apps), so that moving /v1/apps under /{apiVersion} is no
// change and an operation a version adds is new there. It prints the changes that matter to API clients by class, then
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
	"slices"
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
	expanded                    []string // the enum path parameters whose paths were compared value by value
}

// load1 loads a contract for comparing, with its paths expanded (expandEnumPaths), and the names of the
// path parameters expanded.
func load1(data []byte, name string) (*load.SpecInfo, []string, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := doc.Validate(context.Background(), openapi3.AllowExtensionsWithRef()); err != nil {
		return nil, nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", name, err)
	}
	expanded, err := expandEnumPaths(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	// An allOf is compared as the schema it stands for: the contract writes `allOf: [$ref]` where a $ref
	// needs a sibling (x-go-name), and without merging oasdiff reports the switch as every property removed.
	if _, err := allof.MergeSpec(doc); err != nil {
		return nil, nil, fmt.Errorf("%s: merging allOf: %w", name, err)
	}
	version := ""
	if doc.Info != nil {
		version = doc.Info.Version
	}
	return &load.SpecInfo{Url: name, Spec: doc, Version: version}, expanded, nil
}

// compare diffs two contracts and classifies every change.
func compare(old, revision []byte) (*report, error) {
	s1, expanded1, err := load1(old, "the old contract")
	if err != nil {
		return nil, err
	}
	s2, expanded2, err := load1(revision, "the new contract")
	if err != nil {
		return nil, err
	}
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), s1, s2)
	if err != nil {
		return nil, err
	}
	r := &report{expanded: expanded1}
	for _, name := range expanded2 {
		if !slices.Contains(r.expanded, name) {
			r.expanded = append(r.expanded, name)
		}
	}
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
	if len(r.expanded) > 0 {
		fmt.Fprintf(w, "(each path is compared as called: one path per value of its enum path parameter %s)\n",
			strings.Join(r.expanded, ", "))
	}
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

// expandEnumPaths rewrites each path whose template has a path parameter
// with an enum of values (the contract's /{apiVersion}/…, v1 and v1.1) as
// one concrete path per value its operations take (/v1/apps, /v1.1/apps),
// without that parameter. Two contracts are then compared path by path as a
// client calls them: the move from /v1/apps to /{apiVersion}/apps is no
// change for /v1/apps, and an operation served under /v1.1 only is new there.
// An operation's own parameter narrows the path's, as in the contract
// (getIntegrationProfile is v1.1's only). It returns the names of the
// parameters expanded.
func expandEnumPaths(doc *openapi3.T) ([]string, error) {
	if doc.Paths == nil {
		return nil, nil
	}
	seen := map[string]bool{}
	var names []string
	for _, template := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(template)
		param := enumPathParameter(template, item.Parameters)
		for _, op := range item.Operations() {
			if p := enumPathParameter(template, op.Parameters); p != "" {
				param = p
			}
		}
		if param == "" {
			continue
		}
		if !seen[param] {
			seen[param] = true
			names = append(names, param)
		}
		concrete := map[string]*openapi3.PathItem{}
		var order []string
		for method, op := range item.Operations() {
			values := enumValues(param, op.Parameters)
			if values == nil {
				values = enumValues(param, item.Parameters)
			}
			if values == nil {
				return nil, fmt.Errorf("%s %s: the path parameter %s has no enum here", method, template, param)
			}
			for _, value := range values {
				path := strings.ReplaceAll(template, "{"+param+"}", value)
				target := concrete[path]
				if target == nil {
					copied := *item
					copied.Parameters = without(param, item.Parameters)
					copied.Connect, copied.Delete, copied.Get, copied.Head, copied.Options = nil, nil, nil, nil, nil
					copied.Patch, copied.Post, copied.Put, copied.Trace = nil, nil, nil, nil
					target = &copied
					concrete[path] = target
					order = append(order, path)
				}
				copied := *op
				copied.Parameters = without(param, op.Parameters)
				target.SetOperation(method, &copied)
			}
		}
		doc.Paths.Delete(template)
		for _, path := range order {
			if doc.Paths.Value(path) != nil {
				return nil, fmt.Errorf("%s: its path %s is also declared on its own", template, path)
			}
			doc.Paths.Set(path, concrete[path])
		}
	}
	return names, nil
}

// enumPathParameter is the name of the first path parameter of template
// among params whose schema is an enum of strings, or "".
func enumPathParameter(template string, params openapi3.Parameters) string {
	for _, p := range params {
		if p == nil || p.Value == nil || p.Value.In != openapi3.ParameterInPath {
			continue
		}
		if strings.Contains(template, "{"+p.Value.Name+"}") && enumValues(p.Value.Name, openapi3.Parameters{p}) != nil {
			return p.Value.Name
		}
	}
	return ""
}

// enumValues are the string values of the path parameter name's enum among
// params; nil when it is not there or not an enum of strings.
func enumValues(name string, params openapi3.Parameters) []string {
	for _, p := range params {
		if p == nil || p.Value == nil || p.Value.In != openapi3.ParameterInPath || p.Value.Name != name {
			continue
		}
		if p.Value.Schema == nil || p.Value.Schema.Value == nil || len(p.Value.Schema.Value.Enum) == 0 {
			return nil
		}
		var values []string
		for _, v := range p.Value.Schema.Value.Enum {
			s, ok := v.(string)
			if !ok || s == "" || strings.ContainsAny(s, "/{}") {
				return nil
			}
			values = append(values, s)
		}
		return values
	}
	return nil
}

// without is params less the path parameter name.
func without(name string, params openapi3.Parameters) openapi3.Parameters {
	var out openapi3.Parameters
	for _, p := range params {
		if p != nil && p.Value != nil && p.Value.In == openapi3.ParameterInPath && p.Value.Name == name {
			continue
		}
		out = append(out, p)
	}
	return out
}
