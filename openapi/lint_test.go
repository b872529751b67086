package openapi_test

// The contract lints clean under the rules of Redocly's `recommended` and Spectral's `spectral:oas` rulesets
// that apply to an OpenAPI 3.0 document like ours, checked here in Go (kin-openapi and a walk of the raw
// YAML) so that CI needs no npm. Each finding names the rule it stands for, Redocly's name first where the
// two differ; TestLintFindsWhatItLooksFor breaks the contract once per rule and expects the finding, so no
// rule passes by checking nothing.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"

	"github.com/smoochkit/smooch-go/openapi"
)

func TestContractLintsClean(t *testing.T) {
	findings, err := lint(openapi.YAML)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("smooch.yaml: %s", f)
	}
}

// lint returns the contract's findings, one line each: "rule: where: what".
func lint(data []byte) ([]string, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("parse YAML: %w", err)
	}
	l := &linter{refs: map[string]bool{}}
	l.walk(&root, "#")
	// kin-openapi refuses a document it cannot read (a duplicate key, for one): nothing more to check then.
	// It is given the parsed YAML as JSON, which it reads in a third of the time it takes to parse the YAML
	// again (make test lints two dozen copies of the contract); YAML that JSON cannot carry goes to it as is.
	source := data
	var tree any
	if err := root.Decode(&tree); err == nil {
		if asJSON, err := json.Marshal(tree); err == nil {
			source = asJSON
		}
	}
	if doc, err := openapi3.NewLoader().LoadFromData(source); err != nil {
		l.report("struct", "#", "%v", err)
	} else {
		l.document(doc)
	}
	sort.Strings(l.findings)
	return l.findings, nil
}

type linter struct {
	findings []string
	refs     map[string]bool // every $ref target in the document
}

func (l *linter) report(rule, where, format string, args ...any) {
	l.findings = append(l.findings, rule+": "+where+": "+fmt.Sprintf(format, args...))
}

// walk visits the raw YAML: rules about what a mapping holds, wherever it is.
func (l *linter) walk(n *yaml.Node, ptr string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			l.walk(c, ptr)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			l.walk(c, ptr+"/"+strconv.Itoa(i))
		}
	case yaml.MappingNode:
		where := fmt.Sprintf("%s (line %d)", ptr, n.Line)
		keys := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if keys[k] != nil {
				l.report("struct", where, "key %q appears twice (lines %d and %d)", k, keys[k].Line, n.Content[i].Line)
			}
			keys[k] = n.Content[i+1]
		}
		if ref := keys["$ref"]; ref != nil {
			l.refs[ref.Value] = true
			if len(keys) > 1 {
				var siblings []string
				for k := range keys {
					if k != "$ref" {
						siblings = append(siblings, k)
					}
				}
				sort.Strings(siblings)
				l.report("spec-ref-siblings/no-$ref-siblings", where, "$ref has siblings %v, which OpenAPI 3.0 ignores", siblings)
			}
		}
		if enum := keys["enum"]; enum != nil && enum.Kind == yaml.SequenceNode {
			l.enum(where, enum, keys)
		}
		if d := keys["description"]; d != nil && d.Kind == yaml.ScalarNode {
			lower := strings.ToLower(d.Value)
			if strings.Contains(lower, "<script") {
				l.report("no-script-tags-in-markdown", where, "description holds a <script> tag")
			}
			if strings.Contains(lower, "eval(") {
				l.report("no-eval-in-markdown", where, "description holds eval(")
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			l.walk(n.Content[i+1], ptr+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(n.Content[i].Value))
		}
	}
}

// enum: entries are unique and of the schema's type (typed-enum, no-enum-type-mismatch).
func (l *linter) enum(where string, enum *yaml.Node, keys map[string]*yaml.Node) {
	seen := map[string]bool{}
	for _, e := range enum.Content {
		if seen[e.Tag+e.Value] {
			l.report("duplicated-entry-in-enum", where, "enum lists %q twice", e.Value)
		}
		seen[e.Tag+e.Value] = true
	}
	typ := keys["type"]
	if typ == nil {
		return
	}
	want := map[string][]string{
		"string": {"!!str"}, "integer": {"!!int"}, "number": {"!!int", "!!float"}, "boolean": {"!!bool"},
		"object": {"!!map"}, "array": {"!!seq"},
	}[typ.Value]
	nullable := keys["nullable"] != nil && keys["nullable"].Value == "true"
	for _, e := range enum.Content {
		if !slices.Contains(want, e.Tag) && !(nullable && e.Tag == "!!null") {
			l.report("no-enum-type-mismatch/typed-enum", where, "enum value %q is not of type %s", e.Value, typ.Value)
		}
	}
}

var (
	urlSafeOperationID = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*$`)
	pathTemplate       = regexp.MustCompile(`\{([^}]*)\}`)
	componentName      = regexp.MustCompile(`^[a-zA-Z0-9.\-_]+$`)
)

// document checks the parsed contract.
func (l *linter) document(doc *openapi3.T) {
	// The contract validates without the leniency openapi.LoadData grants to $ref siblings, examples included
	// (struct, oas3-schema, oas3-valid-media-example, oas3-valid-schema-example, no-invalid-media-type-examples).
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		l.report("struct/oas3-schema", "#", "%v", err)
	}

	l.info(doc.Info)
	l.servers(doc.Servers)

	declared := map[string]bool{}
	for _, tag := range doc.Tags {
		if declared[tag.Name] {
			l.report("openapi-tags-uniqueness", "#/tags", "tag %q is declared twice", tag.Name)
		}
		declared[tag.Name] = true
		if strings.TrimSpace(tag.Description) == "" {
			l.report("tag-description", "#/tags", "tag %q has no description", tag.Name)
		}
	}
	if len(doc.Tags) == 0 {
		l.report("openapi-tags", "#/tags", "no tags are declared")
	}

	schemes := map[string]bool{}
	if doc.Components != nil {
		for name := range doc.Components.SecuritySchemes {
			schemes[name] = true
		}
	}
	used := map[string]bool{} // security schemes some requirement names
	security := func(where string, reqs openapi3.SecurityRequirements) {
		for _, req := range reqs {
			for name := range req {
				used[name] = true
				if !schemes[name] {
					l.report("security-defined/oas3-operation-security-defined", where, "security scheme %q is not defined", name)
				}
			}
		}
	}
	security("#/security", doc.Security)

	normalized := map[string]string{}
	operationIDs := map[string]string{}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		where := "#/paths/" + path
		if len(path) > 1 && strings.HasSuffix(path, "/") {
			l.report("no-path-trailing-slash/path-keys-no-trailing-slash", where, "path ends with a slash")
		}
		if strings.Contains(path, "?") {
			l.report("path-not-include-query", where, "path holds a query string")
		}
		if strings.Contains(path, "{}") {
			l.report("path-declaration-must-exist", where, "path has an unnamed parameter {}")
		}
		shape := pathTemplate.ReplaceAllString(path, "{}")
		if other, ok := normalized[shape]; ok {
			l.report("no-identical-paths/no-ambiguous-paths", where, "same shape as %s", other)
		}
		normalized[shape] = path

		var templated []string
		for _, m := range pathTemplate.FindAllStringSubmatch(path, -1) {
			templated = append(templated, m[1])
		}
		methods := make([]string, 0, len(item.Operations()))
		for method := range item.Operations() {
			methods = append(methods, method)
		}
		sort.Strings(methods)
		for _, method := range methods {
			op := item.Operations()[method]
			opWhere := where + "/" + strings.ToLower(method)
			l.operation(opWhere, op, operationIDs)
			if op.Security != nil {
				security(opWhere+"/security", *op.Security)
			} else if doc.Security == nil {
				l.report("security-defined", opWhere, "neither the operation nor the document states security")
			}

			// Parameters: unique by name and location; path parameters match the template.
			params := map[string]*openapi3.Parameter{}
			for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
				seen := map[string]bool{}
				for _, p := range list {
					if p.Value == nil {
						continue
					}
					key := p.Value.In + ":" + p.Value.Name
					if seen[key] {
						l.report("operation-parameters-unique", opWhere, "parameter %s appears twice", key)
					}
					seen[key] = true
					params[key] = p.Value
				}
			}
			for _, name := range templated {
				if params["path:"+name] == nil {
					l.report("path-parameters-defined/path-params", opWhere, "path parameter {%s} is not declared", name)
				}
			}
			for key, p := range params {
				if p.In != openapi3.ParameterInPath {
					continue
				}
				if !slices.Contains(templated, p.Name) {
					l.report("path-parameters-defined/path-params", opWhere, "path parameter %q is not in the path", p.Name)
				}
				if !p.Required {
					l.report("struct/path-params", opWhere, "path parameter %s is not required", key)
				}
			}
		}
	}

	l.components(doc.Components, used)
}

func (l *linter) info(info *openapi3.Info) {
	if info == nil {
		l.report("struct", "#/info", "no info object")
		return
	}
	if strings.TrimSpace(info.Description) == "" {
		l.report("info-description", "#/info", "no description")
	}
	if c := info.Contact; c == nil || (c.Name == "" && c.URL == "" && c.Email == "") {
		l.report("info-contact", "#/info", "no contact")
	}
	if info.License == nil || info.License.Name == "" {
		l.report("info-license", "#/info", "no license")
		return
	}
	if u, err := url.Parse(info.License.URL); info.License.URL == "" || err != nil || !u.IsAbs() {
		l.report("info-license-strict/license-url", "#/info/license", "license url %q is not an absolute URL", info.License.URL)
	}
}

func (l *linter) servers(servers openapi3.Servers) {
	if len(servers) == 0 {
		l.report("no-empty-servers/oas3-api-servers", "#/servers", "no servers")
	}
	for i, s := range servers {
		where := fmt.Sprintf("#/servers/%d", i)
		if strings.HasSuffix(s.URL, "/") {
			l.report("no-server-trailing-slash/oas3-server-trailing-slash", where, "url %q ends with a slash", s.URL)
		}
		for _, m := range pathTemplate.FindAllStringSubmatch(s.URL, -1) {
			if s.Variables[m[1]] == nil {
				l.report("no-undefined-server-variable", where, "variable {%s} is not defined", m[1])
			}
		}
		u, err := url.Parse(pathTemplate.ReplaceAllString(s.URL, "x"))
		if err != nil || !u.IsAbs() {
			l.report("oas3-api-servers", where, "url %q is not an absolute URL", s.URL)
			continue
		}
		if host := u.Hostname(); host == "example.com" || strings.HasSuffix(host, ".example.com") {
			l.report("no-server-example.com", where, "url %q is an example", s.URL)
		}
	}
}

func (l *linter) operation(where string, op *openapi3.Operation, ids map[string]string) {
	switch {
	case op.OperationID == "":
		l.report("operation-operationId", where, "no operationId")
	case ids[op.OperationID] != "":
		l.report("operation-operationId-unique", where, "operationId %q is also used by %s", op.OperationID, ids[op.OperationID])
	case !urlSafeOperationID.MatchString(op.OperationID):
		l.report("operation-operationId-url-safe/operation-operationId-valid-in-url", where, "operationId %q is not URL-safe", op.OperationID)
	}
	ids[op.OperationID] = where
	if strings.TrimSpace(op.Summary) == "" {
		l.report("operation-summary", where, "no summary")
	}
	if strings.TrimSpace(op.Description) == "" {
		l.report("operation-description", where, "no description")
	}
	if len(op.Tags) == 0 {
		l.report("operation-tags", where, "no tags")
	}
	var has2xx, has4xx bool
	if op.Responses != nil {
		for status := range op.Responses.Map() {
			has2xx = has2xx || strings.HasPrefix(status, "2")
			has4xx = has4xx || strings.HasPrefix(status, "4")
		}
	}
	if !has2xx {
		l.report("operation-2xx-response/operation-success-response", where, "no 2xx response")
	}
	if !has4xx {
		l.report("operation-4xx-response", where, "no 4xx response")
	}
}

// components: names are valid map keys, every component is used (no-unused-components,
// oas3-unused-component), and examples hold a value or an externalValue, not both.
func (l *linter) components(c *openapi3.Components, usedSchemes map[string]bool) {
	if c == nil {
		return
	}
	kinds := map[string][]string{
		"schemas":       keysOf(c.Schemas),
		"responses":     keysOf(c.Responses),
		"parameters":    keysOf(c.Parameters),
		"examples":      keysOf(c.Examples),
		"requestBodies": keysOf(c.RequestBodies),
		"headers":       keysOf(c.Headers),
		"links":         keysOf(c.Links),
		"callbacks":     keysOf(c.Callbacks),
	}
	for kind, names := range kinds {
		for _, name := range names {
			where := "#/components/" + kind + "/" + name
			if !componentName.MatchString(name) {
				l.report("spec-components-invalid-map-name", where, "name %q has characters outside [a-zA-Z0-9.-_]", name)
			}
			if !l.refs[where] {
				l.report("no-unused-components/oas3-unused-component", where, "never referenced")
			}
		}
	}
	for _, name := range keysOf(c.SecuritySchemes) {
		if !usedSchemes[name] {
			l.report("no-unused-components", "#/components/securitySchemes/"+name, "no security requirement names it")
		}
	}
	for name, ex := range c.Examples {
		if ex.Value != nil && ex.Value.Value != nil && ex.Value.ExternalValue != "" {
			l.report("no-example-value-and-externalValue/oas3-examples-value-or-externalValue",
				"#/components/examples/"+name, "both value and externalValue")
		}
	}
}

func keysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Each rule finds what it looks for: the contract, broken one way at a time, gives that rule's finding.
func TestLintFindsWhatItLooksFor(t *testing.T) {
	errorSchema := "x-go-name: Detail\n          allOf:\n            - $ref: '#/components/schemas/ErrorDetail'"
	createApp := "operationId: createApp\n      tags: [Apps]\n      summary: Create an app\n"
	createAppErrors := `        '400': {$ref: '#/components/responses/BadRequest'}
        '401': {$ref: '#/components/responses/Unauthorized'}
        '402': {$ref: '#/components/responses/PaymentRequired'}
        '403': {$ref: '#/components/responses/Forbidden'}
        '413': {$ref: '#/components/responses/PayloadTooLarge'}
        '429': {$ref: '#/components/responses/TooManyRequests'}
`
	cases := []struct {
		rule     string
		old, new string
	}{
		{"spec-ref-siblings/no-$ref-siblings", errorSchema, "x-go-name: Detail\n          $ref: '#/components/schemas/ErrorDetail'"},
		{"info-license-strict/license-url", "    url: https://github.com/smoochkit/smooch-go/blob/main/LICENSE\n", ""},
		{"info-license", "  license:\n    name: MIT\n    url: https://github.com/smoochkit/smooch-go/blob/main/LICENSE\n", ""},
		{"info-contact", "  contact:\n    name: smooch-go\n    url: https://github.com/smoochkit/smooch-go\n", ""},
		{"operation-operationId-unique", "operationId: listApps", "operationId: createApp"},
		{"operation-operationId-url-safe/operation-operationId-valid-in-url", "operationId: listApps", "operationId: list Apps"},
		{"operation-summary", createApp, "operationId: createApp\n      tags: [Apps]\n"},
		{"operation-tags", createApp, "operationId: createApp\n      summary: Create an app\n"},
		{"tag-description", "  - name: Apps\n    description: Endpoints used for provisioning Smooch apps. Requires `account` scope.\n", "  - name: Apps\n"},
		{"openapi-tags-uniqueness", "  - name: App Keys\n", "  - name: Apps\n    description: again\n  - name: App Keys\n"},
		{"no-server-trailing-slash/oas3-server-trailing-slash", "url: https://api.smooch.io\n", "url: https://api.smooch.io/\n"},
		{"no-server-example.com", "url: https://api.smooch.io\n", "url: https://api.example.com\n"},
		{"no-undefined-server-variable", "url: https://api.smooch.io\n", "url: https://{region}.smooch.io\n"},
		{"no-path-trailing-slash/path-keys-no-trailing-slash", "  /{apiVersion}/apps:\n", "  /{apiVersion}/apps/:\n"},
		{"path-parameters-defined/path-params", "  /{apiVersion}/apps/{appId}:\n", "  /{apiVersion}/apps/{appID}:\n"},
		{"no-unused-components/oas3-unused-component", "  schemas:\n", "  schemas:\n    Unused: {type: string}\n"},
		{"duplicated-entry-in-enum", "  schemas:\n", "  schemas:\n    Twice: {type: string, enum: [a, a]}\n"},
		{"no-enum-type-mismatch/typed-enum", "  schemas:\n", "  schemas:\n    Mixed: {type: string, enum: [a, 1]}\n"},
		{"struct", "openapi: 3.0.3\n", "openapi: 3.0.3\nservers: []\n"},
		{"no-script-tags-in-markdown", "Creates a new app. The response", "<script>alert(1)</script> Creates a new app. The response"},
		{"no-eval-in-markdown", "Creates a new app. The response", "eval(x) Creates a new app. The response"},
		{"operation-4xx-response", createAppErrors, ""},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel() // each lints its own copy of the contract, a second or so apiece under -race
			if !bytes.Contains(openapi.YAML, []byte(c.old)) {
				t.Fatalf("the text to break is no longer in the contract: %q", c.old)
			}
			broken := bytes.Replace(openapi.YAML, []byte(c.old), []byte(c.new), 1)
			findings, err := lint(broken)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				if strings.HasPrefix(f, c.rule+": ") {
					return
				}
			}
			t.Errorf("no %s finding; got %q", c.rule, findings)
		})
	}
}
