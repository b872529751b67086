package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// UndeclaredFields walks a decoded JSON value against schema and returns the
// paths of the object members the schema does not declare, such as
// "app.color" or "integrations[2].botToken", sorted.
//
// The contract never sets additionalProperties: false, so that the live API
// may add fields without breaking clients; schema validation therefore
// accepts any extra member, and this walk is what notices them. It follows
// $ref, arrays, allOf, and oneOf/anyOf (by the discriminator's mapping when
// there is one, else the first variant the value validates against). A schema
// that allows additional properties explicitly declares every member.
func UndeclaredFields(schema *openapi3.SchemaRef, value any) []string {
	var found []string
	walkUndeclared(schema, value, "", &found)
	sort.Strings(found)
	return found
}

func walkUndeclared(ref *openapi3.SchemaRef, value any, path string, found *[]string) {
	if ref == nil || ref.Value == nil {
		return
	}
	schema := ref.Value
	for _, variants := range []openapi3.SchemaRefs{schema.OneOf, schema.AnyOf} {
		if len(variants) == 0 {
			continue
		}
		chosen := chooseVariant(schema, variants, value)
		if len(schema.Properties) == 0 {
			walkUndeclared(chosen, value, path, found)
			return
		}
		// A schema that declares members beside its variants (a menu item: its fields, then one rule per
		// type): what either declares is declared, as for an allOf of the two.
		merged := *schema
		merged.OneOf, merged.AnyOf, merged.Discriminator = nil, nil, nil
		if chosen != nil {
			merged.AllOf = append(openapi3.SchemaRefs{chosen}, schema.AllOf...)
		}
		walkUndeclared(&openapi3.SchemaRef{Value: &merged}, value, path, found)
		return
	}
	if len(schema.AllOf) > 0 {
		walkAllOf(schema, value, path, found)
		return
	}
	switch v := value.(type) {
	case map[string]any:
		for _, name := range sortedKeys(v) {
			member := joinPath(path, name)
			if prop, ok := schema.Properties[name]; ok {
				walkUndeclared(prop, v[name], member, found)
				continue
			}
			if extra := schema.AdditionalProperties; extra.Schema != nil {
				walkUndeclared(extra.Schema, v[name], member, found)
				continue
			} else if extra.Has != nil && *extra.Has {
				continue
			}
			*found = append(*found, member)
		}
	case []any:
		for i, item := range v {
			walkUndeclared(schema.Items, item, path+"["+strconv.Itoa(i)+"]", found)
		}
	}
}

// walkAllOf treats the members declared by any part of an allOf as declared, at any depth: a member that several
// parts declare is walked against all their declarations, and so are the elements of an array (a menu item's
// items, which its submenu rule also lists, are declared by the item's schema).
func walkAllOf(schema *openapi3.Schema, value any, path string, found *[]string) {
	parts := flatten(schema, value, nil)
	switch v := value.(type) {
	case map[string]any:
		merged := &openapi3.Schema{Properties: openapi3.Schemas{}}
		for _, part := range parts {
			for name, prop := range part.Properties {
				if prev, ok := merged.Properties[name]; ok {
					prop = &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: openapi3.SchemaRefs{prev, prop}}}
				}
				merged.Properties[name] = prop
			}
			if part.AdditionalProperties.Has != nil || part.AdditionalProperties.Schema != nil {
				merged.AdditionalProperties = part.AdditionalProperties
			}
		}
		walkUndeclared(&openapi3.SchemaRef{Value: merged}, v, path, found)
	case []any:
		var items openapi3.SchemaRefs
		for _, part := range parts {
			if part.Items != nil {
				items = append(items, part.Items)
			}
		}
		if len(items) == 1 {
			walkUndeclared(&openapi3.SchemaRef{Value: &openapi3.Schema{Items: items[0]}}, v, path, found)
		} else if len(items) > 1 {
			walkUndeclared(&openapi3.SchemaRef{Value: &openapi3.Schema{Items: &openapi3.SchemaRef{Value: &openapi3.Schema{AllOf: items}}}}, v, path, found)
		}
	}
}

// flatten appends schema and what it is made of for value: its allOf parts and the oneOf/anyOf variant value is
// an instance of, each flattened in turn.
func flatten(schema *openapi3.Schema, value any, into []*openapi3.Schema) []*openapi3.Schema {
	if schema == nil {
		return into
	}
	into = append(into, schema)
	for _, part := range schema.AllOf {
		if part != nil {
			into = flatten(part.Value, value, into)
		}
	}
	for _, variants := range []openapi3.SchemaRefs{schema.OneOf, schema.AnyOf} {
		if len(variants) > 0 {
			if chosen := chooseVariant(schema, variants, value); chosen != nil {
				into = flatten(chosen.Value, value, into)
			}
		}
	}
	return into
}

// chooseVariant picks the oneOf/anyOf variant a value is an instance of.
func chooseVariant(schema *openapi3.Schema, variants openapi3.SchemaRefs, value any) *openapi3.SchemaRef {
	if d := schema.Discriminator; d != nil {
		object, _ := value.(map[string]any)
		tag, _ := object[d.PropertyName].(string)
		if mapped, ok := d.Mapping[tag]; ok {
			want := mapped.Ref
			if !strings.Contains(want, "/") {
				want = "#/components/schemas/" + want
			}
			for _, v := range variants {
				if v.Ref == want {
					return v
				}
			}
		}
		for _, v := range variants {
			if tag != "" && strings.HasSuffix(v.Ref, "/"+tag) {
				return v
			}
		}
	}
	for _, v := range variants {
		if v.Value != nil && v.Value.VisitJSON(value, openapi3.MultiErrors()) == nil {
			return v
		}
	}
	return nil // invalid anyway: schema validation reports it
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// UndeclaredRequestFields lists the members of a routed request's JSON body
// that the operation's request schema does not declare. A request without a
// JSON body, or an operation without a request body, has none.
func (v *Validator) UndeclaredRequestFields(in *openapi3filter.RequestValidationInput, body []byte) ([]string, error) {
	if in == nil || in.Route == nil || in.Route.Operation.RequestBody == nil || in.Route.Operation.RequestBody.Value == nil {
		return nil, nil
	}
	return undeclaredIn(in.Route.Operation.RequestBody.Value.Content, in.Request.Header.Get("Content-Type"), body)
}

// UndeclaredResponseFields lists the members of a JSON response body that the
// schema the operation declares for status does not declare.
func (v *Validator) UndeclaredResponseFields(in *openapi3filter.RequestValidationInput, status int, contentType string, body []byte) ([]string, error) {
	if in == nil || in.Route == nil {
		return nil, fmt.Errorf("openapi: UndeclaredResponseFields needs the input of a routed request")
	}
	responses := in.Route.Operation.Responses
	resp := responses.Status(status)
	if resp == nil {
		resp = responses.Default()
	}
	if resp == nil || resp.Value == nil {
		return nil, nil // an undeclared status is ValidateResponse's to report
	}
	return undeclaredIn(resp.Value.Content, contentType, body)
}

func undeclaredIn(content openapi3.Content, contentType string, body []byte) ([]string, error) {
	if len(bytes.TrimSpace(body)) == 0 || content == nil {
		return nil, nil
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = "application/json"
	}
	if mediaType != "application/json" && !strings.HasSuffix(mediaType, "+json") {
		return nil, nil // only JSON bodies have members
	}
	media := content.Get(mediaType)
	if media == nil || media.Schema == nil {
		return nil, nil
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return nil, fmt.Errorf("openapi: body is not JSON: %w", err)
	}
	return UndeclaredFields(media.Schema, value), nil
}

// UndeclaredQueryParameters lists, sorted, the query parameters of a routed
// request that neither its operation nor its path declares. kin-openapi
// ignores them, so a client sending "type=" where the contract says "types="
// would pass validation while the API ignores the filter.
func (v *Validator) UndeclaredQueryParameters(in *openapi3filter.RequestValidationInput) []string {
	if in == nil || in.Route == nil || in.Request == nil {
		return nil
	}
	declared := map[string]bool{}
	for _, params := range []openapi3.Parameters{in.Route.PathItem.Parameters, in.Route.Operation.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				declared[p.Value.Name] = true
			}
		}
	}
	var found []string
	for name := range in.Request.URL.Query() {
		if !declared[name] {
			found = append(found, name)
		}
	}
	sort.Strings(found)
	return found
}
