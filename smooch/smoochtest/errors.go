package smoochtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/smoochkit/smooch-go/gen"
)

// apiError is an error answered with the contract's error body
// {"error":{"code","description"}}. Handlers return it; the strict handler's
// error hook writes it.
type apiError struct {
	Status      int
	Code        string
	Description string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Description)
}

// codeForStatus is the error code the fake sends with a status. The reference
// publishes only "unauthorized"; the others follow the status names the
// contract's examples use.
func codeForStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "bad_request"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusPaymentRequired:
		return "payment_required"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "conflict"
	case http.StatusRequestEntityTooLarge:
		return "request_entity_too_large"
	case http.StatusTooManyRequests:
		return "too_many_requests"
	case http.StatusBadGateway:
		return "bad_gateway"
	case http.StatusServiceUnavailable:
		return "service_unavailable"
	case http.StatusGatewayTimeout:
		return "gateway_timeout"
	}
	if status >= 500 {
		return "internal_server_error"
	}
	return strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
}

func newError(status int, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: codeForStatus(status), Description: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, format, args...)
}

func notFound(what string) *apiError {
	return newError(http.StatusNotFound, "%s not found", what)
}

func forbidden(format string, args ...any) *apiError {
	return newError(http.StatusForbidden, format, args...)
}

func conflict(format string, args ...any) *apiError {
	return newError(http.StatusConflict, format, args...)
}

// writeError answers with the documented error body.
func writeError(w http.ResponseWriter, e *apiError) {
	var buf bytes.Buffer
	// Encoding a struct of two strings cannot fail.
	_ = json.NewEncoder(&buf).Encode(gen.Error{Detail: gen.ErrorDetail{Code: e.Code, Description: e.Description}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	_, _ = buf.WriteTo(w)
}

// asAPIError turns any handler error into an apiError; an error the fake did
// not mean to return is a 500 that says what went wrong.
func asAPIError(err error) *apiError {
	if e, ok := err.(*apiError); ok {
		return e
	}
	return newError(http.StatusInternalServerError, "smoochtest: %v", err)
}

var (
	schemaPrefix  = regexp.MustCompile(`doesn't match schema #/components/schemas/\w+: `)
	missingAtPath = regexp.MustCompile(`Error at "(?:/[^"]*)?/([^"/]+)": property "([^"]+)" is missing`)
	errorAt       = regexp.MustCompile(`Error at "([^"]*)": `)
)

// maxDescription keeps a validation description readable: kin-openapi can
// list long enums, and nobody wants a schema dump in an error body.
const maxDescription = 400

// describeValidation turns a kin-openapi validation error into a short
// description that still names the field at fault, e.g.
// `request body has an error: property "name" is missing`.
func describeValidation(err error) string {
	s := err.Error()
	s = schemaPrefix.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "doesn't match schema due to: ", "")
	s = missingAtPath.ReplaceAllStringFunc(s, func(m string) string {
		sub := missingAtPath.FindStringSubmatch(m)
		if sub[1] == sub[2] {
			return `property "` + sub[2] + `" is missing`
		}
		return m
	})
	s = errorAt.ReplaceAllString(s, `at "$1": `)
	if len(s) > maxDescription {
		s = s[:maxDescription] + "…"
	}
	return s
}
