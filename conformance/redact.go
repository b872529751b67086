package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/dnaeon/go-vcr/v2/cassette"
)

// Redacted replaces every secret string in a cassette.
const Redacted = "REDACTED"

// RedactedAuthorization replaces every bearer token in a cassette; it keeps
// the header's shape so that the contract's security check still runs.
const RedactedAuthorization = "Bearer " + Redacted

// RedactedJWT replaces a JWT in a response body. It is JWT-shaped (three
// base64url parts: {"alg":"HS256","typ":"JWT","kid":"REDACTED"}, then
// {"scope":"REDACTED"}, then "REDACTED") so that code that splits tokens keeps
// working on replayed cassettes, and it is the only JWT a cassette may hold.
const RedactedJWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IlJFREFDVEVEIn0.eyJzY29wZSI6IlJFREFDVEVEIn0.REDACTED"

// secretFields are the JSON members whose string values are credentials, in
// requests and responses alike: key secrets, JWTs, webhook secrets, and every
// channel credential the contract's IntegrationCreate variants accept.
var secretFields = map[string]string{
	"secret":             Redacted,
	"jwt":                RedactedJWT,
	"webhookSecret":      Redacted,
	"appSecret":          Redacted,
	"authToken":          Redacted,
	"token":              Redacted,
	"channelSecret":      Redacted,
	"channelAccessToken": Redacted,
	"pageAccessToken":    Redacted,
	"consumerSecret":     Redacted,
	"accessTokenSecret":  Redacted,
	"certificate":        Redacted,
	"password":           Redacted,
	"serverKey":          Redacted,
	"apiKey":             Redacted,
	"accessKey":          Redacted,
	"encodingAesKey":     Redacted,
}

// secretHeaders are request and response headers that carry credentials.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "X-Api-Key", "Cookie", "Set-Cookie"}

// Redact is a go-vcr save filter that removes every credential from an
// interaction before its cassette is written: bearer tokens become
// "Bearer REDACTED", and key secrets, JWTs, webhook secrets and channel
// credentials in either body become placeholders. Bodies are edited in place,
// so everything else stays byte for byte as it went over the wire.
//
// Install it with recorder.AddSaveFilter, not AddFilter: a save filter runs
// when the cassette is written, so the client under test still receives the
// real secret (and can sign with it) while the cassette never holds it.
func Redact(in *cassette.Interaction) error {
	in.Request.Headers = redactHeaders(in.Request.Headers)
	in.Response.Headers = redactHeaders(in.Response.Headers)
	body, err := RedactJSON([]byte(in.Request.Body))
	if err != nil {
		return errors.New("conformance: redact request body: " + err.Error())
	}
	in.Request.Body = string(body)
	body, err = RedactJSON([]byte(in.Response.Body))
	if err != nil {
		return errors.New("conformance: redact response body: " + err.Error())
	}
	if len(body) != len(in.Response.Body) && in.Response.Headers.Get("Content-Length") != "" {
		in.Response.Headers.Set("Content-Length", strconv.Itoa(len(body)))
	}
	in.Response.Body = string(body)
	return nil
}

func redactHeaders(h http.Header) http.Header {
	h = h.Clone()
	for name := range h {
		for _, secret := range secretHeaders {
			if !strings.EqualFold(name, secret) {
				continue
			}
			for i, v := range h[name] {
				if scheme, _, ok := strings.Cut(v, " "); ok && strings.EqualFold(scheme, "Bearer") {
					h[name][i] = RedactedAuthorization
				} else {
					h[name][i] = Redacted
				}
			}
		}
	}
	return h
}

// RedactJSON replaces the string values of secret members anywhere in a JSON
// document with their placeholders, leaving every other byte as it was. A
// body that is not JSON is returned unchanged: the contract only has JSON
// bodies, and validation reports any other.
func RedactJSON(data []byte) ([]byte, error) {
	type edit struct {
		start, end  int
		replacement string
	}
	var edits []edit
	err := walkJSON(data, func(key string, start, end int, value string) {
		if placeholder, ok := secretFields[key]; ok && value != placeholder {
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
// differ on every run.
func Normalize(in *cassette.Interaction) error {
	in.Response.Headers = in.Response.Headers.Clone()
	in.Response.Headers.Del("Date")
	in.Response.Duration = 0
	return nil
}

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
