package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smoochkit/smooch-go/conformance"
)

// What validate found, per cassette and interaction, for every output format.

type cassetteResult struct {
	path         string
	whole        []conformance.Violation // about the cassette as a whole
	interactions []interactionResult     // every one for JSON and JUnit; only those with violations for text
	count        int                     // interactions read
}

type interactionResult struct {
	index        int
	method, path string
	violations   []conformance.Violation
}

func (r cassetteResult) all() []conformance.Violation {
	all := append([]conformance.Violation(nil), r.whole...)
	for _, in := range r.interactions {
		all = append(all, in.violations...)
	}
	return all
}

func (r cassetteResult) violations() int { return len(r.all()) }

// urlPath is a request URL's path, or the URL itself when it does not parse.
func urlPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Path
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

type jsonViolation struct {
	Cassette string `json:"cassette"`
	Index    int    `json:"index"` // -1: the cassette as a whole
	Method   string `json:"method,omitempty"`
	Path     string `json:"path,omitempty"`
	Reason   string `json:"reason"`
	Warning  bool   `json:"warning,omitempty"`
}

func writeValidateJSON(w io.Writer, results []cassetteResult, total, failed int) error {
	out := struct {
		Interactions int             `json:"interactions"`
		Violations   []jsonViolation `json:"violations"`
	}{Interactions: total, Violations: []jsonViolation{}}
	for _, r := range results {
		for _, v := range r.all() {
			out.Violations = append(out.Violations, jsonViolation{v.Cassette, v.Index, v.Method, v.Path, v.Reason, v.Warning})
		}
	}
	return writeJSON(w, out)
}

func writeCoverageJSON(w io.Writer, c *conformance.Coverage) error {
	rows := c.Rows()
	covered := 0
	for _, r := range rows {
		if r.Covered {
			covered++
		}
	}
	return writeJSON(w, struct {
		Operations []conformance.CoverageRow `json:"operations"`
		Covered    int                       `json:"covered"`
		Total      int                       `json:"total"`
		Unmatched  int                       `json:"unmatched"` // interactions that match no operation
	}{rows, covered, len(rows), c.Unmatched()})
}

// JUnit XML, as CI systems read it: the Surefire/Jenkins schema
// (junit-10.xsd), which allows a failure element per violation, with the
// attributes and elements the Ant schema requires too (timestamp, hostname,
// id, package, properties, system-out, system-err), so that either reader
// accepts it.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Package    string          `xml:"package,attr"`
	ID         int             `xml:"id,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	Properties junitProperties `xml:"properties"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  string          `xml:"system-out"`
	SystemErr  string          `xml:"system-err"`
}

type junitProperties struct {
	Properties []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Time      string         `xml:"time,attr"`
	Failures  []junitFailure `xml:"failure"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// newJUnitSuite starts a suite; add cases, then finish it.
func newJUnitSuite(name, pkg string, properties ...junitProperty) junitSuite {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return junitSuite{
		Name: name, Package: pkg, Time: "0", Hostname: host,
		Timestamp:  time.Now().UTC().Format("2006-01-02T15:04:05"),
		Properties: junitProperties{Properties: properties},
	}
}

func writeJUnit(w io.Writer, name string, suites []junitSuite) error {
	out := junitSuites{Name: name, Time: "0", Suites: suites}
	for i := range out.Suites {
		s := &out.Suites[i]
		s.ID = i
		s.Tests = len(s.Cases)
		s.Failures = 0
		for _, c := range s.Cases {
			if len(c.Failures) > 0 {
				s.Failures++
			}
		}
		out.Tests += s.Tests
		out.Failures += s.Failures
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// classname is a cassette's name as JUnit readers group it: dots split
// packages from classes there, so the file's extension is left out.
func classname(prefix, path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return prefix + "." + strings.ReplaceAll(base, ".", "_")
}

func writeValidateJUnit(w io.Writer, results []cassetteResult) error {
	suites := make([]junitSuite, 0, len(results))
	for _, r := range results {
		suite := newJUnitSuite(r.path, "smooch-conformance.validate")
		class := classname("validate", r.path)
		if len(r.whole) > 0 {
			c := junitCase{Name: "cassette", Classname: class, Time: "0"}
			for _, v := range r.whole {
				c.Failures = append(c.Failures, junitFailure{Message: v.Reason, Type: "violation", Text: v.String()})
			}
			suite.Cases = append(suite.Cases, c)
		}
		for _, in := range r.interactions {
			c := junitCase{Name: "interaction " + strconv.Itoa(in.index) + ": " + in.method + " " + in.path, Classname: class, Time: "0"}
			for _, v := range in.violations {
				c.Failures = append(c.Failures, junitFailure{Message: v.Reason, Type: "violation", Text: v.String()})
			}
			suite.Cases = append(suite.Cases, c)
		}
		suites = append(suites, suite)
	}
	return writeJUnit(w, "smooch-conformance validate", suites)
}

func writeCoverageJUnit(w io.Writer, c *conformance.Coverage) error {
	suite := newJUnitSuite("coverage", "smooch-conformance.coverage")
	for _, row := range c.Rows() {
		tc := junitCase{Name: row.Operation + " " + row.Method + " " + row.Path, Classname: "coverage." + row.Operation, Time: "0"}
		if !row.Covered {
			msg := "not covered: " + row.Missing
			if row.Missing != "nothing" {
				msg += " interaction"
			}
			tc.Failures = append(tc.Failures, junitFailure{Message: msg, Type: "coverage",
				Text: fmt.Sprintf("%s (%s %s) needs a 2xx and an error interaction; statuses seen: %s", row.Operation, row.Method, row.Path, statusList(row.Statuses))})
		}
		suite.Cases = append(suite.Cases, tc)
	}
	if n := c.Unmatched(); n > 0 {
		suite.SystemOut = fmt.Sprintf("interactions that match no operation of the contract: %d", n)
	}
	return writeJUnit(w, "smooch-conformance coverage", []junitSuite{suite})
}

func statusList(statuses map[int]int) string {
	if len(statuses) == 0 {
		return "none"
	}
	codes := make([]int, 0, len(statuses))
	for s := range statuses {
		codes = append(codes, s)
	}
	slices.Sort(codes)
	parts := make([]string, len(codes))
	for i, s := range codes {
		parts[i] = strconv.Itoa(s)
	}
	return strings.Join(parts, " ")
}
