package conformance

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/smoochkit/smooch-go/openapi"
)

// The request side of drift: what the client sent that the contract does not describe, judged on requests the
// API answered with a 2xx (it took what they sent). And the API's versions: a path under another version than
// the contract's is judged as the contract's operation, after a finding that says so.

// versionSegment is a path segment naming an API version: v1, v1.1, v2.
var versionSegment = regexp.MustCompile(`^v[0-9]+(\.[0-9]+)*$`)

// versionPrefix is the version segment every path of the contract starts with ("v1"), or "" when they do not
// all start with the same literal version (a contract with a {version} parameter, or none).
func versionPrefix(doc *openapi3.T) string {
	prefix := ""
	for _, path := range doc.Paths.InMatchingOrder() {
		first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		if !versionSegment.MatchString(first) || (prefix != "" && first != prefix) {
			return ""
		}
		prefix = first
	}
	return prefix
}

// versionedRoute routes a request whose path starts with another version than the contract's: the route of
// the same path under the contract's version, and the request's version. Nil when there is none.
func (d *Drift) versionedRoute(req *http.Request) (*routers.Route, map[string]string, string) {
	return versionedRoute(d.validator, d.prefix, req)
}

func versionedRoute(v *openapi.Validator, prefix string, req *http.Request) (*routers.Route, map[string]string, string) {
	if prefix == "" {
		return nil, nil, ""
	}
	first, rest, _ := strings.Cut(strings.TrimPrefix(req.URL.EscapedPath(), "/"), "/")
	if !versionSegment.MatchString(first) || first == prefix {
		return nil, nil, ""
	}
	alt := req.Clone(req.Context())
	u := *req.URL
	u.RawPath = ""
	u.Path = "/" + prefix + "/" + rest
	if p, err := url.PathUnescape(u.Path); err == nil {
		u.RawPath, u.Path = u.Path, p
	}
	alt.URL = &u
	route, params, err := v.Route(alt)
	if err != nil {
		return nil, nil, ""
	}
	return route, params, first
}

// judgeRequest records what a request the API answered with a 2xx sent that the contract does not describe:
// an authentication scheme its security does not list, query parameters it does not declare, path and query
// values outside their enums, and the body's content type and members.
func (d *Drift) judgeRequest(where string, ex Exchange, req *http.Request, route *routers.Route, params map[string]string, base Finding, opRef string) {
	op := route.Operation
	base.Request, base.Status = true, ex.Status
	if scheme := authScheme(ex.Header.Get("Authorization")); scheme != "" && !d.schemeDeclared(op, scheme) {
		f := base
		f.Kind, f.Value, f.Ref = UndeclaredSecurityScheme, scheme, opRef+"/security"
		d.record(where, f, "", nil)
	}
	declared := map[string]*openapi3.ParameterRef{}
	refOf := map[string]string{}
	for i, p := range route.PathItem.Parameters {
		if p.Value != nil {
			declared[p.Value.In+" "+p.Value.Name] = p
			refOf[p.Value.In+" "+p.Value.Name] = paramRef(p, "#/paths/"+pointerEscape(route.Path)+"/parameters", i)
		}
	}
	for i, p := range op.Parameters { // an operation's parameter overrides its path's of the same name
		if p.Value != nil {
			declared[p.Value.In+" "+p.Value.Name] = p
			refOf[p.Value.In+" "+p.Value.Name] = paramRef(p, opRef+"/parameters", i)
		}
	}
	query := req.URL.Query()
	for _, name := range sortedKeys(query) {
		p := declared[openapi3.ParameterInQuery+" "+name]
		if p == nil {
			f := base
			f.Kind, f.Field, f.Ref = UndeclaredParameter, name, opRef+"/parameters"
			for _, v := range query[name] {
				d.record(where, f, name, paramValue(v))
			}
			continue
		}
		for _, v := range query[name] {
			d.judgeParameter(where, base, p, refOf[openapi3.ParameterInQuery+" "+name], v)
		}
	}
	for name, v := range params {
		if p := declared[openapi3.ParameterInPath+" "+name]; p != nil {
			if unescaped, err := url.PathUnescape(v); err == nil {
				v = unescaped
			}
			d.judgeParameter(where, base, p, refOf[openapi3.ParameterInPath+" "+name], v)
		}
	}

	body := []byte(strings.TrimSpace(string(ex.Body)))
	if len(body) == 0 {
		return
	}
	mediaType := ""
	if ct := ex.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			mediaType = mt
		}
	}
	if mediaType == "" {
		return // validate's to report
	}
	value, isJSON := decodeJSON(body)
	var content openapi3.Content
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		content = op.RequestBody.Value.Content
	}
	media := content.Get(mediaType)
	if media == nil {
		f := base
		f.Kind, f.ContentType, f.Ref = UndeclaredContentType, mediaType, opRef+"/requestBody"
		switch {
		case isJSON:
			d.record(where, f, "", value)
		case mediaType == "multipart/form-data":
			d.recordMultipart(where, f, ex)
		default:
			d.record(where, f, "", string(body))
		}
		return
	}
	if media.Schema == nil || !isJSON {
		return
	}
	base.ContentType = mediaType
	w := &driftWalk{d: d, where: where, base: base}
	ref := opRef + "/requestBody/content/" + pointerEscape(mediaType) + "/schema"
	if op.RequestBody.Ref != "" {
		ref = op.RequestBody.Ref + "/content/" + pointerEscape(mediaType) + "/schema"
	}
	w.walk(media.Schema, schemaLoc{ref: ref, name: op.OperationID + " request"}, value, "")
}

// paramRef is where a parameter's schema is: its component's, or its place in the list.
func paramRef(p *openapi3.ParameterRef, list string, i int) string {
	if p.Ref != "" {
		return p.Ref + "/schema"
	}
	return fmt.Sprintf("%s/%d/schema", list, i)
}

// judgeParameter records a parameter value outside its schema's enum, as a value of the parameter's schema.
func (d *Drift) judgeParameter(where string, base Finding, p *openapi3.ParameterRef, ref, value string) {
	s := p.Value.Schema
	if s == nil || s.Value == nil {
		return
	}
	schema := s.Value
	if schema.Type.Is("array") && schema.Items != nil && schema.Items.Value != nil {
		// A form-style list (types=twilio,line): each item against the items' schema.
		ref, schema = itemsRef(s, ref), schema.Items.Value
		for _, item := range strings.Split(value, ",") {
			d.judgeEnum(where, base, p.Value.Name, ref, schema, item)
		}
		return
	}
	d.judgeEnum(where, base, p.Value.Name, ref, schema, value)
}

func itemsRef(s *openapi3.SchemaRef, ref string) string {
	if s.Value.Items.Ref != "" {
		return s.Value.Items.Ref
	}
	return ref + "/items"
}

func (d *Drift) judgeEnum(where string, base Finding, name, ref string, schema *openapi3.Schema, value string) {
	if len(schema.Enum) == 0 {
		return
	}
	for _, e := range schema.Enum {
		if fmt.Sprint(e) == value {
			return
		}
	}
	f := base
	f.Kind, f.Field, f.At, f.Ref, f.Value = UndeclaredEnumValue, name, name, ref, value
	f.Schema = "parameter " + name
	if i := strings.Index(ref, "#/components/schemas/"); i == 0 {
		f.Schema = pointerUnescape(strings.TrimPrefix(ref, "#/components/schemas/"))
	}
	d.record(where, f, name, value)
}

// paramValue is a query parameter's value as a JSON value, for type inference: an integer, a boolean, or
// a string.
func paramValue(v string) any {
	switch {
	case isInteger(v) || (len(v) > 1 && v[0] == '-' && isInteger(v[1:])):
		return json.Number(v)
	case v == "true":
		return true
	case v == "false":
		return false
	}
	return v
}

// schemeDeclared reports whether op's security (its own, or the contract's) lists a scheme that reads an
// Authorization header of the given scheme ("Bearer", "Basic").
func (d *Drift) schemeDeclared(op *openapi3.Operation, scheme string) bool {
	requirements := d.validator.Doc().Security
	if op.Security != nil {
		requirements = *op.Security
	}
	for _, req := range requirements {
		for name := range req {
			if schemeReads(d.validator.Doc(), name, scheme) {
				return true
			}
		}
	}
	return false
}

// schemeReads reports whether the contract's security scheme called name reads Authorization headers of
// the given scheme.
func schemeReads(doc *openapi3.T, name, scheme string) bool {
	s := doc.Components.SecuritySchemes[name]
	if s == nil || s.Value == nil {
		return false
	}
	switch s.Value.Type {
	case "http":
		return strings.EqualFold(s.Value.Scheme, scheme)
	case "apiKey":
		// An apiKey in the Authorization header takes whatever it is given.
		return s.Value.In == "header" && strings.EqualFold(s.Value.Name, "Authorization")
	case "oauth2", "openIdConnect":
		return strings.EqualFold(scheme, "Bearer")
	}
	return false
}

// collectIDs remembers the ids a body carries, the values of members named _id, id or …Id: a path segment
// equal to one of them is a parameter of a new operation's path.
func collectIDs(v any, ids map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, member := range v {
			if s, ok := member.(string); ok && (k == "_id" || k == "id" || strings.HasSuffix(k, "Id")) && s != "" && len(ids) < 100_000 {
				ids[s] = true
			}
			collectIDs(member, ids)
		}
	case []any:
		for _, item := range v {
			collectIDs(item, ids)
		}
	}
}

// secretReason says why a member seen with the values of s may be a credential: its name, or one of its
// values. A name the contract marks x-smooch-secret: false elsewhere is trusted.
func secretReason(marks map[string]bool, name string, s *shape) string {
	if marked, ok := marks[name]; ok && !marked {
		return ""
	}
	if why := credentialName(marks, name); why != "" {
		return why
	}
	if s != nil && s.credential != "" {
		return s.credential
	}
	return ""
}
