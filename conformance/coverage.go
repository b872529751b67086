package conformance

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

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
			id, err := checker.Operation(ExchangeOf(in))
			if err != nil {
				c.unknown++
				continue
			}
			c.Add(id, in.Response.Code)
		}
	}
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

// WriteTable prints one row per operation: its statuses with their counts
// ("201×3 400 404") and whether it is covered, then a summary line.
func (c *Coverage) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tMETHOD\tPATH\tSTATUSES\tCOVERED")
	covered := 0
	for _, op := range c.operations {
		statuses := make([]int, 0, len(op.statuses))
		for s := range op.statuses {
			statuses = append(statuses, s)
		}
		sort.Ints(statuses)
		cells := make([]string, 0, len(statuses))
		for _, s := range statuses {
			cell := strconv.Itoa(s)
			if n := op.statuses[s]; n > 1 {
				cell += "×" + strconv.Itoa(n)
			}
			cells = append(cells, cell)
		}
		success, failure := op.counts()
		verdict := "yes"
		switch {
		case success == 0 && failure == 0:
			verdict = "NO: nothing"
		case success == 0:
			verdict = "NO: no 2xx"
		case failure == 0:
			verdict = "NO: no error"
		default:
			covered++
		}
		if len(cells) == 0 {
			cells = []string{"-"}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", op.id, op.method, op.path, strings.Join(cells, " "), verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	summary := fmt.Sprintf("%d of %d operations covered (a 2xx and an error interaction each)", covered, len(c.operations))
	if c.unknown > 0 {
		summary += fmt.Sprintf("; %d interactions match no operation", c.unknown)
	}
	_, err := fmt.Fprintln(w, summary)
	return err
}
