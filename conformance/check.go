package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/smoochkit/smooch-go/openapi"
)

// Violation is one way an interaction departs from the contract.
type Violation struct {
	Cassette string // cassette file, or a name for traffic not read from a file
	Index    int    // the interaction's index in the cassette, from 0; -1 for the cassette as a whole
	Method   string
	Path     string
	Reason   string
	// Warning marks a finding that does not break the contract: a member the
	// contract does not declare, when the Checker treats those as warnings.
	Warning bool
}

func (v Violation) String() string {
	prefix := ""
	if v.Warning {
		prefix = "warning: "
	}
	if v.Index < 0 { // about the cassette as a whole
		return fmt.Sprintf("%s%s: %s", prefix, v.Cassette, v.Reason)
	}
	return fmt.Sprintf("%s%s: interaction %d: %s %s: %s", prefix, v.Cassette, v.Index, v.Method, v.Path, v.Reason)
}

// Checker validates interactions against a contract. Safe for concurrent use.
type Checker struct {
	validator *openapi.Validator
	// UndeclaredAreWarnings reports members the contract does not declare as
	// warnings rather than violations. The live API may add fields at any
	// time, so live runs warn; committed cassettes must match exactly.
	UndeclaredAreWarnings bool
}

// NewChecker returns a Checker that judges traffic by v's contract.
func NewChecker(v *openapi.Validator) *Checker { return &Checker{validator: v} }

// Validator is the contract validator the Checker uses.
func (c *Checker) Validator() *openapi.Validator { return c.validator }

// Exchange is one request and its response, as recorded or as seen on the
// wire. A zero Status means there is no response: only the request is checked.
type Exchange struct {
	Method      string
	URL         string
	Header      http.Header
	Body        []byte
	Status      int
	RespHeader  http.Header
	RespBody    []byte
	hasResponse bool
}

// ExchangeOf is the Exchange a cassette interaction records.
func ExchangeOf(in *cassette.Interaction) Exchange {
	return Exchange{
		Method: in.Request.Method, URL: in.Request.URL, Header: in.Request.Headers, Body: []byte(in.Request.Body),
		Status: in.Response.Code, RespHeader: in.Response.Headers, RespBody: []byte(in.Response.Body), hasResponse: true,
	}
}

// CheckCassettes checks every interaction of every cassette and returns how
// many interactions there were and what is wrong with them, in order.
func (c *Checker) CheckCassettes(ctx context.Context, cassettes []*Cassette) (int, []Violation) {
	total := 0
	var all []Violation
	for _, cas := range cassettes {
		if len(cas.Interactions) == 0 {
			all = append(all, Violation{Cassette: cas.Path, Index: -1, Reason: "the cassette records no interaction"})
		}
		for i, in := range cas.Interactions {
			total++
			all = append(all, c.Check(ctx, cas.Path, i, ExchangeOf(in))...)
		}
	}
	return total, all
}

// CheckFile checks the cassette at path one interaction at a time, holding only that one in memory (see
// StreamCassette), and calls report with each interaction's exchange and violations (none when it
// conforms), in order. It returns how many interactions there were; a cassette that records none is a
// violation of its own, reported with index -1. An error means the file could not be read as a cassette.
func (c *Checker) CheckFile(ctx context.Context, path string, report func(index int, ex Exchange, violations []Violation)) (int, error) {
	n := 0
	err := StreamCassette(path, func(i int, in *cassette.Interaction) error {
		n++
		ex := ExchangeOf(in)
		report(i, ex, c.Check(ctx, path, i, ex))
		return ctx.Err()
	})
	if err != nil {
		return n, err
	}
	if n == 0 {
		report(-1, Exchange{}, []Violation{{Cassette: path, Index: -1, Reason: "the cassette records no interaction"}})
	}
	return n, nil
}

// Check validates one exchange: the request's route, parameters, bearer
// token shape and body; the response's status (declared for the operation),
// content type, headers and body schema; and the query parameters and the
// members of either body that the contract does not declare.
func (c *Checker) Check(ctx context.Context, cassetteName string, index int, ex Exchange) []Violation {
	path := ex.URL
	req, err := http.NewRequestWithContext(ctx, ex.Method, ex.URL, bytes.NewReader(ex.Body))
	if err == nil {
		path = req.URL.Path
	}
	// One line per violation, whatever the error text: users grep the CLI's output.
	violation := func(warning bool, format string, args ...any) Violation {
		// Copies: a streamed interaction's strings share one buffer with its bodies.
		return Violation{Cassette: cassetteName, Index: index, Method: strings.Clone(ex.Method), Path: strings.Clone(path),
			Reason: oneLine(fmt.Sprintf(format, args...)), Warning: warning}
	}
	if err != nil {
		return []Violation{violation(false, "unusable request: %v", err)}
	}
	if len(ex.Body) == 0 {
		req.Body = http.NoBody
	}
	req.Header = ex.Header // cloned below before it is changed
	if req.Header == nil {
		req.Header = http.Header{}
	}

	var out []Violation
	in, err := c.validator.ValidateRequest(ctx, req) // routes it too: nil when no operation matches
	if in == nil {
		if route := (*routers.RouteError)(nil); errors.As(err, &route) {
			return []Violation{violation(false, "request: no operation in the contract has this method and path (%v)", route)}
		}
		return []Violation{violation(false, "request: %v", err)}
	}
	// A request the contract forbids is what error scenarios send on purpose:
	// one without a usable bearer token must be answered 401, any other
	// malformed one 400. Either is a violation only when answered otherwise.
	var security *openapi3filter.SecurityRequirementsError
	if errors.As(err, &security) {
		if ex.Status != http.StatusUnauthorized {
			out = append(out, violation(false, "request: %s (answered %d, not 401)", describe(err), ex.Status))
		}
		// Validate the rest of the request as if it had a token.
		req.Header = req.Header.Clone()
		req.Header.Set("Authorization", RedactedAuthorization)
		req.Body = io.NopCloser(bytes.NewReader(ex.Body))
		_, err = c.validator.ValidateRequest(ctx, req)
	}
	malformed := err != nil
	if malformed && ex.Status != http.StatusBadRequest {
		out = append(out, violation(false, "request: %s", describe(err)))
	}
	for _, name := range c.validator.UndeclaredQueryParameters(in) {
		out = append(out, violation(false, "request: query parameter %q is not declared by the contract", name))
	}
	if !malformed {
		if fields, err := c.validator.UndeclaredRequestFields(in, ex.Body); err != nil {
			out = append(out, violation(false, "request body: %v", err))
		} else {
			for _, f := range fields {
				out = append(out, violation(false, "request body: field %q is not declared by the contract", f))
			}
		}
	}
	if !ex.hasResponse && ex.Status == 0 {
		return out
	}
	if ex.Status < 100 || ex.Status > 599 {
		return append(out, violation(false, "response: no valid status code (%d)", ex.Status))
	}
	// kin-openapi reads the request again while validating the response.
	req.Body = io.NopCloser(bytes.NewReader(ex.Body))
	fields, err := c.validator.CheckResponse(ctx, in, ex.Status, ex.RespHeader, ex.RespBody)
	if err != nil {
		out = append(out, violation(false, "response %d: %s", ex.Status, describe(err)))
		return out
	}
	for _, f := range fields {
		out = append(out, violation(c.UndeclaredAreWarnings, "response %d: field %q is not declared by the contract", ex.Status, f))
	}
	return out
}

// Operation names the contract operation an exchange is for, or returns an
// error when the contract has none for its method and path.
func (c *Checker) Operation(ex Exchange) (string, error) {
	req, err := http.NewRequest(ex.Method, ex.URL, nil)
	if err != nil {
		return "", err
	}
	route, _, err := c.validator.Route(req)
	if err != nil {
		return "", fmt.Errorf("%s %s: no such operation in the contract: %w", ex.Method, req.URL.Path, err)
	}
	return route.Operation.OperationID, nil
}

// describe flattens kin-openapi's errors onto one line.
func describe(err error) string {
	var security *openapi3filter.SecurityRequirementsError
	if errors.As(err, &security) {
		reasons := make([]string, 0, len(security.Errors))
		for _, e := range security.Errors {
			reasons = append(reasons, e.Error())
		}
		return "security: " + oneLine(strings.Join(reasons, "; "))
	}
	return oneLine(err.Error())
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
