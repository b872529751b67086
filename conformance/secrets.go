package conformance

import (
	"fmt"
	"os"
	"regexp"
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
		// The raw file and, in case YAML folded a long line, every parsed string.
		texts := []string{string(raw)}
		for _, in := range c.Interactions {
			texts = append(texts, in.Request.URL, in.Request.Body, in.Response.Body)
			for _, h := range []map[string][]string{in.Request.Headers, in.Response.Headers} {
				for _, values := range h {
					texts = append(texts, values...)
				}
			}
		}
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
						if v != RedactedAuthorization && v != Redacted && !emptyBearer(v) {
							findings = append(findings, fmt.Sprintf("%s: %s header %s is %s, not %q", where, side.name, name, abbreviate(v), RedactedAuthorization))
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
		if placeholder, ok := placeholderFor(key); ok && value != placeholder {
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
