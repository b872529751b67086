package conformance

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// The patches of the request side (parameters, authentication schemes, request content types), of a new API
// version, and of new operations.

// versionParamName is the name of the path parameter every path of the contract starts with when it names
// the API version ("apiVersion" of /{apiVersion}/apps), or "".
func versionParamName(doc *openapi3.T) string {
	name := ""
	for _, path := range doc.Paths.InMatchingOrder() {
		first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		if !isParam(first) || (name != "" && first != "{"+name+"}") {
			return ""
		}
		name = strings.Trim(first, "{}")
	}
	return name
}

// addParameter declares a query parameter the API took: the contract's component parameter of that name
// when it has one (the paging parameters), else an inline one with its inferred type.
func (b *patchBuilder) addParameter(f Finding) error {
	if !b.once("parameter\x00" + f.Ref + "\x00" + f.Field) {
		return nil
	}
	node, summary := b.queryParameter(f.Field, f.shape)
	if err := ignoreExists(b.text.appendItem(f.Ref, node)); err != nil {
		return err
	}
	b.changed("%s: query parameter %s (%s)", f.Operation, f.Field, summary)
	return nil
}

// queryParameter is the declaration of a query parameter seen with the values of s.
func (b *patchBuilder) queryParameter(name string, s *shape) (*yaml.Node, string) {
	for _, c := range sortedKeys(b.doc.Components.Parameters) {
		if p := b.doc.Components.Parameters[c]; p.Value != nil && p.Value.Name == name && p.Value.In == openapi3.ParameterInQuery {
			ref := mappingNode("$ref", quotedNode("#/components/parameters/"+c))
			ref.Style = yaml.FlowStyle
			return ref, "$ref " + c
		}
	}
	schema := inference{marks: marksFor(b.doc)}.schema(s, false)
	schema.Style = yaml.FlowStyle
	node := mappingNode("name", scalarNode(name), "in", scalarNode("query"), "description", scalarNode("TODO"), "schema", schema)
	node.Style = yaml.FlowStyle
	return node, schemaSummary(schema)
}

// addSecurity adds the scheme a request authenticated with to its operation's security: the contract's
// scheme that reads it, or a new one.
func (b *patchBuilder) addSecurity(f Finding) error {
	scheme, _ := f.Value.(string)
	name, err := b.ensureScheme(scheme)
	if err != nil {
		return err
	}
	if !b.once("security\x00" + f.Ref + "\x00" + name) {
		return nil
	}
	if b.text.node(f.Ref) == nil {
		// The operation has the contract's security: keep it, and add the new scheme.
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for _, req := range b.doc.Security {
			for _, n := range sortedKeys(req) {
				seq.Content = append(seq.Content, requirement(n))
			}
		}
		seq.Content = append(seq.Content, requirement(name))
		if err := b.text.addEntry(strings.TrimSuffix(f.Ref, "/security"), "security", seq, ""); err != nil {
			return err
		}
	} else if err := ignoreExists(b.text.appendItem(f.Ref, requirement(name))); err != nil {
		return err
	}
	b.schemeOps[name] = append(b.schemeOps[name], f.Operation)
	return nil
}

func requirement(scheme string) *yaml.Node {
	n := mappingNode(scheme, &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle})
	n.Style = yaml.FlowStyle
	return n
}

// ensureScheme is the name of the contract's security scheme reading Authorization headers of scheme
// ("Basic"), declared by the patch when there is none: type http with that scheme, described TODO.
func (b *patchBuilder) ensureScheme(scheme string) (string, error) {
	for _, name := range sortedKeys(b.doc.Components.SecuritySchemes) {
		if schemeReads(b.doc, name, scheme) {
			return name, nil
		}
	}
	name := strings.ToLower(scheme) + "Auth"
	if !b.once("scheme\x00" + name) {
		return name, nil
	}
	node := mappingNode("type", scalarNode("http"), "scheme", scalarNode(strings.ToLower(scheme)), "description", scalarNode("TODO"))
	if err := ignoreExists(b.text.addEntry("#/components/securitySchemes", name, node, "")); err != nil {
		return "", err
	}
	b.newSchemes = append(b.newSchemes, name)
	return name, nil
}

// addRequestContent declares the content type of a request body the API took.
func (b *patchBuilder) addRequestContent(f Finding) error {
	schema := bodySchema(f.ContentType, f.shape)
	if f.ContentType == "multipart/form-data" && f.shape != nil && f.shape.total() > 0 {
		schema = inference{required: true, marks: marksFor(b.doc)}.schema(f.shape, false)
	}
	if err := ignoreExists(b.text.addEntry(f.Ref+"/content", f.ContentType, mappingNode("schema", schema), "")); err != nil {
		return err
	}
	b.changed("%s: declare request content type %s", f.Operation, f.ContentType)
	return nil
}

// finish says what the patch did across operations: the security schemes it added and where. A new scheme
// also joins the contract's default security.
func (b *patchBuilder) finish() error {
	for _, name := range sortedKeys(b.schemeOps) {
		ops := b.schemeOps[name]
		sort.Strings(ops)
		isNew := slicesContains(b.newSchemes, name)
		what := "security scheme " + name
		if isNew {
			what = "new security scheme " + name + " (description TODO)"
			if err := ignoreExists(b.text.appendItem("#/security", requirement(name))); err != nil {
				return err
			}
		}
		b.changed("%s, accepted by %s: %s", what, plural(len(ops), "operation"), strings.Join(ops, ", "))
	}
	return nil
}

// addVersions moves every path of the contract under a version parameter when the traffic called its
// operations under another version than the contract's: /v1/apps becomes /{apiVersion}/apps, and each path
// item takes the component parameter ApiVersion, whose enum has the contract's version and those seen.
func (b *patchBuilder) addVersions(findings []Finding) error {
	if len(findings) == 0 {
		return nil
	}
	prefix := findings[0].prefix
	seen := map[string]bool{}
	ops := map[string]bool{}
	for _, f := range findings {
		seen[fmt.Sprint(f.Value)] = true
		ops[f.Method+" "+f.Path] = true
	}
	versions := append([]string{prefix}, sortedKeys(seen)...)
	const param = "apiVersion"
	enum := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	for _, v := range versions {
		enum.Content = append(enum.Content, scalarNode(v))
	}
	schema := mappingNode("type", scalarNode("string"), "enum", enum)
	schema.Style = yaml.FlowStyle
	component := mappingNode("name", scalarNode(param), "in", scalarNode("path"), "required", boolNode(true),
		"description", scalarNode("TODO"), "schema", schema)
	if err := b.text.addEntry("#/components/parameters", "ApiVersion", component, "^"); err != nil {
		return err
	}
	t := b.text
	paths := t.node("#/paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return fmt.Errorf("the contract's paths are not a mapping")
	}
	// Every path item gets the parameter first in its list: the insertions are computed on one parse and made
	// from the bottom up, so that one reparse follows them all (a reparse of the whole contract per path item
	// was most of a patch's time).
	type insertion struct {
		after int
		lines []string
	}
	var inserts []insertion
	ref := mappingNode("$ref", quotedNode("#/components/parameters/ApiVersion"))
	moved := 0
	for i := 0; i+1 < len(paths.Content); i += 2 {
		key, item := paths.Content[i], paths.Content[i+1]
		rest, ok := strings.CutPrefix(key.Value, "/"+prefix+"/")
		if !ok || item.Kind != yaml.MappingNode || len(item.Content) == 0 {
			continue
		}
		if err := t.renameKeyInPlace(key, "/{"+param+"}/"+rest); err != nil {
			return err
		}
		if params := child(item, "parameters"); params != nil && params.Kind == yaml.SequenceNode && len(params.Content) > 0 && params.Style&yaml.FlowStyle == 0 {
			first := params.Content[0]
			dash := strings.LastIndex(t.lines[first.Line-1][:first.Column-1], "-")
			if dash < 0 {
				return fmt.Errorf("%s: cannot find the parameters' dashes", key.Value)
			}
			lines, err := renderBlock(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{ref}}, dash)
			if err != nil {
				return err
			}
			inserts = append(inserts, insertion{first.Line - 2, lines})
		} else {
			indent := item.Content[0].Column - 1
			seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{ref}}
			lines, err := renderBlock(mappingNode("parameters", seq), indent)
			if err != nil {
				return err
			}
			after := item.Content[0].Line - 2
			for after >= 0 && strings.HasPrefix(strings.TrimSpace(t.lines[after]), "#") && indentOf(t.lines[after]) == indent {
				after-- // keep the first key's head comment with it
			}
			inserts = append(inserts, insertion{after, lines})
		}
		moved++
	}
	sort.Slice(inserts, func(i, j int) bool { return inserts[i].after > inserts[j].after })
	for _, in := range inserts {
		t.insertLines(in.after, in.lines)
	}
	if err := t.reparse(); err != nil {
		return err
	}
	total := 0
	for _, item := range b.doc.Paths.Map() {
		total += len(item.Operations())
	}
	b.versionParam, b.versions = param, versions
	b.changed("paths: every path moves under /{%s}/ (parameter ApiVersion: %s), %d paths; %d of the contract's %d operations were called under %s",
		param, strings.Join(versions, ", "), moved, len(ops), total, strings.Join(sortedKeys(seen), ", "))
	return nil
}

// addOperation declares an operation the contract lacks, as the traffic showed it: its path template (ids
// as parameters, the contract's own parameter components where they have the same name), its method,
// statuses and bodies, with schemas inferred (a member is required when every body had it), the contract's
// named responses for errors, and TODO for everything a person must write (descriptions, tags, scopes).
func (b *patchBuilder) addOperation(f Finding) error {
	p := f.proposal
	if p == nil || !b.once("operation\x00"+f.Method+"\x00"+f.Path) {
		return nil
	}
	var segs []string
	versioned := p.version != "" && b.versionParam != ""
	switch {
	case versioned:
		segs = append(segs, "{"+b.versionParam+"}")
	case p.version != "":
		segs = append(segs, p.version)
	}
	segs = append(segs, p.segments...)
	key := "/" + strings.Join(segs, "/")
	item := "#/paths/" + pointerEscape(key)
	method := strings.ToLower(f.Method)
	existing := b.text.node(item)
	if existing != nil && child(existing, method) != nil {
		b.skip(f, "the contract's path already has this method")
		return nil
	}
	id := b.operationID(f.Method, p)

	op := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(k string, v *yaml.Node) { op.Content = append(op.Content, scalarNode(k), v) }
	add("operationId", scalarNode(id))
	add("tags", flowSeq(scalarNode(b.tagFor(p.segments))))
	add("summary", scalarNode("TODO"))
	add("description", scalarNode("TODO"))
	add("x-smooch-scopes", flowSeq(scalarNode("TODO")))
	security := flowSeq()
	for _, scheme := range sortedKeys(p.schemes) {
		name, err := b.ensureScheme(scheme)
		if err != nil {
			return err
		}
		security.Content = append(security.Content, requirement(name))
		if slicesContains(b.newSchemes, name) {
			b.schemeOps[name] = append(b.schemeOps[name], id)
		}
	}
	if len(security.Content) > 0 {
		add("security", security)
	}

	// Parameters: the path's own (for a new path item), the version narrowed to those seen (for a new method
	// of a path serving more versions), and the query's.
	var pathParams, opParams []*yaml.Node
	versionParam := b.versionParameter(p.version)
	if versioned {
		if existing == nil {
			pathParams = append(pathParams, versionParam)
		} else if versionParam != nil && !b.servesOnly(existing, p.version) {
			opParams = append(opParams, versionParam)
		}
	}
	if existing == nil {
		for _, name := range p.params {
			pathParams = append(pathParams, b.pathParameter(name))
		}
	}
	for _, name := range sortedKeys(p.query) {
		node, _ := b.queryParameter(name, p.query[name])
		opParams = append(opParams, node)
	}
	if len(opParams) > 0 {
		add("parameters", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: opParams})
	}

	if len(p.bodies) > 0 {
		content := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, ct := range sortedKeys(p.bodies) {
			schema := inference{required: true, marks: marksFor(b.doc)}.schema(p.bodies[ct], false)
			content.Content = append(content.Content, scalarNode(ct), mappingNode("schema", schema))
		}
		body := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if p.withBody == p.okRequests() {
			body.Content = append(body.Content, scalarNode("required"), boolNode(true))
		}
		body.Content = append(body.Content, scalarNode("content"), content)
		add("requestBody", body)
	}

	responses := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	var statuses []string
	for _, status := range f.Statuses {
		code := strconv.Itoa(status)
		statuses = append(statuses, code)
		responses.Content = append(responses.Content, quotedNode(code), b.proposedResponse(status, p.statuses[status]))
	}
	add("responses", responses)

	if existing != nil {
		if err := b.text.addEntry(item, method, op, ""); err != nil {
			return err
		}
	} else {
		pathItem := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		if len(pathParams) > 0 {
			pathItem.Content = append(pathItem.Content, scalarNode("parameters"),
				&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: pathParams})
		}
		pathItem.Content = append(pathItem.Content, scalarNode(method), op)
		if err := b.text.addEntry("#/paths", key, pathItem, b.nearestPath(segs)); err != nil {
			return err
		}
	}
	body := "no request body"
	if len(p.bodies) > 0 {
		body = "request " + strings.Join(sortedKeys(p.bodies), ", ")
	}
	b.changed("new operation %s: %s %s (responses %s; %s; descriptions, tags and scopes TODO)",
		id, f.Method, key, strings.Join(statuses, ", "), body)
	return nil
}

func flowSeq(items ...*yaml.Node) *yaml.Node {
	return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: items}
}

// okRequests is how many of the operation's requests were answered with a 2xx (those whose bodies count).
func (p *proposal) okRequests() int { return p.ok }

// versionParameter is the version parameter of an operation seen under version: the contract's component
// when the operation serves every version it lists, else an inline parameter listing the one seen.
func (b *patchBuilder) versionParameter(version string) *yaml.Node {
	if version == "" || b.versionParam == "" {
		return nil
	}
	enum := flowSeq(scalarNode(version))
	schema := mappingNode("type", scalarNode("string"), "enum", enum)
	schema.Style = yaml.FlowStyle
	node := mappingNode("name", scalarNode(b.versionParam), "in", scalarNode("path"), "required", boolNode(true),
		"description", scalarNode("TODO: the versions that serve this operation"), "schema", schema)
	node.Style = yaml.FlowStyle
	return node
}

// servesOnly reports whether a path item's version parameter lists version alone.
func (b *patchBuilder) servesOnly(item *yaml.Node, version string) bool {
	params := child(item, "parameters")
	if params == nil {
		return false
	}
	for _, p := range params.Content {
		target := p
		if ref := child(p, "$ref"); ref != nil {
			target = b.text.node(ref.Value)
		}
		if target == nil || child(target, "name") == nil || child(target, "name").Value != b.versionParam {
			continue
		}
		var enum *yaml.Node
		if schema := child(target, "schema"); schema != nil {
			enum = child(schema, "enum")
		}
		return enum != nil && len(enum.Content) == 1 && enum.Content[0].Value == version
	}
	return false
}

// pathParameter declares a path parameter: the contract's component of that name, or an inline one.
func (b *patchBuilder) pathParameter(name string) *yaml.Node {
	for _, c := range sortedKeys(b.doc.Components.Parameters) {
		if p := b.doc.Components.Parameters[c]; p.Value != nil && p.Value.Name == name && p.Value.In == openapi3.ParameterInPath {
			return mappingNode("$ref", quotedNode("#/components/parameters/"+c))
		}
	}
	schema := mappingNode("type", scalarNode("string"), "minLength", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"})
	schema.Style = yaml.FlowStyle
	node := mappingNode("name", scalarNode(name), "in", scalarNode("path"), "required", boolNode(true),
		"description", scalarNode("TODO"), "schema", schema)
	node.Style = yaml.FlowStyle
	return node
}

// proposedResponse declares one status of a new operation: the contract's named response for an error
// status when the body fits it; else TODO, with the body's schema (a component it fits exactly, or inferred,
// members required when every body had them) and, for a 2xx, the first body as its example.
func (b *patchBuilder) proposedResponse(status int, a *answer) *yaml.Node {
	ct := ""
	var example any
	var seen *shape
	if a != nil {
		ct, example, seen = a.contentType, a.example, a.shape
	}
	if status >= 400 {
		if name := b.sharedResponse(status, ct, example); name != "" {
			ref := mappingNode("$ref", quotedNode("#/components/responses/"+name))
			ref.Style = yaml.FlowStyle
			return ref
		}
	}
	resp := mappingNode("description", scalarNode("TODO"))
	if ct == "" || seen == nil || seen.total() == 0 {
		return resp
	}
	var schema *yaml.Node
	if isJSONMediaType(ct) {
		if component := b.fittingSchema(example); component != "" && status >= 400 {
			schema = mappingNode("$ref", quotedNode("#/components/schemas/"+component))
			schema.Style = yaml.FlowStyle
		} else {
			schema = inference{required: true, marks: marksFor(b.doc)}.schema(seen, false)
		}
	} else {
		schema = bodySchema(ct, seen)
	}
	media := mappingNode("schema", schema)
	if status < 400 && example != nil {
		if node := jsonNode(example); node != nil {
			media.Content = append(media.Content, scalarNode("example"), node)
		}
	}
	resp.Content = append(resp.Content, scalarNode("content"), mappingNode(ct, media))
	return resp
}

// jsonNode is a decoded JSON value as a flow-style YAML node, or nil.
func jsonNode(v any) *yaml.Node {
	data, err := json.Marshal(plainJSON(v))
	if err != nil {
		return nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil || len(n.Content) != 1 {
		return nil
	}
	node := n.Content[0]
	setFlow(node)
	clearPositions(node)
	return node
}

func clearPositions(n *yaml.Node) {
	n.Line, n.Column = 0, 0
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && n.Style == yaml.DoubleQuotedStyle {
		n.Style = 0 // quoted only where YAML needs it
	}
	for _, c := range n.Content {
		clearPositions(c)
	}
}

// operationID names a new operation after its method and path, as the contract's are named: a list or a
// create for a collection, a get, update or delete for an item, the last segment's verb for an action
// (POST …/{deploymentId}/activate: activateDeployment). The name is a proposal, unique in the contract.
func (b *patchBuilder) operationID(method string, p *proposal) string {
	var nouns []string // the literal segments, each a singular noun when a parameter follows it
	segs := p.segments
	lastParam := -1
	for i, s := range segs {
		if isParam(s) {
			lastParam = i
		}
	}
	for i, s := range segs {
		if isParam(s) {
			continue
		}
		word := camel(s)
		if i+1 < len(segs) && isParam(segs[i+1]) {
			word = camel(singular(s))
		}
		nouns = append(nouns, word)
	}
	verb := map[string]string{"GET": "get", "POST": "create", "PUT": "update", "PATCH": "update", "DELETE": "delete"}[method]
	if verb == "" {
		verb = strings.ToLower(method)
	}
	endsInLiteral := len(segs) > 0 && !isParam(segs[len(segs)-1])
	switch {
	case method == "GET" && endsInLiteral && strings.HasSuffix(segs[len(segs)-1], "s"):
		verb = "list"
	case method == "POST" && endsInLiteral && lastParam >= 0 && len(nouns) > 0:
		// An action on an item: its last segment is the verb.
		verb = strings.ToLower(nouns[len(nouns)-1][:1]) + nouns[len(nouns)-1][1:]
		nouns = nouns[:len(nouns)-1]
	case method == "POST" && endsInLiteral && len(nouns) > 0:
		nouns[len(nouns)-1] = camel(singular(segs[len(segs)-1])) // create one of the collection
	}
	name := verb + strings.Join(nouns, "")
	candidate := name
	for i := 2; b.operationIDs[candidate]; i++ {
		candidate = name + strconv.Itoa(i)
	}
	b.operationIDs[candidate] = true
	return candidate
}

// tagFor is the tag of the contract's operation whose path shares the most literal segments with segs, or
// TODO when none shares any.
func (b *patchBuilder) tagFor(segs []string) string {
	best, tag := 0, "TODO"
	for _, path := range b.doc.Paths.InMatchingOrder() {
		theirs := strings.Split(strings.TrimPrefix(path, "/"), "/")
		if len(theirs) > 0 && (versionSegment.MatchString(theirs[0]) || isParam(theirs[0])) {
			theirs = theirs[1:]
		}
		n := 0
		for n < len(theirs) && n < len(segs) && (theirs[n] == segs[n] || isParam(theirs[n]) && isParam(segs[n])) {
			n++
		}
		literals := 0
		for _, s := range segs[:n] {
			if !isParam(s) {
				literals++
			}
		}
		if literals > best || (literals == best && literals > 0 && n > 0 && len(theirs) < len(segs)) {
			for _, op := range b.doc.Paths.Value(path).Operations() {
				if len(op.Tags) > 0 {
					best, tag = literals, op.Tags[0]
					break
				}
			}
		}
	}
	return tag
}

// nearestPath is the contract path sharing the longest prefix with segs, for a new path to follow; "" (the
// end) when none shares a literal segment.
func (b *patchBuilder) nearestPath(segs []string) string {
	paths := b.text.node("#/paths")
	best, after := 0, ""
	for i := 0; i+1 < len(paths.Content); i += 2 {
		key := paths.Content[i].Value
		theirs := strings.Split(strings.TrimPrefix(key, "/"), "/")
		n := 0
		for n < len(theirs) && n < len(segs) && theirs[n] == segs[n] {
			n++
		}
		literals := 0
		for _, s := range theirs[:n] {
			if !isParam(s) && !versionSegment.MatchString(s) {
				literals++
			}
		}
		if literals > 0 && literals >= best {
			best, after = literals, key
		}
	}
	return after
}

// renameKeyInPlace renames a key node on its line, without a reparse: the lines keep their number, and the
// node takes the new name.
func (t *yamlText) renameKeyInPlace(k *yaml.Node, newKey string) error {
	line := t.lines[k.Line-1]
	col := k.Column - 1
	if !strings.HasPrefix(line[col:], k.Value) {
		return fmt.Errorf("cannot find the key %q on line %d", k.Value, k.Line)
	}
	t.lines[k.Line-1] = line[:col] + newKey + line[col+len(k.Value):]
	k.Value = newKey
	return nil
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
