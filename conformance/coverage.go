package conformance

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/getkin/kin-openapi/openapi3"
)

// Coverage counts the interactions per contract operation and status code.
type Coverage struct {
	operations []coveredOperation
	byID       map[string]*coveredOperation
	unknown    int
}

type coveredOperation struct {
	id, method, path string
	statuses         map[int]int
}

var methodOrder = map[string]int{"POST": 0, "GET": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}

// NewCoverage starts an empty report over every operation of doc.
func NewCoverage(doc *openapi3.T) *Coverage {
	c := &Coverage{byID: map[string]*coveredOperation{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			c.operations = append(c.operations, coveredOperation{id: op.OperationID, method: method, path: path, statuses: map[int]int{}})
		}
	}
	sort.Slice(c.operations, func(i, j int) bool {
		a, b := c.operations[i], c.operations[j]
		if a.path != b.path {
			return a.path < b.path
		}
		return methodOrder[a.method] < methodOrder[b.method]
	})
	for i := range c.operations {
		c.byID[c.operations[i].id] = &c.operations[i]
	}
	return c
}

// Add counts one interaction of operation answered with status. An
// operation the contract does not have is counted apart.
func (c *Coverage) Add(operation string, status int) {
	op, ok := c.byID[operation]
	if !ok {
		c.unknown++
		return
	}
	op.statuses[status]++
}

// AddCassettes counts every interaction of cassettes; interactions that
// route to no operation are counted apart.
func (c *Coverage) AddCassettes(checker *Checker, cassettes []*Cassette) {
	for _, cas := range cassettes {
		for _, in := range cas.Interactions {
			c.AddInteraction(checker, in)
		}
	}
}

// AddInteraction counts one interaction, or counts it apart when it routes to no operation.
func (c *Coverage) AddInteraction(checker *Checker, in *cassette.Interaction) {
	id, err := checker.Operation(ExchangeOf(in))
	if err != nil {
		c.unknown++
		return
	}
	c.Add(id, in.Response.Code)
}

// Gaps lists the operations without a 2xx interaction or without any error
// (4xx or 5xx) interaction, one line each. Empty means fully covered.
func (c *Coverage) Gaps() []string {
	var gaps []string
	for _, op := range c.operations {
		success, failure := op.counts()
		var missing []string
		if success == 0 {
			missing = append(missing, "no 2xx interaction")
		}
		if failure == 0 {
			missing = append(missing, "no error interaction")
		}
		if len(missing) > 0 {
			gaps = append(gaps, fmt.Sprintf("%s (%s %s): %s", op.id, op.method, op.path, strings.Join(missing, ", ")))
		}
	}
	return gaps
}

func (op *coveredOperation) counts() (success, failure int) {
	for status, n := range op.statuses {
		switch {
		case status >= 200 && status < 300:
			success += n
		case status >= 400:
			failure += n
		}
	}
	return success, failure
}

// CoverageRow is one operation's line of the coverage report.
type CoverageRow struct {
	Operation string      `json:"operation"`
	Method    string      `json:"method"`
	Path      string      `json:"path"`
	Statuses  map[int]int `json:"statuses"` // interactions per status code
	Covered   bool        `json:"covered"`  // a 2xx and an error interaction
	// Missing says what is missing when not covered: "nothing", "no 2xx" or "no error".
	Missing string `json:"missing,omitempty"`
}

// Rows is the report, one row per operation of the contract, in the table's order.
func (c *Coverage) Rows() []CoverageRow {
	rows := make([]CoverageRow, 0, len(c.operations))
	for _, op := range c.operations {
		statuses := make(map[int]int, len(op.statuses))
		for s, n := range op.statuses {
			statuses[s] = n
		}
		row := CoverageRow{Operation: op.id, Method: op.method, Path: op.path, Statuses: statuses, Covered: true}
		success, failure := op.counts()
		switch {
		case success == 0 && failure == 0:
			row.Covered, row.Missing = false, "nothing"
		case success == 0:
			row.Covered, row.Missing = false, "no 2xx"
		case failure == 0:
			row.Covered, row.Missing = false, "no error"
		}
		rows = append(rows, row)
	}
	return rows
}

// Unmatched is how many interactions matched no operation of the contract.
func (c *Coverage) Unmatched() int { return c.unknown }

// WriteTable prints one row per operation: its statuses with their counts
// ("201×3 400 404") and whether it is covered, then a summary line.
func (c *Coverage) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tMETHOD\tPATH\tSTATUSES\tCOVERED")
	covered := 0
	rows := c.Rows()
	for _, row := range rows {
		statuses := make([]int, 0, len(row.Statuses))
		for s := range row.Statuses {
			statuses = append(statuses, s)
		}
		sort.Ints(statuses)
		cells := make([]string, 0, len(statuses))
		for _, s := range statuses {
			cell := strconv.Itoa(s)
			if n := row.Statuses[s]; n > 1 {
				cell += "×" + strconv.Itoa(n)
			}
			cells = append(cells, cell)
		}
		verdict := "yes"
		if row.Covered {
			covered++
		} else {
			verdict = "NO: " + row.Missing
		}
		if len(cells) == 0 {
			cells = []string{"-"}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", row.Operation, row.Method, row.Path, strings.Join(cells, " "), verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	summary := fmt.Sprintf("%d of %d operations covered (a 2xx and an error interaction each)", covered, len(rows))
	if c.unknown > 0 {
		verb := "match"
		if c.unknown == 1 {
			verb = "matches"
		}
		summary += fmt.Sprintf("; %s %s no operation", plural(c.unknown, "interaction"), verb)
	}
	_, err := fmt.Fprintln(w, summary)
	return err
}

// plural is "1 violation", "2 violations".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
