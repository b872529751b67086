package openapi_test

// The contract's generic lint is done by the maintained linters, pinned in openapi/lint/ and run by make lint:
// Redocly CLI's `recommended` ruleset and Spectral's `spectral:oas`. What is left here is the lint rule of ours
// that neither checks (both accept a relative server URL such as `url: /v1`, tried with the pinned versions):
// every server URL is absolute, as the SDK's regions (smooch.WithRegion) are these servers' origins and the
// contract's router matches the operations' paths from the origin. The contract's other house rules are in
// contract_test.go. TestLintFindsWhatItLooksFor breaks the contract once per rule and expects the finding, so
// no rule passes by checking nothing.

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/smoochkit/smooch-go/openapi"
)

func TestContractLintsClean(t *testing.T) {
	findings, err := lint(openapi.YAML)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		t.Errorf("smooch.yaml: %s", f)
	}
}

var serverVariable = regexp.MustCompile(`\{[^}]*\}`)

// lint returns the contract's findings, one line each: "rule: where: what".
func lint(data []byte) ([]string, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	var findings []string
	for i, s := range doc.Servers {
		// A server variable stands for a host name's part: absolute is about the rest.
		if u, err := url.Parse(serverVariable.ReplaceAllString(s.URL, "x")); err != nil || !u.IsAbs() || u.Host == "" {
			findings = append(findings, fmt.Sprintf("server-url-absolute: #/servers/%d: url %q is not an absolute URL", i, s.URL))
		}
	}
	return findings, nil
}

// Each rule finds what it looks for: the contract, broken one way at a time, gives that rule's finding.
func TestLintFindsWhatItLooksFor(t *testing.T) {
	cases := []struct {
		rule     string
		old, new string
	}{
		{"server-url-absolute", "url: https://api.smooch.io\n", "url: /v1\n"},
		{"server-url-absolute", "url: https://api.eu-1.smooch.io\n", "url: api.eu-1.smooch.io\n"},
	}
	for i, c := range cases {
		t.Run(fmt.Sprintf("%s#%d", c.rule, i), func(t *testing.T) {
			if !bytes.Contains(openapi.YAML, []byte(c.old)) {
				t.Fatalf("the text to break is no longer in the contract: %q", c.old)
			}
			broken := bytes.Replace(openapi.YAML, []byte(c.old), []byte(c.new), 1)
			findings, err := lint(broken)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range findings {
				if strings.HasPrefix(f, c.rule+": ") {
					return
				}
			}
			t.Errorf("no %s finding; got %q", c.rule, findings)
		})
	}
}
