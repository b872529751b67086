package openapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Validator checks requests and responses against the contract.
//
// Routing ignores the host: traffic recorded against smoochtest on loopback,
// against https://api.smooch.io or against the EU region is judged alike, by
// method and path only. Safe for concurrent use.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
	// The options of every validation, built once (kin-openapi only reads them): the request's, the
	// response's, and the response's without its body, which CheckResponse judges itself.
	requestOptions, responseOptions, headersOptions *openapi3filter.Options
}

func newValidator(doc *openapi3.T, router routers.Router) *Validator {
	v := &Validator{doc: doc, router: router}
	v.requestOptions, v.responseOptions, v.headersOptions = v.options(), v.options(), v.options()
	v.requestOptions.SkipSettingDefaults = true
	v.headersOptions.ExcludeResponseBody = true
	return v
}

// NewValidator returns the Validator of the embedded contract. It is loaded and built once per process (about
// 30 ms, ten times that under the race detector) and shared: a Validator is safe for concurrent use, and its Doc
// must not be modified. A contract of one's own: NewValidatorFromData.
func NewValidator() (*Validator, error) { return embedded() }

var embedded = sync.OnceValues(func() (*Validator, error) { return NewValidatorFromData(YAML) })

// Doc is the loaded contract. Callers must not modify it.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// Route finds the contract operation a request is for. The error is
// routers.ErrPathNotFound or routers.ErrMethodNotAllowed when there is none.
func (v *Validator) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	return v.router.FindRoute(req)
}

// ErrBearer is returned (wrapped) when a request has no usable bearer token.
var ErrBearer = errors.New(`authorization header must be "Bearer <token>"`)

// ErrBasic is returned (wrapped) when a request has no usable basic credentials.
var ErrBasic = errors.New(`authorization header must be "Basic <base64 of keyId:secret>"`)

// checkAuthorization checks the Authorization header's shape for the security scheme kin-openapi asks about:
// for bearer, any non-empty token after "Bearer "; for basic, base64 of "id:secret" after "Basic ". The
// contract fixes the header's shape, and deciding whether the credentials are valid is the server's job
// (smoochtest checks signatures and secrets itself; cassettes hold "Bearer REDACTED" and "Basic REDACTED",
// which pass).
func checkAuthorization(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	scheme, credentials, ok := strings.Cut(h, " ")
	if in.SecurityScheme != nil && strings.EqualFold(in.SecurityScheme.Scheme, "basic") {
		if !ok || !strings.EqualFold(scheme, "Basic") || !basicCredentials(credentials) {
			return ErrBasic
		}
		return nil
	}
	if !ok || !strings.EqualFold(scheme, "Bearer") || credentials == "" || strings.ContainsAny(credentials, " \t") {
		return ErrBearer
	}
	return nil
}

// basicCredentials reports whether s is what basic authentication sends: standard base64 of "id:secret" with
// a non-empty id, or the cassettes' placeholder.
func basicCredentials(s string) bool {
	if s == "REDACTED" {
		return true
	}
	decoded, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return false
	}
	id, _, ok := strings.Cut(string(decoded), ":")
	return ok && id != ""
}

func (v *Validator) options() *openapi3filter.Options {
	opts := &openapi3filter.Options{
		AuthenticationFunc:    checkAuthorization,
		IncludeResponseStatus: true,
		MultiError:            false,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			openapi3.DisableSchemaErrorDetails(),
		},
	}
	return opts
}

// ValidateRequest routes req and validates its parameters, security and body.
// The body is read and restored, so req can still be served or sent. The
// returned input is what ValidateResponse needs; it is non-nil whenever the
// request was routed, even if validation failed.
func (v *Validator) ValidateRequest(ctx context.Context, req *http.Request) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: no such operation in the contract: %w", req.Method, req.URL.Path, err)
	}
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		defer func() { req.Body = io.NopCloser(bytes.NewReader(body)) }()
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options:    v.requestOptions,
	}
	return in, openapi3filter.ValidateRequest(ctx, in)
}

// ValidateResponse validates a response to a request routed by
// ValidateRequest: the status must be declared for the operation, and the
// content type, headers and body must match what it declares.
func (v *Validator) ValidateResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) error {
	if in == nil {
		return errors.New("openapi: ValidateResponse needs the input of a routed request")
	}
	// kin-openapi says only "status is not supported"; name the status and the operation.
	if op := in.Route.Operation; op.Responses.Status(status) == nil && op.Responses.Default() == nil {
		return fmt.Errorf("status %d is not declared for %s", status, op.OperationID)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Options:                v.responseOptions,
	}
	out.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(ctx, out)
}

// CheckResponse is ValidateResponse and UndeclaredResponseFields in one call, decoding a JSON body once for
// both: the same errors, the same members. Validating a day of recorded traffic spends most of its time
// decoding bodies, so a cassette's responses are checked this way.
func (v *Validator) CheckResponse(ctx context.Context, in *openapi3filter.RequestValidationInput, status int, header http.Header, body []byte) (undeclared []string, err error) {
	if in == nil {
		return nil, errors.New("openapi: CheckResponse needs the input of a routed request")
	}
	op := in.Route.Operation
	responseRef := op.Responses.Status(status)
	if responseRef == nil {
		responseRef = op.Responses.Default()
	}
	contentType := header.Get("Content-Type")
	var media *openapi3.MediaType
	if responseRef != nil && responseRef.Value != nil && jsonMediaType(contentType) {
		media = responseRef.Value.Content.Get(contentType)
	}
	if media == nil || media.Schema == nil || len(bytes.TrimSpace(body)) == 0 || in.Request.Method == http.MethodHead {
		// Not a JSON body with a schema: the two checks as they are.
		if err := v.ValidateResponse(ctx, in, status, header, body); err != nil {
			return nil, err
		}
		return v.UndeclaredResponseFields(in, status, contentType, body)
	}
	// kin-openapi checks the status and the headers; the body is decoded here, once, as kin-openapi's JSON
	// body decoder does (encoding/json with UseNumber, the first value), and judged by the same schema walk.
	opts := v.headersOptions
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header, Options: opts}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var value any
	if err := dec.Decode(&value); err != nil {
		return nil, &openapi3filter.ResponseError{Input: out, Reason: "failed to decode response body",
			Err: &openapi3filter.ParseError{Kind: openapi3filter.KindInvalidFormat, Cause: err}}
	}
	schemaOpts := append(append([]openapi3.SchemaValidationOption{}, opts.SchemaValidationOptions...), openapi3.VisitAsResponse())
	if err := media.Schema.Value.VisitJSON(value, schemaOpts...); err != nil {
		reason := "response body doesn't match schema"
		if id := strings.TrimSpace(media.Schema.Ref); id != "" {
			reason += " " + id
		} else if title := strings.TrimSpace(media.Schema.Value.Title); title != "" {
			reason += " " + title
		}
		return nil, &openapi3filter.ResponseError{Input: out, Reason: reason, Err: err}
	}
	if rest := body[dec.InputOffset():]; len(bytes.TrimSpace(rest)) > 0 {
		// kin-openapi judged the first value; UndeclaredResponseFields refuses what follows it.
		var whole any
		if err := json.Unmarshal(body, &whole); err != nil {
			return nil, fmt.Errorf("openapi: body is not JSON: %w", err)
		}
	}
	// UndeclaredResponseFields decodes with json.Unmarshal (numbers as float64, not json.Number): the
	// members are the same, since only objects and arrays have any.
	return UndeclaredFields(media.Schema, value), nil
}

// jsonMediaType reports a Content-Type whose media type is JSON and that both kin-openapi and
// undeclaredIn resolve alike: well formed, application/json or a +json type.
func jsonMediaType(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mediaType == "application/json" || strings.HasSuffix(mediaType, "+json"))
}
