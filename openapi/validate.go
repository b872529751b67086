package openapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

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
}

// NewValidator loads the embedded contract and builds a Validator for it.
func NewValidator() (*Validator, error) { return NewValidatorFromData(YAML) }

// Doc is the loaded contract. Callers must not modify it.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// Route finds the contract operation a request is for. The error is
// routers.ErrPathNotFound or routers.ErrMethodNotAllowed when there is none.
func (v *Validator) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	return v.router.FindRoute(req)
}

// ErrBearer is returned (wrapped) when a request has no usable bearer token.
var ErrBearer = errors.New(`authorization header must be "Bearer <token>"`)

// checkBearer accepts any non-empty token after "Bearer ": the contract fixes
// the header's shape, and deciding whether a token is valid is the server's job
// (smoochtest checks signatures itself; cassettes hold "Bearer REDACTED").
func checkBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || strings.ContainsAny(token, " \t") {
		return ErrBearer
	}
	return nil
}

func (v *Validator) options() *openapi3filter.Options {
	opts := &openapi3filter.Options{
		AuthenticationFunc:    checkBearer,
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
		Options:    v.options(),
	}
	in.Options.SkipSettingDefaults = true
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
		Options:                v.options(),
	}
	out.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(ctx, out)
}
