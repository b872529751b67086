package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/smoochkit/smooch-go/openapi"
)

// FindingKind names one way the API's answers drift from the contract.
type FindingKind string

// The kinds of drift, in the order a report lists them within a schema.
const (
	// UndeclaredStatus: the operation does not declare the status it was answered with.
	UndeclaredStatus FindingKind = "undeclared-status"
	// UndeclaredContentType: the response declares no such content type.
	UndeclaredContentType FindingKind = "undeclared-content-type"
	// UndeclaredField: an object member the schema does not declare.
	UndeclaredField FindingKind = "undeclared-field"
	// MissingRequired: a member the schema requires was absent.
	MissingRequired FindingKind = "missing-required"
	// UndeclaredEnumValue: a value the schema's enum lacks (a new webhook
	// trigger), or a discriminator value no variant of a oneOf has (a new
	// integration type).
	UndeclaredEnumValue FindingKind = "undeclared-enum-value"
	// WrongType: a value of another JSON type than the schema declares.
	WrongType FindingKind = "wrong-type"
	// UndeclaredOperation: no operation of the contract has the request's method and path. One finding
	// per operation the requests suggest: their paths become one template (ids recognised as parameters),
	// and a patch proposes the operation.
	UndeclaredOperation FindingKind = "undeclared-operation"
	// UndeclaredParameter: a query parameter the operation does not declare, in a request the API answered
	// with a 2xx.
	UndeclaredParameter FindingKind = "undeclared-parameter"
	// UndeclaredSecurityScheme: a request the API answered with a 2xx authenticated with a scheme (its
	// Authorization header's, "Basic") that the operation's security does not list.
	UndeclaredSecurityScheme FindingKind = "undeclared-security-scheme"
	// UndeclaredAPIVersion: the request's path starts with a version (/v1.1/…) other than the contract's
	// (/v1/…), and is the contract's operation under it. The exchange is judged against that operation.
	UndeclaredAPIVersion FindingKind = "undeclared-api-version"
)

var kindOrder = map[FindingKind]int{UndeclaredAPIVersion: 0, UndeclaredSecurityScheme: 1, UndeclaredParameter: 2,
	UndeclaredStatus: 3, UndeclaredContentType: 4, UndeclaredField: 5, MissingRequired: 6,
	UndeclaredEnumValue: 7, WrongType: 8, UndeclaredOperation: 9}

// Finding is one kind of drift at one place of the contract, with every
// occurrence of it in the traffic read.
type Finding struct {
	Kind        FindingKind `json:"kind"`
	Operation   string      `json:"operation,omitempty"` // the operationId; empty for UndeclaredOperation
	Method      string      `json:"method"`
	Path        string      `json:"path"` // the contract's path template; the request's path for UndeclaredOperation
	Status      int         `json:"status,omitempty"`
	ContentType string      `json:"contentType,omitempty"`
	// Schema names the schema concerned: a component ("App"), a member of one
	// ("App.settings"), or an operation's inline body ("createApp 201 response").
	Schema string `json:"schema,omitempty"`
	// Ref is where in the contract a fix goes, as a JSON pointer: the schema
	// ("#/components/schemas/App"), the response for a content type, the
	// operation's responses for a status.
	Ref string `json:"ref,omitempty"`
	// Field is the member concerned; for an undeclared discriminator value,
	// the discriminator property.
	Field string `json:"field,omitempty"`
	// At is where in the body, arrays marked [] ("webhooks[].triggers[]").
	At string `json:"at,omitempty"`
	// Value is the undeclared enum or discriminator value.
	Value any `json:"value,omitempty"`
	// Declared is the declared type, for WrongType.
	Declared string `json:"declared,omitempty"`
	// Types are the JSON types seen: of the member, of the wrongly typed value.
	Types []string `json:"types,omitempty"`
	// Example is a value seen (a body, for a status or content type), with
	// credentials redacted as in cassettes.
	Example any `json:"example,omitempty"`
	// Members are the members of the objects carrying an undeclared
	// discriminator value: what a new variant would declare.
	Members []string `json:"members,omitempty"`
	// Request marks a finding about what the client sent (a member, a parameter, a content type, an
	// authentication scheme) rather than what the API answered. Requests are judged only when the API
	// answered them with a 2xx: the API took what they sent.
	Request bool `json:"request,omitempty"`
	// Secret says why an undeclared member (or a member of a new variant or operation) may be a
	// credential: a patch declares it x-smooch-secret: true, with this reason beside the mark.
	Secret string `json:"secret,omitempty"`
	// Statuses are the statuses a new operation was answered with.
	Statuses []int `json:"statuses,omitempty"`
	// Count is how often it was seen; Interactions, in how many interactions.
	Count        int `json:"count"`
	Interactions int `json:"interactions"`
	// First names the first interaction it was seen in: "cassette: interaction N".
	First string `json:"first"`

	shape    *shape          // every value seen, merged: what a patch infers a schema from
	seenIn   map[string]bool // interactions counted
	variant  bool            // an undeclared discriminator value
	respKey  string          // the responses key the status matched ("200", "5XX"), for a content type
	position int             // operation order
	proposal *proposal       // for UndeclaredOperation: what the requests show of the operation
	prefix   string          // for UndeclaredAPIVersion: the contract's version segment ("v1")
}

// Variant reports whether the finding is a discriminator value that no
// variant of a oneOf has, such as a new integration type.
func (f Finding) Variant() bool { return f.variant }

// Drift collects the findings of the traffic added to it. It only judges
// responses: what the API answered, which a contract change can describe.
// Everything else a live run may show (a request the client should not
// have sent, a body that is not JSON) is validate's to report.
type Drift struct {
	validator    *openapi.Validator
	findings     map[string]*Finding
	interactions int
	order        map[string]int // "METHOD path" → position in the contract
	seen         map[string]SeenOperation
	prefix       string                   // the version segment every path of the contract starts with ("v1"), if any
	unmatched    map[string]*unmatchedReq // requests no operation matches, by method and path
	ids          map[string]bool          // the ids the traffic's bodies carry (_id, …Id members)
}

// SeenOperation is an operation the traffic called, with how often.
type SeenOperation struct {
	Operation    string `json:"operation"` // empty for requests no operation matches
	Method       string `json:"method"`
	Path         string `json:"path"`
	Interactions int    `json:"interactions"`
	position     int
}

// NewDrift starts an empty drift report against v's contract.
func NewDrift(v *openapi.Validator) *Drift {
	d := &Drift{validator: v, findings: map[string]*Finding{}, order: map[string]int{}, seen: map[string]SeenOperation{},
		unmatched: map[string]*unmatchedReq{}, ids: map[string]bool{}}
	cov := NewCoverage(v.Doc())
	for i, op := range cov.operations {
		d.order[op.method+" "+op.path] = i
	}
	d.prefix = versionPrefix(v.Doc())
	return d
}

// doc is the contract the drift is judged against (nil for a drift without one, as fitsExactly's).
func (d *Drift) doc() *openapi3.T {
	if d.validator == nil {
		return nil
	}
	return d.validator.Doc()
}

// Interactions is how many interactions were added.
func (d *Drift) Interactions() int { return d.interactions }

// AddCassettes adds every interaction of cassettes.
func (d *Drift) AddCassettes(cassettes []*Cassette) {
	for _, c := range cassettes {
		for i, in := range c.Interactions {
			d.Add(fmt.Sprintf("%s: interaction %d", c.Path, i), ExchangeOf(in))
		}
	}
}

// Add judges one exchange; where names it in findings.
func (d *Drift) Add(where string, ex Exchange) {
	d.interactions++
	req, err := http.NewRequest(ex.Method, ex.URL, nil)
	if err != nil {
		return // validate reports an unusable request
	}
	req.Header = ex.Header
	body := bytes.TrimSpace(ex.RespBody)
	value, isJSON := decodeJSON(body)
	if isJSON {
		collectIDs(value, d.ids)
	}
	route, params, err := d.validator.Route(req)
	version := ""
	if err != nil {
		route, params, version = d.versionedRoute(req)
	}
	if route == nil {
		d.count(SeenOperation{position: len(d.order)})
		d.addUnmatched(where, ex, req)
		return
	}
	op := route.Operation
	position := d.order[route.Method+" "+route.Path]
	d.count(SeenOperation{Operation: op.OperationID, Method: route.Method, Path: route.Path, position: position})
	base := Finding{Operation: op.OperationID, Method: route.Method, Path: route.Path, Status: ex.Status, position: position}
	opRef := "#/paths/" + pointerEscape(route.Path) + "/" + strings.ToLower(route.Method)
	if version != "" {
		f := base
		f.Kind, f.Value, f.Ref, f.prefix, f.Status, f.Request = UndeclaredAPIVersion, version, "#/paths", d.prefix, 0, true
		d.record(where, f, "", nil)
	}
	if ex.Status < 100 || ex.Status > 599 {
		return
	}
	if ex.Status >= 200 && ex.Status <= 299 {
		d.judgeRequest(where, ex, req, route, params, base, opRef)
	}
	mediaType := ""
	if ct := ex.RespHeader.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			mediaType = mt
		} else {
			mediaType = ct
		}
	}
	example := any(string(body))
	if isJSON {
		example = value
	}

	resp, key := responseFor(op, ex.Status)
	if resp == nil || resp.Value == nil {
		f := base
		f.Kind, f.ContentType, f.Ref = UndeclaredStatus, mediaType, opRef+"/responses"
		d.record(where, f, "", example)
		return
	}
	respRef := resp.Ref
	if respRef == "" {
		respRef = opRef + "/responses/" + pointerEscape(key)
	}
	if len(body) == 0 || mediaType == "" {
		return // nothing to judge; a missing Content-Type is validate's
	}
	media := resp.Value.Content.Get(mediaType)
	if media == nil {
		f := base
		f.Kind, f.ContentType, f.Ref, f.respKey = UndeclaredContentType, mediaType, respRef, key
		d.record(where, f, "", example)
		return
	}
	if media.Schema == nil || !isJSON {
		return
	}
	base.ContentType = mediaType
	w := &driftWalk{d: d, where: where, base: base}
	root := schemaLoc{ref: respRef + "/content/" + pointerEscape(mediaType) + "/schema",
		name: fmt.Sprintf("%s %d response", op.OperationID, ex.Status)}
	w.walk(media.Schema, root, value, "")
}

func (d *Drift) count(op SeenOperation) {
	key := op.Method + " " + op.Path
	seen := d.seen[key]
	if seen.Interactions == 0 {
		seen = op
	}
	seen.Interactions++
	d.seen[key] = seen
}

// Operations lists the operations the traffic called, in the contract's
// order; requests no operation matches come last, as one entry without an
// operation.
func (d *Drift) Operations() []SeenOperation {
	out := make([]SeenOperation, 0, len(d.seen))
	for _, op := range d.seen {
		out = append(out, op)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].position < out[j].position })
	return out
}

// responseFor is the response an operation declares for status, and the
// key it is declared under: the status, its range ("5XX") or "default".
func responseFor(op *openapi3.Operation, status int) (*openapi3.ResponseRef, string) {
	if op.Responses == nil {
		return nil, ""
	}
	code := strconv.Itoa(status)
	if r := op.Responses.Value(code); r != nil {
		return r, code
	}
	if rng := code[:1] + "XX"; op.Responses.Value(rng) != nil {
		return op.Responses.Value(rng), rng
	}
	if r := op.Responses.Default(); r != nil {
		return r, "default"
	}
	return nil, ""
}

// record adds one occurrence of a finding; name is the member the value was
// seen under, for redaction.
func (d *Drift) record(where string, f Finding, name string, value any) {
	d.entry(where, f, name, value).shape.add(value)
}

// entry counts one occurrence of a finding and returns it, for its shape to take the value seen.
func (d *Drift) entry(where string, f Finding, name string, example any) *Finding {
	key := findingKey(f)
	existing, ok := d.findings[key]
	if !ok {
		f.Example = redactExample(name, example)
		f.First = where
		f.shape = &shape{}
		f.seenIn = map[string]bool{}
		existing = &f
		d.findings[key] = existing
	}
	existing.Count++
	if !existing.seenIn[where] {
		existing.seenIn[where] = true
		existing.Interactions++
	}
	return existing
}

// Findings lists what was found, grouped by operation (in the contract's
// order), status and schema.
func (d *Drift) Findings() []Finding {
	out := make([]Finding, 0, len(d.findings))
	for _, f := range d.findings {
		g := *f
		switch g.Kind {
		case UndeclaredField:
			g.Types = g.shape.typeNames()
			g.Secret = secretReason(marksFor(d.doc()), g.Field, g.shape)
		case UndeclaredParameter:
			g.Types = g.shape.typeNames()
		case WrongType:
			g.Types = g.shape.typeNames()
		case UndeclaredEnumValue:
			if g.variant {
				g.Members = g.shape.memberNames()
			}
		}
		out = append(out, g)
	}
	out = append(out, d.proposals()...)
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.position != b.position {
			return a.position < b.position
		}
		if a.Path != b.Path || a.Method != b.Method {
			return a.Method+" "+a.Path < b.Method+" "+b.Path
		}
		if a.Request != b.Request {
			return a.Request // what was sent, then what was answered
		}
		if a.Status != b.Status {
			return a.Status < b.Status
		}
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		if a.Kind != b.Kind {
			return kindOrder[a.Kind] < kindOrder[b.Kind]
		}
		if a.At != b.At {
			return a.At < b.At
		}
		if a.Field != b.Field {
			return a.Field < b.Field
		}
		return fmt.Sprint(a.Value) < fmt.Sprint(b.Value)
	})
	return out
}

// schemaLoc is where a schema is in the contract and what a report calls it.
type schemaLoc struct {
	ref  string // JSON pointer, "#/components/schemas/App"
	name string
}

func (l schemaLoc) child(segment, name string) schemaLoc {
	return schemaLoc{ref: l.ref + "/" + segment, name: l.name + name}
}

// locOf is the location of a $ref'd schema: the component's own.
func locOf(ref *openapi3.SchemaRef, from schemaLoc) schemaLoc {
	if ref.Ref == "" || !strings.HasPrefix(ref.Ref, "#/") {
		return from
	}
	name := ref.Ref[strings.LastIndex(ref.Ref, "/")+1:]
	return schemaLoc{ref: ref.Ref, name: pointerUnescape(name)}
}

type driftWalk struct {
	d     *Drift
	where string
	base  Finding
}

func (w *driftWalk) record(f Finding, name string, value any) {
	g := w.base
	g.Kind, g.Schema, g.Ref, g.Field, g.At, g.Value, g.Declared, g.variant =
		f.Kind, f.Schema, f.Ref, f.Field, f.At, f.Value, f.Declared, f.variant
	if g.Request && g.Kind == WrongType {
		return // the API took a value of another type: validate says so; a patch could not decide it
	}
	w.d.record(w.where, g, name, value)
}

// walk follows value through the schema at ref, recording what the schema
// does not describe. at is where the value is in the body.
func (w *driftWalk) walk(ref *openapi3.SchemaRef, loc schemaLoc, value any, at string) {
	if ref == nil || ref.Value == nil {
		return
	}
	loc = locOf(ref, loc)
	s := ref.Value
	if variants := append(append(openapi3.SchemaRefs{}, s.OneOf...), s.AnyOf...); len(variants) > 0 {
		w.union(s, variants, loc, value, at)
		return
	}
	t := jsonType(value)
	if !typeAllowed(s, t) {
		w.record(Finding{Kind: WrongType, Schema: loc.name, Ref: loc.ref, At: at, Declared: strings.Join(s.Type.Slice(), ", ")}, lastMember(at), value)
		return
	}
	if value == nil {
		return
	}
	if len(s.Enum) > 0 && !enumHas(s.Enum, value) {
		w.record(Finding{Kind: UndeclaredEnumValue, Schema: loc.name, Ref: loc.ref, At: at, Value: jsonValue(value)}, lastMember(at), value)
	}
	switch v := value.(type) {
	case map[string]any:
		w.object(s, loc, v, at)
	case []any:
		for _, item := range v {
			w.walk(s.Items, loc.child("items", "[]"), item, at+"[]")
		}
	}
}

func (w *driftWalk) object(s *openapi3.Schema, loc schemaLoc, object map[string]any, at string) {
	properties, additional := s.Properties, s.AdditionalProperties
	if len(s.AllOf) > 0 { // members declared by any part are declared
		properties = openapi3.Schemas{}
		for _, part := range append(openapi3.SchemaRefs{{Value: s}}, s.AllOf...) {
			if part.Value == nil {
				continue
			}
			for name, p := range part.Value.Properties {
				properties[name] = p
			}
			if part.Value.AdditionalProperties.Has != nil || part.Value.AdditionalProperties.Schema != nil {
				additional = part.Value.AdditionalProperties
			}
		}
	}
	freeForm := len(properties) == 0 && (s.Type == nil || len(s.Type.Slice()) == 0) && len(s.AllOf) == 0
	for _, name := range s.Required {
		if _, ok := object[name]; !ok {
			w.record(Finding{Kind: MissingRequired, Schema: loc.name, Ref: loc.ref, Field: name, At: joinAt(at, name)}, name, nil)
		}
	}
	for _, name := range sortedKeys(object) {
		member := joinAt(at, name)
		switch prop, ok := properties[name]; {
		case ok:
			w.walk(prop, loc.child("properties/"+pointerEscape(name), "."+name), object[name], member)
		case additional.Schema != nil:
			w.walk(additional.Schema, loc.child("additionalProperties", ".*"), object[name], member)
		case additional.Has != nil && *additional.Has, freeForm:
		default:
			w.record(Finding{Kind: UndeclaredField, Schema: loc.name, Ref: loc.ref, Field: name, At: member}, name, object[name])
		}
	}
}

// union follows a oneOf/anyOf into the variant the value is: by its
// discriminator when there is one, else the first variant it validates
// against. A discriminator value no variant has is a finding of its own.
func (w *driftWalk) union(s *openapi3.Schema, variants openapi3.SchemaRefs, loc schemaLoc, value any, at string) {
	into := func(i int) {
		if len(s.Properties) == 0 {
			w.walk(variants[i], loc.child(unionKeyword(s)+"/"+strconv.Itoa(i), ""), value, at)
			return
		}
		// A schema that declares members beside its variants (a menu item: its fields, then one rule per
		// type): what either declares is declared, as for an allOf of the two (openapi.UndeclaredFields too).
		merged := *s
		merged.OneOf, merged.AnyOf, merged.Discriminator = nil, nil, nil
		merged.AllOf = append(openapi3.SchemaRefs{variants[i]}, s.AllOf...)
		w.walk(&openapi3.SchemaRef{Value: &merged}, loc, value, at)
	}
	if d := s.Discriminator; d != nil {
		if object, ok := value.(map[string]any); ok {
			if tag, ok := object[d.PropertyName].(string); ok {
				if i := variantFor(d, variants, tag); i >= 0 {
					into(i)
					return
				}
				w.record(Finding{Kind: UndeclaredEnumValue, Schema: loc.name, Ref: loc.ref, Field: d.PropertyName,
					At: joinAt(at, d.PropertyName), Value: tag, variant: true}, "", value)
				return
			}
		}
	}
	plain := plainJSON(value)
	for i, v := range variants {
		if v.Value != nil && v.Value.VisitJSON(plain, openapi3.MultiErrors()) == nil {
			into(i)
			return
		}
	}
	// No variant fits: validate reports it.
}

func unionKeyword(s *openapi3.Schema) string {
	if len(s.OneOf) > 0 {
		return "oneOf"
	}
	return "anyOf"
}

// variantFor is the index of the variant a discriminator value selects, or -1.
func variantFor(d *openapi3.Discriminator, variants openapi3.SchemaRefs, tag string) int {
	want := ""
	if mapped, ok := d.Mapping[tag]; ok {
		want = mapped.Ref
		if !strings.Contains(want, "/") {
			want = "#/components/schemas/" + want
		}
	}
	for i, v := range variants {
		if want != "" && v.Ref == want {
			return i
		}
	}
	if want == "" {
		for i, v := range variants {
			if strings.HasSuffix(v.Ref, "/"+tag) {
				return i
			}
		}
	}
	return -1
}

func joinAt(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// lastMember is the member name a value was found under ("app.token" →
// "token"), for redaction.
func lastMember(at string) string {
	at = strings.TrimRight(at, "[]")
	return at[strings.LastIndex(at, ".")+1:]
}

// decodeJSON decodes a body, keeping numbers as written.
func decodeJSON(body []byte) (any, bool) {
	if len(body) == 0 {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	return v, true
}

// jsonType is a decoded value's JSON Schema type.
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if _, err := v.Int64(); err == nil || !strings.ContainsAny(v.String(), ".eE") {
			return "integer"
		}
		return "number"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func typeAllowed(s *openapi3.Schema, t string) bool {
	if t == "null" {
		return s.Nullable || s.Type.Includes("null") || s.Type == nil || len(s.Type.Slice()) == 0
	}
	if s.Type == nil || len(s.Type.Slice()) == 0 {
		return true
	}
	if t == "integer" && s.Type.Includes("number") {
		return true
	}
	return s.Type.Includes(t)
}

func enumHas(enum []any, v any) bool {
	want, _ := json.Marshal(v)
	for _, e := range enum {
		if got, _ := json.Marshal(e); bytes.Equal(got, want) {
			return true
		}
	}
	return false
}

// jsonValue is a scalar as a report shows it: numbers as numbers.
func jsonValue(v any) any {
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return i
		}
		f, _ := n.Float64()
		return f
	}
	return v
}

// plainJSON converts json.Number to float64, as kin-openapi's VisitJSON wants.
func plainJSON(v any) any {
	switch v := v.(type) {
	case json.Number:
		f, _ := v.Float64()
		return f
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = plainJSON(item)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, item := range v {
			out[k] = plainJSON(item)
		}
		return out
	}
	return v
}

// redactExample removes credentials from a value seen under member name,
// as Redact does in cassettes: members named like credentials become their
// placeholder, JWTs anywhere become RedactedJWT.
func redactExample(name string, v any) any {
	switch v := v.(type) {
	case string:
		if placeholder, secret := placeholderFor(name, v); secret && name != "" {
			return placeholder
		}
		return redactTokens(v)
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = redactExample(name, item)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, item := range v {
			out[k] = redactExample(k, item)
		}
		return out
	}
	return v
}

// pointerEscape escapes a JSON pointer segment (RFC 6901).
func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func pointerUnescape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// shape merges every value seen at one place, to infer a schema from.
type shape struct {
	types      map[string]int
	objects    int
	members    map[string]*shape
	present    map[string]int // member → in how many of the objects
	items      *shape
	credential string // why a string seen here looks like a credential (credentialValue), if one did
	binary     bool   // a multipart file part
}

func (s *shape) add(v any) {
	if s.types == nil {
		s.types = map[string]int{}
	}
	s.types[jsonType(v)]++
	switch v := v.(type) {
	case string:
		if s.credential == "" {
			s.credential = credentialValue(v)
		}
	case map[string]any:
		s.objects++
		if s.members == nil {
			s.members, s.present = map[string]*shape{}, map[string]int{}
		}
		for k, item := range v {
			if s.members[k] == nil {
				s.members[k] = &shape{}
			}
			s.members[k].add(item)
			s.present[k]++
		}
	case []any:
		if s.items == nil {
			s.items = &shape{}
		}
		for _, item := range v {
			s.items.add(item)
		}
	}
}

// typeNames are the JSON types seen, sorted; "integer" folds into "number"
// when both were seen.
func (s *shape) typeNames() []string {
	names := make([]string, 0, len(s.types))
	for t := range s.types {
		if t == "integer" && s.types["number"] > 0 {
			continue
		}
		names = append(names, t)
	}
	sort.Strings(names)
	return names
}

func (s *shape) memberNames() []string { return sortedKeys(s.members) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
