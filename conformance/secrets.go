package conformance

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// jwtPattern finds JWT-looking strings: a base64url JSON header ("eyJ"), then
// two more dot-separated base64url parts.
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// memberPattern finds "name": "value" pairs in bodies that are not JSON.
var memberPattern = regexp.MustCompile(`"([^"\\]+)"\s*:\s*"([^"]*)"`)

// ScanSecrets reads cassette files (or directories of them) and reports every
// credential that was not redacted: a JWT other than RedactedJWT anywhere in
// the file, an Authorization header other than "Bearer REDACTED", another
// credential header not "REDACTED", a URL with a password or a credential
// query parameter, and a secret member (key secret, JWT, webhook secret,
// channel credential, or anything named like one) whose value is not its
// placeholder.
// Each finding names the file, the interaction and the leak; the secret
// itself is never repeated in full.
func ScanSecrets(paths ...string) ([]string, error) {
	cassettes, err := LoadCassettes(paths...)
	if err != nil {
		return nil, err
	}
	var findings []string
	for _, c := range cassettes {
		raw, err := os.ReadFile(c.Path)
		if err != nil {
			return nil, fmt.Errorf("conformance: %w", err)
		}
		texts := cassetteTexts(string(raw), c)
		seen := map[string]bool{}
		for _, text := range texts {
			for _, jwt := range jwtPattern.FindAllString(text, -1) {
				if jwt != RedactedJWT && !seen[jwt] {
					seen[jwt] = true
					findings = append(findings, fmt.Sprintf("%s: JWT %s", c.Path, abbreviate(jwt)))
				}
			}
		}
		for i, in := range c.Interactions {
			// Findings name the URL redacted, so that they never repeat a secret.
			redactedURL := redactURL(in.Request.URL)
			where := fmt.Sprintf("%s: interaction %d: %s %s", c.Path, i, in.Request.Method, redactedURL)
			if redactedURL != in.Request.URL {
				findings = append(findings, where+": the URL holds a credential")
			}
			for _, side := range []struct {
				name   string
				header map[string][]string
				body   string
			}{{"request", in.Request.Headers, in.Request.Body}, {"response", in.Response.Headers, in.Response.Body}} {
				for name, values := range side.header {
					if !secretHeader(name) {
						continue
					}
					for _, v := range values {
						if !redactedAuthorization(v) && !emptyBearer(v) {
							findings = append(findings, fmt.Sprintf("%s: %s header %s is %s, not %q", where, side.name, name, abbreviate(v), "<scheme> "+Redacted))
						}
					}
				}
				findings = append(findings, scanBody(where+": "+side.name+" body", side.body)...)
			}
		}
	}
	return findings, nil
}

func scanBody(where, body string) []string {
	var findings []string
	report := func(key, value string) {
		if placeholder, ok := placeholderFor(key, value); ok && value != placeholder {
			findings = append(findings, fmt.Sprintf("%s: %q is %s, not %q", where, key, abbreviate(value), placeholder))
		}
	}
	if err := walkJSON([]byte(body), func(key string, _, _ int, value string) { report(key, value) }); err != nil {
		for _, m := range memberPattern.FindAllStringSubmatch(body, -1) {
			report(m[1], m[2])
		}
	}
	return findings
}

// abbreviate shows enough of a leaked value to find it, not enough to use it.
func abbreviate(s string) string {
	if len(s) <= 8 {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q", s[:6]+"…")
}

// SeenSecrets remembers the credentials that went over the wire in a
// recording or live run: bearer tokens and the values of credential members
// in either body. Find then searches cassettes for those exact values, which
// catches a leak under any name or shape, such as an error description that
// echoes a channel token. ScanSecrets alone knows credentials only by name
// and shape. Safe for concurrent use; the zero value is ready.
type SeenSecrets struct {
	mu     sync.Mutex
	values map[string]bool
}

// minSecretLen keeps short values (ids, "x") from matching unrelated text.
const minSecretLen = 8

// Add remembers a secret value, such as the key secret a run signs with.
func (s *SeenSecrets) Add(value string) {
	if len(value) < minSecretLen || value == Redacted || value == RedactedJWT {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.values == nil {
		s.values = map[string]bool{}
	}
	s.values[value] = true
}

// AddExchange remembers the credentials of one request and its response.
func (s *SeenSecrets) AddExchange(ex Exchange) {
	for _, h := range []http.Header{ex.Header, ex.RespHeader} {
		for name, values := range h {
			if !secretHeader(name) {
				continue
			}
			for _, v := range values {
				scheme := authScheme(v)
				if scheme != "" {
					_, v, _ = strings.Cut(v, " ") // the token, or basic auth's base64 credentials
				}
				v = strings.TrimSpace(v)
				s.Add(v)
				if strings.EqualFold(scheme, "Basic") {
					// And the secret itself, which a server could echo decoded.
					if decoded, err := base64.StdEncoding.DecodeString(v); err == nil {
						if _, secret, ok := strings.Cut(string(decoded), ":"); ok {
							s.Add(secret)
						}
					}
				}
			}
		}
	}
	for _, body := range [][]byte{ex.Body, ex.RespBody} {
		_ = walkJSON(body, func(key string, _, _ int, value string) {
			if _, secret := placeholderFor(key, value); secret {
				s.Add(value)
			}
		})
		for _, jwt := range jwtPattern.FindAllString(string(body), -1) {
			s.Add(jwt)
		}
	}
}

// Find reports every remembered secret that appears in the cassettes at
// paths, abbreviated.
func (s *SeenSecrets) Find(paths ...string) ([]string, error) {
	cassettes, err := LoadCassettes(paths...)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var findings []string
	for _, c := range cassettes {
		raw, err := os.ReadFile(c.Path)
		if err != nil {
			return nil, fmt.Errorf("conformance: %w", err)
		}
		texts := cassetteTexts(string(raw), c)
		for value := range s.values {
			for _, text := range texts {
				if strings.Contains(text, value) {
					findings = append(findings, fmt.Sprintf("%s: holds a secret seen on the wire: %s", c.Path, abbreviate(value)))
					break
				}
			}
		}
	}
	sort.Strings(findings)
	return findings, nil
}

// cassetteTexts is the raw file and, in case YAML folded or escaped a value,
// every parsed string of its interactions; and, in case JSON escaped one (a
// server may echo "a/b" as "a\/b" or "\u0061/b"), every string member of a JSON
// body, decoded.
func cassetteTexts(raw string, c *Cassette) []string {
	texts := []string{raw}
	for _, in := range c.Interactions {
		texts = append(texts, in.Request.URL, in.Request.Body, in.Response.Body)
		for _, body := range []string{in.Request.Body, in.Response.Body} {
			texts = appendJSONStrings(texts, body)
		}
		for _, h := range []map[string][]string{in.Request.Headers, in.Response.Headers} {
			for _, values := range h {
				texts = append(texts, values...)
			}
		}
	}
	return texts
}

// appendJSONStrings appends every string of body, if it is JSON, decoded: member names, values, array
// elements and a top-level string alike.
func appendJSONStrings(texts []string, body string) []string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return texts
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			texts = append(texts, v)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for key, member := range v {
				texts = append(texts, key)
				walk(member)
			}
		}
	}
	walk(v)
	return texts
}
