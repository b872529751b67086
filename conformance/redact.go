package conformance

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/smoochkit/smooch-go/openapi"
)

// Redacted replaces every secret string in a cassette.
const Redacted = "REDACTED"

// RedactedAuthorization replaces every bearer token in a cassette; it keeps
// the header's shape so that the contract's security check still runs.
const RedactedAuthorization = "Bearer " + Redacted

// RedactedBasicAuthorization replaces the credentials of basic authentication
// (a key id and its secret, merely base64 encoded). Like every Authorization
// header it keeps its scheme, so that validation and drift still see which
// authentication scheme a request used: any scheme's credentials become
// "<scheme> REDACTED".
const RedactedBasicAuthorization = "Basic " + Redacted

// RedactedJWT replaces a JWT in a response body. It is JWT-shaped (three
// base64url parts: {"alg":"HS256","typ":"JWT","kid":"REDACTED"}, then
// {"scope":"REDACTED"}, then "REDACTED") so that code that splits tokens keeps
// working on replayed cassettes, and it is the only JWT a cassette may hold.
const RedactedJWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IlJFREFDVEVEIn0.eyJzY29wZSI6IlJFREFDVEVEIn0.REDACTED"

// contractMembers are the contract's property names that say whether they hold a credential: true for those
// marked x-smooch-secret: true (key secrets, JWTs, webhook secrets, every channel credential), false for
// those marked x-smooch-secret: false, public although named like one (the Web Messenger appToken, Twitter's
// accessTokenKey). A name marked secret anywhere is secret everywhere. The contract is the only list: a
// credential added to it is redacted and scanned for here without a change to this package.
var contractMembers = sync.OnceValue(func() map[string]bool {
	doc, err := openapi.Load()
	if err != nil {
		panic("conformance: the embedded contract does not load: " + err.Error()) // a broken build, tested in openapi
	}
	return secretMarks(doc)
})

// secretMarks are the x-smooch-secret marks of a contract's component properties, by name: true when a
// property of that name is marked secret anywhere, false when only marked public.
func secretMarks(doc *openapi3.T) map[string]bool {
	members := map[string]bool{}
	for _, schema := range doc.Components.Schemas {
		for name, prop := range schema.Value.Properties {
			if marked, ok := prop.Value.Extensions["x-smooch-secret"].(bool); ok {
				members[name] = members[name] || marked
			}
		}
	}
	return members
}

// marksOf caches secretMarks per contract: drift and its patch judge new members by the marks of the contract
// they compare the traffic with, not the embedded one.
var marksOf sync.Map // *openapi3.T → map[string]bool

func marksFor(doc *openapi3.T) map[string]bool {
	if doc == nil {
		return contractMembers()
	}
	if m, ok := marksOf.Load(doc); ok {
		return m.(map[string]bool)
	}
	m := secretMarks(doc)
	marksOf.Store(doc, m)
	return m
}

// secretLooking matches member, query parameter and header names that look
// like credentials. It makes redaction fail closed: a credential the API adds
// tomorrow under a new name is redacted and flagged before anyone marks it in
// the contract.
//
// Any name ending in "key" counts (signingKey, serverKey): the public ones the contract declares say so with
// x-smooch-secret: false (consumerKey, accessTokenKey), and contractMembers decides for them.
var secretLooking = regexp.MustCompile(`(?i)secret|passw|token|jwt|credential|certificate|signing|(api|access|private|server|aes)_?key|key$`)

// placeholderFor reports whether a JSON member or query parameter called name
// holds a credential, and what replaces its value: RedactedJWT for a JWT, so
// that code splitting tokens keeps working on replayed cassettes, Redacted
// for anything else.
func placeholderFor(name, value string) (string, bool) {
	secret, marked := contractMembers()[name]
	if !marked {
		secret = secretLooking.MatchString(name)
	}
	if !secret {
		return "", false
	}
	if jwtPattern.MatchString(value) {
		return RedactedJWT, true
	}
	return Redacted, true
}

// secretHeaderName matches the headers that carry credentials: Authorization,
// Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, and anything else named
// like one (X-Auth-Token, X-Webhook-Secret, …).
var secretHeaderName = regexp.MustCompile(`(?i)authorization|cookie|secret|token|passw|signature|api-?key`)

func secretHeader(name string) bool { return secretHeaderName.MatchString(name) }

// Redact is a go-vcr save filter that removes every credential from an
// interaction before its cassette is written: bearer tokens become
// "Bearer REDACTED", other credential headers "REDACTED", key secrets, JWTs,
// webhook secrets and channel credentials in either body become placeholders,
// as do credentials in the URL's query or user info, and a JWT anywhere else
// (any header, URL or body text) becomes RedactedJWT. Bodies are edited in
// place, so everything else stays byte for byte as it went over the wire.
//
// Install it with recorder.AddSaveFilter, not AddFilter: a save filter runs
// when the cassette is written, so the client under test still receives the
// real secret (and can sign with it) while the cassette never holds it.
func Redact(in *cassette.Interaction) error {
	in.Request.URL = redactURL(in.Request.URL)
	in.Request.Headers = redactHeaders(in.Request.Headers)
	in.Response.Headers = redactHeaders(in.Response.Headers)
	in.Request.Body = string(redactBody([]byte(in.Request.Body)))
	body := redactBody([]byte(in.Response.Body))
	if len(body) != len(in.Response.Body) && in.Response.Headers.Get("Content-Length") != "" {
		in.Response.Headers.Set("Content-Length", strconv.Itoa(len(body)))
	}
	in.Response.Body = string(body)
	return nil
}

// redactBody redacts the credential members of a JSON body, then every JWT
// left in it, JSON or not (an error page may echo a token).
func redactBody(data []byte) []byte {
	data, _ = RedactJSON(data)
	return []byte(redactTokens(string(data)))
}

// redactTokens replaces every JWT in s with RedactedJWT. A JWT's characters
// need no escaping in JSON, YAML or URLs, and neither do RedactedJWT's.
func redactTokens(s string) string {
	return jwtPattern.ReplaceAllLiteralString(s, RedactedJWT)
}

// redactURL redacts credentials in a URL: the user info's password, the
// values of query parameters named like credentials, and any JWT. A URL
// without any is returned unchanged; one with some has its query re-encoded
// (sorted), the same way each time.
func redactURL(raw string) string {
	raw = redactTokens(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	changed := false
	if password, has := u.User.Password(); has && password != Redacted {
		u.User = url.UserPassword(u.User.Username(), Redacted)
		changed = true
	}
	query := u.Query()
	for name, values := range query {
		for i := range values {
			if placeholder, secret := placeholderFor(name, values[i]); secret && values[i] != placeholder {
				values[i] = placeholder
				changed = true
			}
		}
	}
	if !changed {
		return raw
	}
	u.RawQuery = query.Encode()
	return u.String()
}

func redactHeaders(h http.Header) http.Header {
	h = h.Clone()
	for name, values := range h {
		for i, v := range values {
			switch {
			case !secretHeader(name):
				values[i] = redactTokens(v)
			case emptyBearer(v):
				// Nothing to hide; kept so that validation still sees the malformed header.
			case isBearer(v):
				values[i] = RedactedAuthorization
			case authScheme(v) != "":
				values[i] = authScheme(v) + " " + Redacted // "Basic REDACTED": the scheme is not secret
			default:
				values[i] = Redacted
			}
		}
	}
	return h
}

func isBearer(v string) bool {
	scheme, _, ok := strings.Cut(v, " ")
	return ok && strings.EqualFold(scheme, "Bearer")
}

// authScheme is the scheme of an Authorization value that has one and credentials after it ("Basic" of
// "Basic a2V5OnNlY3JldA=="), or "".
func authScheme(v string) string {
	scheme, credentials, ok := strings.Cut(v, " ")
	if !ok || strings.TrimSpace(credentials) == "" || !authSchemeName.MatchString(scheme) {
		return ""
	}
	return scheme
}

// authSchemeName is an HTTP authentication scheme: a token (RFC 9110, 11.1).
var authSchemeName = regexp.MustCompile("^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*$")

// redactedAuthorization reports whether a credential header's value is redacted: "REDACTED", or a scheme
// followed by "REDACTED" ("Bearer REDACTED", "Basic REDACTED").
func redactedAuthorization(v string) bool {
	return v == Redacted || (authScheme(v) != "" && strings.TrimPrefix(v, authScheme(v)+" ") == Redacted)
}

// emptyBearer is a bearer header without a token: "Bearer" or "Bearer ".
func emptyBearer(v string) bool {
	scheme, token, _ := strings.Cut(v, " ")
	return strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(token) == ""
}

// RedactJSON replaces the string values of credential members (those the
// contract marks x-smooch-secret, and members named like credentials) anywhere in a JSON document with their
// placeholders, leaving every other byte as it was. A
// body that is not JSON is returned unchanged: the contract only has JSON
// bodies, and validation reports any other.
func RedactJSON(data []byte) ([]byte, error) {
	type edit struct {
		start, end  int
		replacement string
	}
	var edits []edit
	err := walkJSON(data, func(key string, start, end int, value string) {
		if placeholder, ok := placeholderFor(key, value); ok && value != placeholder {
			edits = append(edits, edit{start, end, strconv.Quote(placeholder)})
		}
	})
	if err != nil {
		return data, nil //nolint:nilerr // not JSON: nothing of ours to redact
	}
	if len(edits) == 0 {
		return data, nil
	}
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		out.Write(data[last:e.start])
		out.WriteString(e.replacement)
		last = e.end
	}
	out.Write(data[last:])
	return out.Bytes(), nil
}

// walkJSON calls visit for every object member whose value is a string, with
// the member's name, the byte span of the string literal and its value.
func walkJSON(data []byte, visit func(key string, start, end int, value string)) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct{ object, expectKey bool }
	var stack []*frame
	var key string
	for {
		before := int(dec.InputOffset())
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if top != nil && top.object {
					top.expectKey = true // this container is the member's value
				}
				stack = append(stack, &frame{object: d == '{', expectKey: true})
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if top != nil && top.object && top.expectKey {
			key, _ = tok.(string)
			top.expectKey = false
			continue
		}
		if top != nil && top.object {
			top.expectKey = true
			if s, ok := tok.(string); ok {
				end := int(dec.InputOffset())
				start := before + bytes.IndexByte(data[before:end], '"')
				visit(key, start, end, s)
			}
		}
	}
}

// Normalize is a go-vcr save filter that makes recordings repeatable: it
// drops the response Date header and zeroes the recorded duration, which
// differ on every run, and drops the SDK version from the User-Agent, so a
// release does not rewrite every cassette.
func Normalize(in *cassette.Interaction) error {
	in.Response.Headers = in.Response.Headers.Clone()
	in.Response.Headers.Del("Date")
	in.Response.Duration = 0
	if ua := in.Request.Headers.Values("User-Agent"); len(ua) > 0 {
		in.Request.Headers = in.Request.Headers.Clone()
		in.Request.Headers.Del("User-Agent")
		for _, v := range ua {
			in.Request.Headers.Add("User-Agent", sdkVersion.ReplaceAllString(v, "smooch-go"))
		}
	}
	return nil
}

// sdkVersion matches the SDK's product token in a User-Agent, version included.
var sdkVersion = regexp.MustCompile(`\bsmooch-go/\S+`)

// RewriteBaseURL returns a go-vcr save filter that records requests sent to
// from as if sent to to. Recording against a fake on a random loopback port
// then yields the same cassette every time, and replay can use the
// production base URL.
func RewriteBaseURL(from, to string) cassette.Filter {
	from = strings.TrimSuffix(from, "/")
	to = strings.TrimSuffix(to, "/")
	return func(in *cassette.Interaction) error {
		if rest, ok := strings.CutPrefix(in.Request.URL, from); ok && (rest == "" || strings.HasPrefix(rest, "/") || strings.HasPrefix(rest, "?")) {
			in.Request.URL = to + rest
		}
		return nil
	}
}
