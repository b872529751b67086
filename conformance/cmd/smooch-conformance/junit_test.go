package main

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/conformance"
)

// xmlNode is an element of a parsed XML document, children in order.
type xmlNode struct {
	name     string
	attrs    map[string]string
	children []*xmlNode
	text     string
}

func parseXML(t *testing.T, doc string) *xmlNode {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "well-formed XML")
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.children = append(top.children, n)
			} else {
				require.Nil(t, root, "one root element")
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	require.NotNil(t, root)
	return root
}

// The time pattern of the Surefire/Jenkins schema (SUREFIRE_TIME) and the
// timestamp pattern of the Ant schema (ISO8601_DATETIME_PATTERN, no zone).
var (
	surefireTime = regexp.MustCompile(`^(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]{0,3})?$`)
	antTimestamp = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$`)
)

type junitSummary struct {
	Tests, Failures int
	Suites          []junitSuiteSummary
}

type junitSuiteSummary struct {
	Name  string
	Cases []junitCaseSummary
}

type junitCaseSummary struct {
	Name, Classname string
	Failures        []junitFailureSummary
}

type junitFailureSummary struct{ Message, Type, Text string }

// checkJUnit checks a report against what the JUnit schemas require — the
// Surefire/Jenkins junit-10.xsd that CI systems read (testsuite name and
// tests; testcase name; failure message and type as strings; times as
// SUREFIRE_TIME), and the Ant JUnit.xsd's stricter requirements (every
// testsuite with name, tests, failures, errors, time, timestamp, hostname,
// and under testsuites an id and package; the properties, system-out and
// system-err elements in that order around the test cases; testcase name,
// classname and time) — and that the counts add up. It returns what the
// report says.
func checkJUnit(t *testing.T, doc string) junitSummary {
	t.Helper()
	require.True(t, strings.HasPrefix(doc, xml.Header), "an XML declaration first")
	root := parseXML(t, doc)
	require.Equal(t, "testsuites", root.name)
	number := func(n *xmlNode, attr string) int {
		t.Helper()
		v, ok := n.attrs[attr]
		require.True(t, ok, "<%s> has %s", n.name, attr)
		i, err := strconv.Atoi(v)
		require.NoError(t, err, "<%s %s=%q> is a number", n.name, attr, v)
		return i
	}
	has := func(n *xmlNode, attrs ...string) {
		t.Helper()
		for _, a := range attrs {
			_, ok := n.attrs[a]
			assert.True(t, ok, "<%s> has %s", n.name, a)
		}
	}
	has(root, "name", "time")
	var out junitSummary
	tests, failures := 0, 0
	for i, suite := range root.children {
		require.Equal(t, "testsuite", suite.name, "testsuites holds only testsuite elements")
		has(suite, "name", "hostname", "package")
		assert.NotEmpty(t, suite.attrs["name"])
		assert.Equal(t, i, number(suite, "id"), "ids count from 0")
		assert.Equal(t, 0, number(suite, "errors"))
		assert.Equal(t, 0, number(suite, "skipped"))
		assert.Regexp(t, surefireTime, suite.attrs["time"])
		assert.Regexp(t, antTimestamp, suite.attrs["timestamp"])
		var names []string
		for _, c := range suite.children {
			names = append(names, c.name)
		}
		require.GreaterOrEqual(t, len(names), 3)
		assert.Equal(t, "properties", names[0], "properties come first")
		assert.Equal(t, []string{"system-out", "system-err"}, names[len(names)-2:], "system-out and system-err come last")
		s := junitSuiteSummary{Name: suite.attrs["name"]}
		failed := 0
		for _, c := range suite.children[1 : len(suite.children)-2] {
			require.Equal(t, "testcase", c.name)
			has(c, "name", "classname")
			assert.NotEmpty(t, c.attrs["name"])
			assert.Regexp(t, surefireTime, c.attrs["time"])
			tc := junitCaseSummary{Name: c.attrs["name"], Classname: c.attrs["classname"]}
			for _, f := range c.children {
				require.Equal(t, "failure", f.name, "a test case holds failures only")
				has(f, "message", "type")
				assert.NotEmpty(t, f.attrs["message"])
				assert.NotEmpty(t, f.text, "a failure says what failed")
				tc.Failures = append(tc.Failures, junitFailureSummary{f.attrs["message"], f.attrs["type"], f.text})
			}
			if len(tc.Failures) > 0 {
				failed++
			}
			s.Cases = append(s.Cases, tc)
		}
		for _, p := range suite.children[0].children {
			assert.Equal(t, "property", p.name)
			has(p, "name", "value")
		}
		assert.Equal(t, len(s.Cases), number(suite, "tests"), "tests counts the test cases")
		assert.Equal(t, failed, number(suite, "failures"), "failures counts the failed test cases")
		tests += len(s.Cases)
		failures += failed
		out.Suites = append(out.Suites, s)
	}
	assert.Equal(t, tests, number(root, "tests"))
	assert.Equal(t, failures, number(root, "failures"))
	assert.Equal(t, 0, number(root, "errors"))
	out.Tests, out.Failures = tests, failures
	return out
}

func TestValidateJUnitHasATestCasePerInteractionAndAFailurePerViolation(t *testing.T) {
	// Interaction 0 breaks twice (status and an undeclared request field), interaction 4 once.
	path := breakCassette(t, 0, func(c *conformance.Cassette, i int) {
		c.Interactions[i].Request.Body = `{"name":"My App","color":"red"}`
		c.Interactions[i].Response.Code = 418
		c.Interactions[4].Response.Body = `{"integration":{"_id":"i","type":"telegram","botToken":"x"}}`
	})
	code, stdout, stderr := runCLI(t, "validate", "-format", "junit", path)
	assert.Equal(t, 1, code, stderr)
	report := checkJUnit(t, stdout)
	assert.Equal(t, 8, report.Tests)
	assert.Equal(t, 2, report.Failures)
	require.Len(t, report.Suites, 1)
	suite := report.Suites[0]
	assert.Equal(t, path, suite.Name)
	require.Len(t, suite.Cases, 8)
	assert.Equal(t, "interaction 0: POST /v1/apps", suite.Cases[0].Name)
	assert.Equal(t, "validate.broken", suite.Cases[0].Classname)
	require.Len(t, suite.Cases[0].Failures, 2)
	assert.Equal(t, `request body: field "color" is not declared by the contract`, suite.Cases[0].Failures[0].Message)
	assert.Equal(t, "violation", suite.Cases[0].Failures[0].Type)
	assert.Equal(t, path+": interaction 0: POST /v1/apps: "+suite.Cases[0].Failures[0].Message, suite.Cases[0].Failures[0].Text)
	assert.Contains(t, suite.Cases[0].Failures[1].Message, "status 418 is not declared for createApp")
	require.Len(t, suite.Cases[4].Failures, 1)
	assert.Contains(t, suite.Cases[4].Failures[0].Message, `"integration.botToken" is not declared`)
	for _, i := range []int{1, 2, 3, 5, 6, 7} {
		assert.Empty(t, suite.Cases[i].Failures, "interaction %d", i)
	}

	// Clean traffic: every test case passes. An empty cassette is a failing "cassette" case.
	empty := emptyCassette(t)
	code, stdout, _ = runCLI(t, "validate", "-format", "junit", good, empty)
	assert.Equal(t, 1, code)
	report = checkJUnit(t, stdout)
	require.Len(t, report.Suites, 2)
	assert.Len(t, report.Suites[0].Cases, 8)
	assert.Equal(t, []junitCaseSummary{{Name: "cassette", Classname: "validate.empty", Failures: []junitFailureSummary{
		{"the cassette records no interaction", "violation", empty + ": the cassette records no interaction"}}}}, report.Suites[1].Cases)
	assert.Equal(t, 1, report.Failures)

	code, stdout, _ = runCLI(t, "validate", "-format", "junit", good)
	assert.Equal(t, 0, code)
	assert.Equal(t, 0, checkJUnit(t, stdout).Failures)
}

func TestValidateJSON(t *testing.T) {
	path := breakCassette(t, 6, func(c *conformance.Cassette, i int) { c.Interactions[i].Response.Code = 418 })
	code, stdout, _ := runCLI(t, "validate", path, "-format", "json")
	assert.Equal(t, 1, code)
	assert.JSONEq(t, `{"interactions": 8, "violations": [{"cassette": "`+path+`", "index": 6, "method": "GET",
		"path": "/v1/apps/55c8d9758590aa1900b9b9f6", "reason": "response 418: status 418 is not declared for getApp"}]}`, stdout)
	code, stdout, _ = runCLI(t, "validate", good, "-format", "json")
	assert.Equal(t, 0, code)
	assert.JSONEq(t, `{"interactions": 8, "violations": []}`, stdout)
}

func TestCoverageJUnitAndJSON(t *testing.T) {
	code, stdout, _ := runCLI(t, "coverage", "-format", "junit", good)
	assert.Equal(t, 1, code)
	report := checkJUnit(t, stdout)
	assert.Equal(t, 55, report.Tests, "a test case per operation")
	assert.Equal(t, 54, report.Failures, "all but createApp lack something")
	cases := report.Suites[0].Cases
	// The app-scope paths (/v1/menu, /v1/webhooks) sort first; then the /{apiVersion} ones, createApp first.
	assert.Equal(t, "getAppScopeMenu GET /v1/menu", cases[0].Name)
	assert.Equal(t, "createApp POST /{apiVersion}/apps", cases[8].Name)
	assert.Empty(t, cases[8].Failures)
	for _, c := range cases {
		if c.Name == "getApp GET /{apiVersion}/apps/{appId}" {
			assert.Equal(t, []junitFailureSummary{{"not covered: no 2xx interaction", "coverage",
				"getApp (GET /{apiVersion}/apps/{appId}) needs a 2xx and an error interaction; statuses seen: 404"}}, c.Failures)
		}
	}

	code, stdout, _ = runCLI(t, "coverage", "-format", "junit", committed)
	assert.Equal(t, 0, code)
	assert.Equal(t, 0, checkJUnit(t, stdout).Failures)

	code, stdout, _ = runCLI(t, "coverage", "-format", "json", good)
	assert.Equal(t, 1, code)
	var cov struct {
		Operations []conformance.CoverageRow `json:"operations"`
		Covered    int                       `json:"covered"`
		Total      int                       `json:"total"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &cov))
	assert.Equal(t, 1, cov.Covered)
	assert.Equal(t, 55, cov.Total)
	assert.Equal(t, conformance.CoverageRow{Operation: "createApp", Method: "POST", Path: "/{apiVersion}/apps",
		Statuses: map[int]int{201: 1, 400: 1}, Covered: true}, cov.Operations[8], "after the eight app-scope paths")
}

func emptyCassette(t *testing.T) string {
	t.Helper()
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	require.NoError(t, os.WriteFile(empty, []byte("---\nversion: 1\ninteractions: []\n"), 0o600))
	return empty
}
