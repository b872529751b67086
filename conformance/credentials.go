package conformance

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/smoochkit/smooch-go/openapi"
)

// Credentials fail closed. The contract says which members hold credentials (x-smooch-secret); a member the
// API adds is not in it yet, so two guesses stand in for the mark until a person decides:
//
//   - credentialName and credentialValue: a drift patch proposes a new member as x-smooch-secret: true when its
//     name or one of its values looks like a credential, saying why, so that a reviewer can take it back.
//   - plainValue: a live recording (RedactUndeclared) writes the value of a member the contract does not
//     declare in clear only when it is plainly not a credential (an id, a URL, an email address, prose, a word);
//     any other value is written as REDACTED, whatever the member's name.

// credentialName says why a member called name looks like a credential, or "" when it does not: the contract
// (its marks) marks it x-smooch-secret: true, or its name looks like one (secretLooking). A name the contract
// marks x-smooch-secret: false is not.
func credentialName(marks map[string]bool, name string) string {
	if secret, marked := marks[name]; marked {
		if secret {
			return "the contract marks members named " + strconv.Quote(name) + " x-smooch-secret elsewhere"
		}
		return ""
	}
	if secretLooking.MatchString(name) {
		return "named like a credential"
	}
	return ""
}

var (
	objectID   = regexp.MustCompile(`^[0-9a-f]{24}$`)                    // Smooch's ids
	keyID      = regexp.MustCompile(`^(act|svc|app)_[0-9a-f]{24}$`)      // key ids are not secret
	plainWord  = regexp.MustCompile(`^@?[A-Za-z][A-Za-z_.:@/+-]{0,39}$`) // "active", "en_US", "@acme", "message:appUser"
	phone      = regexp.MustCompile(`^\+[0-9]{7,15}$`)                   // E.164, with its +
	domain     = regexp.MustCompile(`^([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$`)  // mg.example.com
	isoDate    = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9:.]+(Z|[+-][0-9:]+)?)?$`)
	vendorKeys = regexp.MustCompile(`(?i)^(sk|pk|rk|key|tok|token|secret|pat|ghp|xox[abp])[-_]`)
)

// credentialValue says why a string looks like a credential, or "": a placeholder (the value was redacted
// when it was recorded, because its member or its shape looked like one), a JWT, a vendor's key prefix
// (sk_…, key-…), or a long random-looking token.
func credentialValue(v string) string {
	switch {
	case v == Redacted || v == RedactedJWT:
		return "its value was redacted when recorded"
	case jwtPattern.MatchString(v):
		return "its value is a JWT"
	case strings.ContainsAny(v, " \t\r\n") || len(v) < 12 || plainValue(v):
		return ""
	case vendorKeys.MatchString(v):
		return "its value starts like an API key"
	case randomLooking(v):
		return "its value looks like a random token"
	}
	return ""
}

// randomLooking reports a token of 16 characters or more, letters and digits mixed, whose characters are
// spread as a random string's are (at least 3 bits of entropy per character): a hexadecimal secret, a base64
// key. Words, numbers and ids made of few distinct characters are not.
func randomLooking(v string) bool {
	if len(v) < 16 {
		return false
	}
	letters, digits := false, false
	counts := map[rune]int{}
	for _, r := range v {
		counts[r]++
		switch {
		case r >= '0' && r <= '9':
			digits = true
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			letters = true
		}
	}
	if !letters || !digits {
		return false
	}
	entropy := 0.0
	n := float64(len([]rune(v)))
	for _, c := range counts {
		p := float64(c) / n
		entropy -= p * math.Log2(p)
	}
	return entropy >= 3
}

// plainValue reports whether a string is plainly not a credential, so that a live recording may keep it: a
// Smooch id or key id, a URL without user info or query, an email address, a domain name, an E.164 phone
// number, a date, an API version (v1.1), text with spaces in it (a name, a description), or a word without digits (an enum value, a
// language tag, a user name). Everything else (digits, tokens, hexadecimal, base64, UUIDs) may be a
// credential: fail closed.
func plainValue(v string) bool {
	switch {
	case v == "" || v == Redacted || v == RedactedJWT:
		return true
	case objectID.MatchString(v), keyID.MatchString(v), phone.MatchString(v), isoDate.MatchString(v), versionSegment.MatchString(v):
		return true
	case plainWord.MatchString(v) && !strings.Contains(v, "//"):
		return true
	case strings.Contains(v, "://"):
		u, err := url.Parse(v)
		return err == nil && u.User == nil && u.RawQuery == "" && u.Fragment == "" && u.Host != ""
	case strings.Contains(v, "@"):
		addr, err := mail.ParseAddress(v)
		return err == nil && addr.Address == v
	case domain.MatchString(v) && !strings.ContainsAny(v, "0123456789"):
		return true
	case strings.ContainsAny(v, " \t") && strings.Count(v, " ") >= 1 && !jwtPattern.MatchString(v):
		// Prose: two words or more. A credential has no space in it.
		return true
	}
	return false
}

// RedactUndeclared returns a go-vcr save filter for live recordings: it writes as REDACTED every string the
// contract v describes nowhere (a member it does not declare, at any depth, in either body; the value of a
// query parameter it does not declare; every string of a request no operation matches) unless plainValue
// says it is plainly not a credential. Redact only knows credentials by the contract's marks and by name;
// the live API may add one under any name (MessageBird's signingKey), and this filter keeps it out of the
// cassette before anyone has reviewed anything. Each value it redacts is added to seen (when not nil), so
// that a copy of it elsewhere in the cassette is found too.
//
// The price is paid by the drift report: a new member's examples show REDACTED instead of its value when the
// value was not plain, and its patch proposes the member as x-smooch-secret: true ("its value was redacted
// when recorded"), for a reviewer to take back. Its type is still inferred, since only strings are redacted.
// Install it after Redact (NewRecorder's extra filters are).
func RedactUndeclared(v *openapi.Validator, seen *SeenSecrets) cassette.Filter {
	prefix := versionPrefix(v.Doc())
	return func(in *cassette.Interaction) error {
		u := undeclaredIn(v, prefix, in)
		redact := func(body string, roots []string) string {
			if len(roots) == 0 {
				return body
			}
			data, changed := redactAt([]byte(body), roots, seen)
			if !changed {
				return body
			}
			return string(data)
		}
		in.Request.Body = redact(in.Request.Body, u.request)
		body := redact(in.Response.Body, u.response)
		if len(body) != len(in.Response.Body) && in.Response.Headers.Get("Content-Length") != "" {
			in.Response.Headers = in.Response.Headers.Clone()
			in.Response.Headers.Set("Content-Length", strconv.Itoa(len(body)))
		}
		in.Response.Body = body
		if len(u.query) > 0 {
			in.Request.URL = redactQuery(in.Request.URL, u.query, seen)
		}
		return nil
	}
}

// undeclared is where an interaction has what the contract does not describe: roots in each body (paths as
// Finding.At writes them, "" for the whole body) and query parameter names.
type undeclared struct {
	request, response []string
	query             []string
}

func undeclaredIn(v *openapi.Validator, prefix string, in *cassette.Interaction) undeclared {
	everything := undeclared{request: []string{""}, response: []string{""}}
	req, err := http.NewRequest(in.Request.Method, in.Request.URL, nil)
	if err != nil {
		return everything
	}
	route, _, err := v.Route(req)
	if err != nil {
		route, _, _ = versionedRoute(v, prefix, req) // the contract's operation under another version
	}
	if route == nil {
		for name := range req.URL.Query() {
			everything.query = append(everything.query, name)
		}
		return everything
	}
	var out undeclared
	declared := map[string]bool{}
	for _, params := range []openapi3.Parameters{route.PathItem.Parameters, route.Operation.Parameters} {
		for _, p := range params {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
				declared[p.Value.Name] = true
			}
		}
	}
	for name := range req.URL.Query() {
		if !declared[name] {
			out.query = append(out.query, name)
		}
	}
	op := route.Operation
	if body := strings.TrimSpace(in.Request.Body); body != "" {
		var content openapi3.Content
		if op.RequestBody != nil && op.RequestBody.Value != nil {
			content = op.RequestBody.Value.Content
		}
		out.request = undeclaredRoots(content, in.Request.Headers.Get("Content-Type"), []byte(body))
	}
	if body := strings.TrimSpace(in.Response.Body); body != "" {
		var content openapi3.Content
		if resp, _ := responseFor(op, in.Response.Code); resp != nil && resp.Value != nil {
			content = resp.Value.Content
		}
		out.response = undeclaredRoots(content, in.Response.Headers.Get("Content-Type"), []byte(body))
	}
	return out
}

// undeclaredRoots are the places of a body its declared schema does not describe: the members it does not
// declare (everything below them included), or the whole body ("") when nothing declares its content type.
func undeclaredRoots(content openapi3.Content, contentType string, body []byte) []string {
	value, ok := decodeJSON(body)
	if !ok {
		return nil // not JSON: nothing to redact member by member (Redact still removes JWTs)
	}
	media := content.Get(mediaTypeOf(contentType))
	if media == nil || media.Schema == nil {
		return []string{""}
	}
	d := &Drift{findings: map[string]*Finding{}}
	w := &driftWalk{d: d}
	w.walk(media.Schema, schemaLoc{}, value, "")
	var roots []string
	for _, f := range d.findings {
		switch {
		case f.Kind == UndeclaredField:
			roots = append(roots, f.At)
		case f.Kind == UndeclaredEnumValue && f.variant: // an object of a type no variant has: all of it
			roots = append(roots, strings.TrimSuffix(strings.TrimSuffix(f.At, f.Field), "."))
		}
	}
	return roots
}

func mediaTypeOf(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if mt == "" {
		return "application/json"
	}
	return mt
}

// under reports whether at is root or below it.
func under(at, root string) bool {
	return root == "" || at == root || strings.HasPrefix(at, root+".") || strings.HasPrefix(at, root+"[")
}

// redactAt replaces, in place, every string value at or below one of roots that is not plainValue.
func redactAt(data []byte, roots []string, seen *SeenSecrets) ([]byte, bool) {
	type edit struct{ start, end int }
	var edits []edit
	err := walkJSONAt(data, func(at string, start, end int, value string) {
		if plainValue(value) {
			return
		}
		for _, root := range roots {
			if under(at, root) {
				edits = append(edits, edit{start, end})
				if seen != nil {
					seen.Add(value)
				}
				return
			}
		}
	})
	if err != nil || len(edits) == 0 {
		return data, false
	}
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		out.Write(data[last:e.start])
		out.WriteString(strconv.Quote(Redacted))
		last = e.end
	}
	out.Write(data[last:])
	return out.Bytes(), true
}

// redactQuery replaces the values of the named query parameters that are not plainValue.
func redactQuery(raw string, names []string, seen *SeenSecrets) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	query := u.Query()
	changed := false
	for _, name := range names {
		for i, value := range query[name] {
			if !plainValue(value) && !isInteger(value) {
				query[name][i] = Redacted
				changed = true
				if seen != nil {
					seen.Add(value)
				}
			}
		}
	}
	if !changed {
		return raw
	}
	u.RawQuery = query.Encode()
	return u.String()
}

// isInteger is a small number such as a page size: a query parameter's integers are kept, for drift to
// infer the parameter's type (a body's strings of digits are redacted: they may be a PIN or a code).
func isInteger(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && n >= 0 && n < 1_000_000
}

// walkJSONAt calls visit for every string value of a JSON document (member values and array elements),
// with where it is, as Finding.At writes it ("integrations[].signingKey"), and the byte span of its literal.
func walkJSONAt(data []byte, visit func(at string, start, end int, value string)) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object    bool
		expectKey bool
		at        string // the container's own place
		key       string // the member being read, in an object
	}
	var stack []*frame
	place := func() string { // where the next value goes
		if len(stack) == 0 {
			return ""
		}
		top := stack[len(stack)-1]
		if top.object {
			return joinAt(top.at, top.key)
		}
		return top.at + "[]"
	}
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
				at := place()
				if top != nil && top.object {
					top.expectKey = true
				}
				stack = append(stack, &frame{object: d == '{', expectKey: true, at: at})
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if top != nil && top.object && top.expectKey {
			top.key, _ = tok.(string)
			top.expectKey = false
			continue
		}
		at := place()
		if top != nil && top.object {
			top.expectKey = true
		}
		if s, ok := tok.(string); ok {
			end := int(dec.InputOffset())
			start := before + bytes.IndexByte(data[before:end], '"')
			visit(at, start, end, s)
		}
	}
}
