package conformance

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/aymanbagabas/go-udiff"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// ContractPatch is a suggested change of the contract that declares what a
// drift report found: each undeclared member as a property with its
// inferred type and "description: TODO", each undeclared enum value (with
// its Go name when the enum has x-enum-varnames), each new discriminator
// value as a new variant schema, each undeclared status and content type as
// a response. Required members that were missing stop being required.
type ContractPatch struct {
	Name     string   // the contract's file name, as the diff names it
	Original []byte   // the contract as it was
	Patched  []byte   // the contract with the patch applied
	Changes  []string // what the patch does, one line per change
	Skipped  []string // findings a patch cannot decide, to change by hand
}

// Diff is the patch as a unified diff of Name, for `git apply`. Empty when
// nothing changes. go-udiff is Go's own diff (golang.org/x/tools/internal/diff,
// as gopls uses it), published as a module.
func (p *ContractPatch) Diff() string {
	return udiff.Unified("a/"+p.Name, "b/"+p.Name, string(p.Original), string(p.Patched))
}

// PatchContract builds the patch of spec (the text of the contract doc was
// loaded from, called name) that declares findings.
func PatchContract(name string, spec []byte, doc *openapi3.T, findings []Finding) (*ContractPatch, error) {
	text, err := parseYAMLText(spec)
	if err != nil {
		return nil, fmt.Errorf("conformance: %s: %w", name, err)
	}
	p := &ContractPatch{Name: name, Original: spec}
	b := &patchBuilder{text: text, doc: doc, patch: p, done: map[string]bool{}, schemeOps: map[string][]string{},
		operationIDs: map[string]bool{}, versionParam: versionParamName(doc)}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			b.operationIDs[op.OperationID] = true
		}
	}
	// In three passes: what the contract's paths hold, with their present names; then the new version, which
	// renames every path; then the new operations, under the paths' new names.
	var versions, operations []Finding
	for _, f := range findings {
		switch f.Kind {
		case UndeclaredAPIVersion:
			versions = append(versions, f)
			continue
		case UndeclaredOperation:
			operations = append(operations, f)
			continue
		}
		if err := b.add(f); err != nil {
			return nil, fmt.Errorf("conformance: patch %s for %s: %w", name, describeFinding(f), err)
		}
	}
	if err := b.addVersions(versions); err != nil {
		return nil, fmt.Errorf("conformance: patch %s for a new API version: %w", name, err)
	}
	for _, f := range operations {
		if err := b.addOperation(f); err != nil {
			return nil, fmt.Errorf("conformance: patch %s for %s: %w", name, describeFinding(f), err)
		}
	}
	if err := b.finish(); err != nil {
		return nil, fmt.Errorf("conformance: patch %s: %w", name, err)
	}
	p.Patched = text.bytes()
	return p, nil
}

type patchBuilder struct {
	text  *yamlText
	doc   *openapi3.T
	patch *ContractPatch
	done  map[string]bool // changes made, so that each is made once

	schemeOps    map[string][]string // security scheme added → the operations it was added to
	newSchemes   []string            // security schemes the patch declares
	operationIDs map[string]bool     // taken
	versionParam string              // the path parameter naming the API version, once the contract has one
	versions     []string            // the versions the contract serves, once it has a parameter for them
}

// once reports whether key is new, and remembers it.
func (b *patchBuilder) once(key string) bool {
	if b.done[key] {
		return false
	}
	b.done[key] = true
	return true
}

func (b *patchBuilder) changed(format string, args ...any) {
	b.patch.Changes = append(b.patch.Changes, fmt.Sprintf(format, args...))
}

func (b *patchBuilder) skip(f Finding, why string) {
	line := describeFinding(f) + ": " + why
	if b.once("skip\x00" + line) {
		b.patch.Skipped = append(b.patch.Skipped, line)
	}
}

func (b *patchBuilder) add(f Finding) error {
	switch f.Kind {
	case UndeclaredField:
		if !b.once("field\x00" + f.Ref + "\x00" + f.Field) {
			return nil
		}
		key, schema := inference{required: f.Request, marks: marksFor(b.doc)}.member(f.Field, f.shape)
		if f.Secret != "" {
			markSecret(key, schema, f.Secret)
		}
		if err := ignoreExists(b.text.addEntryNode(f.Ref+"/properties", key, schema, "")); err != nil {
			return err
		}
		side := ""
		if f.Request {
			side = " (sent by the client)"
		}
		secret := ""
		if child(schema, "x-smooch-secret") != nil {
			secret = ", x-smooch-secret: " + strings.TrimSuffix(strings.TrimPrefix(key.HeadComment, "x-smooch-secret proposed: "), ". Take the mark back if it is not a credential.")
		}
		b.changed("%s: declare property %s (%s%s)%s", f.Schema, f.Field, schemaSummary(schema), secret, side)
	case MissingRequired:
		if !b.once("required\x00" + f.Ref + "\x00" + f.Field) {
			return nil
		}
		if err := b.text.removeItem(f.Ref+"/required", f.Field); err != nil {
			return err
		}
		b.changed("%s: %s is no longer required", f.Schema, f.Field)
	case UndeclaredEnumValue:
		if f.variant {
			return b.addVariant(f)
		}
		s, ok := f.Value.(string)
		if !ok {
			b.skip(f, "only string enum values are patched")
			return nil
		}
		return b.addEnumValue(f.Ref, f.Schema, s)
	case UndeclaredStatus:
		return b.addResponse(f)
	case UndeclaredContentType:
		if !b.once("content\x00" + f.Ref + "\x00" + f.ContentType) {
			return nil
		}
		if f.Request {
			return b.addRequestContent(f)
		}
		media := mappingNode("schema", bodySchema(f.ContentType, f.shape))
		if err := ignoreExists(b.text.addEntry(f.Ref+"/content", f.ContentType, media, "")); err != nil {
			return err
		}
		where := fmt.Sprintf("%s response %s", f.Operation, f.respKey)
		if name, ok := strings.CutPrefix(f.Ref, "#/components/responses/"); ok {
			where = "response " + pointerUnescape(name) + " (shared by every operation that declares it)"
		}
		b.changed("%s: declare content type %s", where, f.ContentType)
	case WrongType:
		b.skip(f, "a type change breaks clients; decide by hand")
	case UndeclaredParameter:
		return b.addParameter(f)
	case UndeclaredSecurityScheme:
		return b.addSecurity(f)
	}
	return nil
}

func ignoreExists(err error) error {
	if errors.Is(err, errExists) {
		return nil
	}
	return err
}

// addEnumValue adds value to the enum of the schema at ref, and its Go name
// to x-enum-varnames when the schema has them.
func (b *patchBuilder) addEnumValue(ref, schemaName, value string) error {
	if !b.once("enum\x00" + ref + "\x00" + value) {
		return nil
	}
	if err := ignoreExists(b.text.appendItem(ref+"/enum", scalarNode(value))); err != nil {
		return err
	}
	names := b.text.node(ref + "/x-enum-varnames")
	if names == nil || names.Kind != yaml.SequenceNode {
		b.changed("%s: enum value %s", schemaName, value)
		return nil
	}
	taken := map[string]bool{}
	for _, n := range names.Content {
		taken[n.Value] = true
	}
	goName := enumVarName(value, taken)
	if err := b.text.appendItem(ref+"/x-enum-varnames", scalarNode(goName)); err != nil {
		return err
	}
	b.changed("%s: enum value %s (Go name %s)", schemaName, value, goName)
	return nil
}

// enumVarName is a Go name for an enum value: "typing:appUser" → TypingAppUser.
func enumVarName(value string, taken map[string]bool) string {
	name := camel(value)
	if name == "" {
		name = "Value"
	}
	if unicode.IsDigit(rune(name[0])) {
		name = "V" + name
	}
	candidate := name
	for i := 2; taken[candidate]; i++ {
		candidate = name + strconv.Itoa(i)
	}
	return candidate
}

// camel joins the alphanumeric runs of s, each with its first letter upper case.
func camel(s string) string {
	var out strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		r := []rune(part)
		out.WriteString(string(unicode.ToUpper(r[0])) + string(r[1:]))
	}
	return out.String()
}

// addVariant declares a discriminator value no variant has: a new schema
// modelled on the union's variants (the members all of them require, their
// declarations of shared members, the discriminator as a one-value enum),
// added to the oneOf and the discriminator's mapping, and the value added to
// the enum the variants' discriminator property names (x-go-type or $ref).
func (b *patchBuilder) addVariant(f Finding) error {
	tag, _ := f.Value.(string)
	if !b.once("variant\x00" + f.Ref + "\x00" + tag) {
		return nil
	}
	union := b.text.node(f.Ref)
	if union == nil || union.Kind != yaml.MappingNode {
		b.skip(f, "the union is not in the contract's text")
		return nil
	}
	keyword := "oneOf"
	if child(union, keyword) == nil {
		keyword = "anyOf"
	}
	variantsNode := child(union, keyword)
	if variantsNode == nil || variantsNode.Kind != yaml.SequenceNode {
		b.skip(f, "the union lists no variants")
		return nil
	}
	var siblings []string // component names of the variants
	for _, item := range variantsNode.Content {
		if ref := child(item, "$ref"); ref != nil && strings.HasPrefix(ref.Value, "#/components/schemas/") {
			siblings = append(siblings, strings.TrimPrefix(ref.Value, "#/components/schemas/"))
		}
	}
	mapping := map[string]string{}
	if m := b.text.node(f.Ref + "/discriminator/mapping"); m != nil && m.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(m.Content); i += 2 {
			mapping[m.Content[i].Value] = strings.TrimPrefix(m.Content[i+1].Value, "#/components/schemas/")
		}
	}
	name := b.variantName(tag, f.Schema, mapping)

	// What the variants agree on: the members all of them require, and the
	// first declaration of each member.
	requiredByAll := map[string]int{}
	declared := map[string]*yaml.Node{}
	var order []string
	for _, s := range siblings {
		node := b.text.node("#/components/schemas/" + pointerEscape(s))
		if node == nil {
			continue
		}
		if req := child(node, "required"); req != nil {
			for _, r := range req.Content {
				requiredByAll[r.Value]++
			}
		}
		if props := child(node, "properties"); props != nil && props.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(props.Content); i += 2 {
				member := props.Content[i].Value
				if _, ok := declared[member]; !ok {
					declared[member] = props.Content[i+1]
					order = append(order, member)
				}
			}
		}
	}
	shape := f.shape
	props := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	var required []*yaml.Node
	var members []string
	for _, m := range order {
		if shape.members[m] != nil {
			members = append(members, m)
		}
	}
	for _, m := range shape.memberNames() {
		if declared[m] == nil {
			members = append(members, m)
		}
	}
	var sharedEnum string
	for _, m := range members {
		var schema *yaml.Node
		key := scalarNode(m)
		switch decl := declared[m]; {
		case m == f.Field && decl != nil:
			schema = deepCopy(decl)
			if enum := child(schema, "enum"); enum != nil {
				enum.Content = []*yaml.Node{scalarNode(tag)}
			}
			if d := child(schema, "description"); d != nil {
				d.Value = "TODO" // the sibling's says what its own tag means
			}
			if t := child(schema, "x-go-type"); t != nil {
				sharedEnum = "#/components/schemas/" + pointerEscape(t.Value)
			}
			if r := child(schema, "$ref"); r != nil {
				sharedEnum = r.Value
			}
		case decl != nil && declaredTypeFits(b.resolve(decl), shape.members[m]):
			schema = deepCopy(decl)
		default:
			key, schema = inference{marks: marksFor(b.doc)}.member(m, shape.members[m])
		}
		if len(schema.Content) > 0 && schemaIsFlat(schema) {
			schema.Style = yaml.FlowStyle
		}
		props.Content = append(props.Content, key, schema)
		if requiredByAll[m] == len(siblings) && shape.present[m] == shape.objects {
			required = append(required, scalarNode(m))
		}
	}
	variant := mappingNode("type", scalarNode("object"))
	if len(required) > 0 {
		variant.Content = append(variant.Content, scalarNode("required"),
			&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: required})
	}
	variant.Content = append(variant.Content, scalarNode("properties"), props)
	after := ""
	if len(siblings) > 0 {
		after = siblings[len(siblings)-1]
	}
	newRef := "#/components/schemas/" + name
	if err := b.text.addEntry("#/components/schemas", name, variant, after); err != nil {
		return err
	}
	if err := b.text.appendItem(f.Ref+"/"+keyword, mappingNode("$ref", quotedNode(newRef))); err != nil {
		return err
	}
	if b.text.node(f.Ref+"/discriminator") != nil {
		if err := ignoreExists(b.text.addEntry(f.Ref+"/discriminator/mapping", tag, quotedNode(newRef), "")); err != nil {
			return err
		}
	}
	b.changed("%s: new variant %s for %s %s (members %s)", f.Schema, name, f.Field, tag, strings.Join(members, ", "))
	if sharedEnum != "" && b.text.node(sharedEnum+"/enum") != nil {
		enumName := sharedEnum[strings.LastIndex(sharedEnum, "/")+1:]
		return b.addEnumValue(sharedEnum, pointerUnescape(enumName), tag)
	}
	return nil
}

// variantName names a new variant after its siblings: the mapping's
// "messenger" → MessengerIntegration makes "instagram" InstagramIntegration.
func (b *patchBuilder) variantName(tag, union string, mapping map[string]string) string {
	suffixes := map[string]int{}
	for t, schema := range mapping {
		if strings.HasPrefix(strings.ToLower(schema), strings.ToLower(t)) {
			suffixes[schema[len(t):]]++
		}
	}
	name := union + camel(tag)
	best := 0
	for suffix, n := range suffixes {
		if n > best || (n == best && suffix < name) {
			best, name = n, camel(tag)+suffix
		}
	}
	candidate := name
	for i := 2; b.text.node("#/components/schemas/"+pointerEscape(candidate)) != nil; i++ {
		candidate = name + strconv.Itoa(i)
	}
	return candidate
}

// resolve is the schema a declaration refers to, when it is a $ref into the contract.
func (b *patchBuilder) resolve(decl *yaml.Node) *yaml.Node {
	if ref := child(decl, "$ref"); ref != nil {
		if target := b.text.node(ref.Value); target != nil {
			return target
		}
	}
	return decl
}

// declaredTypeFits reports whether every value seen fits a sibling's
// declaration of the same member (by its type alone).
func declaredTypeFits(decl *yaml.Node, seen *shape) bool {
	t := child(decl, "type")
	if t == nil || seen == nil {
		return false
	}
	for typ := range seen.types {
		if typ != t.Value && !(typ == "integer" && t.Value == "number") {
			return false
		}
	}
	return true
}

// schemaIsFlat reports whether a schema reads well on one line: no nested
// properties, in its items neither.
func schemaIsFlat(n *yaml.Node) bool {
	if child(n, "properties") != nil {
		return false
	}
	if items := child(n, "items"); items != nil && items.Kind == yaml.MappingNode {
		return schemaIsFlat(items)
	}
	return true
}

// addResponse declares an undeclared status: the named response the
// contract uses for that status elsewhere when the body fits it, else a
// response with "description: TODO" and the body's schema (a component it
// fits exactly, or one inferred from it).
func (b *patchBuilder) addResponse(f Finding) error {
	code := strconv.Itoa(f.Status)
	if !b.once("status\x00" + f.Ref + "\x00" + code) {
		return nil
	}
	var value *yaml.Node
	summary := ""
	if name := b.sharedResponse(f.Status, f.ContentType, f.Example); name != "" {
		value = mappingNode("$ref", quotedNode("#/components/responses/"+name))
		value.Style = yaml.FlowStyle
		summary = "$ref " + name
	} else {
		value = mappingNode("description", scalarNode("TODO"))
		summary = "description TODO"
		if f.ContentType != "" && f.shape != nil && f.shape.total() > 0 {
			schema := bodySchema(f.ContentType, f.shape)
			if isJSONMediaType(f.ContentType) {
				if component := b.fittingSchema(f.Example); component != "" {
					schema = mappingNode("$ref", quotedNode("#/components/schemas/"+component))
					schema.Style = yaml.FlowStyle
					summary += ", schema " + component
				} else {
					summary += ", schema inferred"
				}
			}
			media := mappingNode("schema", schema)
			value.Content = append(value.Content, scalarNode("content"), mappingNode(f.ContentType, media))
		}
	}
	// Keep the statuses in order: after the last one that sorts before it.
	after := "^"
	if responses := b.text.node(f.Ref); responses != nil && responses.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(responses.Content); i += 2 {
			if k := responses.Content[i].Value; statusOrder(k) < statusOrder(code) {
				after = k
			}
		}
	}
	key := quotedNode(code)
	if err := ignoreExists(b.text.addEntryNode(f.Ref, key, value, after)); err != nil {
		return err
	}
	b.changed("%s: response %s (%s)", f.Operation, code, summary)
	return nil
}

// statusOrder sorts response keys: codes, then ranges after their codes, then default.
func statusOrder(key string) string {
	if key == "default" {
		return "9"
	}
	return strings.ReplaceAll(key, "X", "Z")
}

// sharedResponse is the components/responses entry most operations declare
// for status, when body fits it; "" when there is none.
func (b *patchBuilder) sharedResponse(status int, contentType string, body any) string {
	counts := map[string]int{}
	code := strconv.Itoa(status)
	for _, item := range b.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if r := op.Responses.Value(code); r != nil && strings.HasPrefix(r.Ref, "#/components/responses/") {
				counts[strings.TrimPrefix(r.Ref, "#/components/responses/")]++
			}
		}
	}
	names := sortedKeys(counts)
	sort.SliceStable(names, func(i, j int) bool { return counts[names[i]] > counts[names[j]] })
	for _, name := range names {
		resp := b.doc.Components.Responses[name]
		if resp == nil || resp.Value == nil {
			continue
		}
		if contentType == "" {
			if len(resp.Value.Content) == 0 {
				return name
			}
			continue
		}
		media := resp.Value.Content.Get(contentType)
		if media == nil {
			continue
		}
		if media.Schema == nil || fitsExactly(media.Schema, body) {
			return name
		}
	}
	return ""
}

// fittingSchema is the component schema body validates against with no
// undeclared member, the one declaring the most members; "" when none.
func (b *patchBuilder) fittingSchema(body any) string {
	best, bestProps := "", -1
	for _, name := range sortedKeys(b.doc.Components.Schemas) {
		ref := b.doc.Components.Schemas[name]
		if ref.Value == nil || len(ref.Value.Properties) == 0 {
			continue
		}
		if fitsExactly(ref, body) && len(ref.Value.Properties) > bestProps {
			best, bestProps = name, len(ref.Value.Properties)
		}
	}
	return best
}

// fitsExactly reports whether value validates against schema and has no
// member schema does not declare.
func fitsExactly(schema *openapi3.SchemaRef, value any) bool {
	plain := plainJSON(value)
	if schema.Value == nil || schema.Value.VisitJSON(plain, openapi3.MultiErrors()) != nil {
		return false
	}
	d := &Drift{findings: map[string]*Finding{}}
	w := &driftWalk{d: d}
	w.walk(schema, schemaLoc{}, value, "")
	return len(d.findings) == 0
}

// bodySchema is the schema a patch declares for bodies of a media type:
// inferred from what was seen for JSON; a string for text/plain; for any
// other type, binary, which the validator reads as raw bytes and the
// generator as a stream.
func bodySchema(mediaType string, seen *shape) *yaml.Node {
	var schema *yaml.Node
	switch {
	case isJSONMediaType(mediaType) && seen != nil && seen.total() > 0:
		return inferSchema(seen, false)
	case mediaType == "text/plain":
		schema = mappingNode("type", scalarNode("string"))
	default:
		schema = mappingNode("type", scalarNode("string"), "format", scalarNode("binary"))
	}
	schema.Style = yaml.FlowStyle
	return schema
}

func isJSONMediaType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func (s *shape) total() int {
	n := 0
	for _, c := range s.types {
		n += c
	}
	return n
}

// inferSchema is a schema every value of the shape validates against:
// the JSON type seen (number when integers and fractions were), nullable
// when null was seen, an object's members and an array's items inferred in
// turn. With describe, it gets "description: TODO" for a person to fill.
// Members that may be credentials are marked x-smooch-secret: true, with the
// reason in a comment (see inference).
func inferSchema(s *shape, describe bool) *yaml.Node {
	return inference{marks: contractMembers()}.schema(s, describe)
}

// inference infers schemas from shapes. With required, an object's members
// present in every object seen are required (for new operations, whose
// bodies are known only from the traffic). Credentials fail closed: a string
// member whose name or values look like a credential (secretReason) is
// marked x-smooch-secret: true, and its key carries a comment saying why, so
// that a reviewer can take the mark back.
type inference struct {
	required bool
	marks    map[string]bool // the contract's x-smooch-secret marks, by member name (marksFor)
}

func (in inference) schema(s *shape, describe bool) *yaml.Node {
	schema := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	add := func(key string, value *yaml.Node) { schema.Content = append(schema.Content, scalarNode(key), value) }
	var types []string
	nullable := false
	if s != nil {
		for _, t := range s.typeNames() {
			if t == "null" {
				nullable = true
				continue
			}
			types = append(types, t)
		}
	}
	description := "TODO"
	switch {
	case s != nil && s.binary:
		add("type", scalarNode("string"))
		add("format", scalarNode("binary"))
	case len(types) == 1:
		add("type", scalarNode(types[0]))
		switch types[0] {
		case "array":
			items := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
			if s.items != nil && s.items.total() > 0 {
				items = in.schema(s.items, false)
			}
			add("items", items)
		case "object":
			if len(s.members) > 0 {
				var required []*yaml.Node
				props := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				for _, m := range s.memberNames() {
					key, value := in.member(m, s.members[m])
					props.Content = append(props.Content, key, value)
					if in.required && s.present[m] == s.objects {
						required = append(required, scalarNode(m))
					}
				}
				if len(required) > 0 {
					add("required", &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Content: required})
				}
				add("properties", props)
			}
		}
	case len(types) > 1:
		description = "TODO (seen as " + strings.Join(types, ", ") + ")"
	}
	if nullable {
		add("nullable", boolNode(true))
	}
	if describe || len(types) != 1 {
		add("description", scalarNode(description))
	}
	if schemaIsFlat(schema) {
		schema.Style = yaml.FlowStyle
	}
	return schema
}

// member is an object member's key and schema, the schema marked
// x-smooch-secret: true (and the key commented) when the member may be a
// credential.
func (in inference) member(name string, s *shape) (key, schema *yaml.Node) {
	key, schema = scalarNode(name), in.schema(s, true)
	markSecret(key, schema, secretReason(in.marks, name, s))
	return key, schema
}

// markSecret marks a string schema x-smooch-secret: true, before its
// description, and says why in a comment on its key: the patch proposes it,
// a reviewer decides.
func markSecret(key, schema *yaml.Node, why string) {
	if why == "" || child(schema, "type") == nil || child(schema, "type").Value != "string" || child(schema, "format") != nil {
		return
	}
	if child(schema, "x-smooch-secret") != nil {
		return
	}
	at := len(schema.Content)
	if i := keyIndex(schema, "description"); i >= 0 {
		at = 2 * i
	}
	mark := []*yaml.Node{scalarNode("x-smooch-secret"), boolNode(true)}
	schema.Content = append(schema.Content[:at], append(mark, schema.Content[at:]...)...)
	key.HeadComment = "x-smooch-secret proposed: " + why + ". Take the mark back if it is not a credential."
}

// schemaSummary is a one-word summary of an inferred schema: its type.
func schemaSummary(schema *yaml.Node) string {
	if t := child(schema, "type"); t != nil {
		if items := child(schema, "items"); items != nil {
			if it := child(items, "type"); it != nil {
				return "array of " + it.Value
			}
		}
		return t.Value
	}
	if child(schema, "nullable") != nil {
		return "type unknown: only null was seen"
	}
	return "type unknown"
}

// describeFinding names a finding on one line, for patch notes and errors.
func describeFinding(f Finding) string {
	where := f.Operation
	if where == "" {
		where = f.Method + " " + f.Path
	}
	switch f.Kind {
	case UndeclaredField:
		return fmt.Sprintf("%s: undeclared field %s.%s", where, f.Schema, f.Field)
	case MissingRequired:
		return fmt.Sprintf("%s: missing required field %s.%s", where, f.Schema, f.Field)
	case UndeclaredEnumValue:
		return fmt.Sprintf("%s: undeclared value %v of %s", where, f.Value, f.Schema)
	case UndeclaredStatus:
		return fmt.Sprintf("%s: undeclared status %d", where, f.Status)
	case UndeclaredContentType:
		return fmt.Sprintf("%s: undeclared content type %s for status %d", where, f.ContentType, f.Status)
	case WrongType:
		return fmt.Sprintf("%s: %s at %s is declared %s, seen %s", where, f.Schema, f.At, f.Declared, strings.Join(f.Types, ", "))
	case UndeclaredOperation:
		return fmt.Sprintf("%s: no operation of the contract", where)
	case UndeclaredParameter:
		return fmt.Sprintf("%s: undeclared query parameter %s", where, f.Field)
	case UndeclaredSecurityScheme:
		return fmt.Sprintf("%s: undeclared authentication scheme %v", where, f.Value)
	case UndeclaredAPIVersion:
		return fmt.Sprintf("%s: called under API version %v", where, f.Value)
	}
	return where + ": " + string(f.Kind)
}
