package clienttest_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/smoochkit/smooch-go/smooch"
	"github.com/smoochkit/smooch-go/smooch/smoochtest"
)

var update = flag.Bool("update", false, "rewrite the README's fault matrix from faultMatrix (TestREADMEFaultMatrix)")

// Where a fault is served from: a bare TCP listener on loopback that writes raw bytes (it can do anything,
// including what no HTTP server library would), or smoochtest's fault injection (FailNext), which users of
// the package can reproduce in their own tests.
const (
	byRaw  = "raw TCP"
	byFake = "smoochtest"
)

// outcome is what one call of one method class does under a fault.
type outcome struct {
	attempts int  // requests the client sent (dials included): 1 means not retried
	ok       bool // the call succeeds
}

// faultRow is one fault of the matrix and what the client must do about it, for each method class. The
// README's table is rendered from these rows (TestREADMEFaultMatrix), so that it says what this test proves.
type faultRow struct {
	fault string // as the README names it
	by    string // byRaw or byFake

	raw         func(s *scriptServer, conn *net.TCPConn, req seenRequest) (keepAlive bool) // byRaw: the server's script
	refused     bool                                                                       // byRaw: nothing listens
	fake        func() smoochtest.Fault                                                    // byFake: the injected fault
	attemptTime time.Duration                                                              // the http.Client's Timeout, per attempt (0: none)

	get, put, del, post outcome
	creates             int           // POST: creates the server performed or may have performed (never more than 1)
	errType             string        // the error's type, found with errors.As: "*smooch.APIError", "*url.Error", …
	status              int           // for *smooch.APIError: its StatusCode
	errText             string        // in every failing call's message
	minElapsed          time.Duration // a lower bound on the call's duration (Retry-After honoured)
	// timeout: the error is a net.Error whose Timeout() is true. An attempt the client abandoned may not have
	// reached the server (on a loaded machine, not even its connection): the server sees at most as many
	// requests as the client made, and at most creates creates.
	timeout bool
}

func (r faultRow) outcome(method string) outcome {
	return map[string]outcome{http.MethodGet: r.get, http.MethodPut: r.put, http.MethodDelete: r.del, http.MethodPost: r.post}[method]
}

var (
	retried    = outcome{attempts: 1 + smooch.DefaultMaxRetries}
	notRetried = outcome{attempts: 1}
	succeeds   = outcome{attempts: 1, ok: true}
)

// hugeBody is far larger than any answer of the API (a page of 100 apps is tens of kilobytes), and than the
// 32 MiB the client reads.
const hugeBody = 40 << 20

// faultMatrix is every fault, for every method class: GET (Apps.Get), PUT (Apps.Update), DELETE (Apps.Delete),
// POST (Apps.Create). The client runs with its defaults (2 retries), but quick backoff.
func faultMatrix() []faultRow {
	status := func(code int, header map[string]string, body string) func(*scriptServer, *net.TCPConn, seenRequest) bool {
		return func(_ *scriptServer, conn *net.TCPConn, _ seenRequest) bool {
			h := map[string]string{"Content-Type": "application/json"}
			for k, v := range header {
				h[k] = v
			}
			answer := body
			if answer == "" && code >= 400 {
				answer = fmt.Sprintf(`{"error":{"code":"c%d","description":"scripted"}}`, code)
			}
			respond(conn, code, h, answer)
			return true
		}
	}
	inTwoSeconds := func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }
	inThreeSeconds := func() string { return time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat) }
	const html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
	apiErr := "*smooch.APIError"
	urlErr := "*url.Error"
	return []faultRow{
		{fault: "connection reset (RST once the request is read)", by: byRaw,
			raw: func(_ *scriptServer, conn *net.TCPConn, _ seenRequest) bool { reset(conn); return false },
			get: retried, put: retried, del: retried, post: notRetried, creates: 1, errType: urlErr, errText: "connection reset by peer"},
		{fault: "connection refused (nothing listens)", by: byRaw, refused: true,
			get: retried, put: retried, del: retried, post: retried, creates: 0, errType: urlErr, errText: "connection refused"},
		{fault: "no answer (read timeout: http.Client.Timeout 1s)", by: byRaw, attemptTime: time.Second,
			raw: func(s *scriptServer, _ *net.TCPConn, _ seenRequest) bool { s.hang(); return false },
			get: retried, put: retried, del: retried, post: notRetried, creates: 1, errType: urlErr, timeout: true},
		{fault: "429, Retry-After: 1 (seconds)", by: byRaw, raw: status(429, map[string]string{"Retry-After": "1"}, ""),
			get: retried, put: retried, del: retried, post: retried, creates: 0, errType: apiErr, status: 429, errText: "(retry after 1s)",
			minElapsed: 2 * time.Second},
		{fault: "429, Retry-After: an HTTP date 2s ahead", by: byRaw,
			raw: func(s *scriptServer, conn *net.TCPConn, r seenRequest) bool {
				return status(429, map[string]string{"Retry-After": inTwoSeconds()}, "")(s, conn, r)
			},
			get: retried, put: retried, del: retried, post: retried, creates: 0, errType: apiErr, status: 429, errText: "429 Too Many Requests",
			minElapsed: 2 * time.Second},
		{fault: "500", by: byRaw, raw: status(500, nil, ""),
			get: notRetried, put: notRetried, del: notRetried, post: notRetried, creates: 1, errType: apiErr, status: 500, errText: "500 Internal Server Error: c500: scripted"},
		{fault: "502", by: byRaw, raw: status(502, nil, ""),
			get: retried, put: retried, del: retried, post: notRetried, creates: 1, errType: apiErr, status: 502, errText: "502 Bad Gateway: c502: scripted"},
		{fault: "503", by: byRaw, raw: status(503, nil, ""),
			get: retried, put: retried, del: retried, post: notRetried, creates: 1, errType: apiErr, status: 503, errText: "503 Service Unavailable: c503: scripted"},
		{fault: "504", by: byRaw, raw: status(504, nil, ""),
			get: retried, put: retried, del: retried, post: notRetried, creates: 1, errType: apiErr, status: 504, errText: "504 Gateway Timeout: c504: scripted"},
		{fault: "truncated JSON (200, `{\"app\":{\"_id\":\"a1\",\"na`)", by: byRaw, raw: status(200, nil, `{"app":{"_id":"a1","na`),
			get: notRetried, put: notRetried, del: succeeds, post: notRetried, creates: 1, errType: "*json.SyntaxError",
			errText: "decoding the response: unexpected end of JSON input"},
		{fault: "HTML error page (502, text/html)", by: byRaw, raw: status(502, map[string]string{"Content-Type": "text/html"}, html),
			get: retried, put: retried, del: retried, post: notRetried, creates: 1, errType: apiErr, status: 502,
			errText: `502 Bad Gateway: "<html><head><title>502 Bad Gateway</title>`},
		{fault: "empty body (200)", by: byRaw, raw: status(200, nil, ""),
			get: notRetried, put: notRetried, del: succeeds, post: notRetried, creates: 1, errType: "*json.SyntaxError",
			errText: "decoding the response: unexpected end of JSON input"},
		{fault: "connection closed mid-body (200, Content-Length not reached)", by: byRaw,
			raw: func(_ *scriptServer, conn *net.TCPConn, _ seenRequest) bool {
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"app\":")
				return false
			},
			get: notRetried, put: notRetried, del: notRetried, post: notRetried, creates: 1, errType: "error",
			errText: "reading the response: unexpected EOF"},
		{fault: fmt.Sprintf("body of %d MiB (200)", hugeBody>>20), by: byRaw,
			raw: func(_ *scriptServer, conn *net.TCPConn, _ seenRequest) bool {
				_, _ = fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", hugeBody)
				chunk := []byte(strings.Repeat(" ", 64<<10))
				for sent := 0; sent < hugeBody; sent += len(chunk) {
					if _, err := conn.Write(chunk); err != nil {
						return false
					}
				}
				return true
			},
			get: notRetried, put: notRetried, del: notRetried, post: notRetried, creates: 1, errType: "error",
			errText: "the response is larger than 32 MiB"},

		{fault: "dropped connection (Fault{DropConnection: true})", by: byFake,
			fake: func() smoochtest.Fault { return smoochtest.Fault{DropConnection: true} },
			get:  retried, put: retried, del: retried, post: notRetried, creates: 0, errType: urlErr, errText: "EOF"},
		{fault: "no answer (Fault{Delay: time.Hour}, http.Client.Timeout 1s)", by: byFake, attemptTime: time.Second,
			fake: func() smoochtest.Fault { return smoochtest.Fault{Delay: time.Hour} },
			get:  retried, put: retried, del: retried, post: notRetried, creates: 0, errType: urlErr, timeout: true},
		{fault: `429, Fault{RetryAfter: "1"}`, by: byFake,
			fake: func() smoochtest.Fault { return smoochtest.Fault{Status: 429, RetryAfter: "1"} },
			get:  retried, put: retried, del: retried, post: retried, creates: 0, errType: apiErr, status: 429,
			errText: "429 Too Many Requests: too_many_requests: Injected fault: Too Many Requests (retry after 1s)", minElapsed: 2 * time.Second},
		{fault: "429, Fault{RetryAfter: an HTTP date 3s ahead}", by: byFake,
			fake: func() smoochtest.Fault { return smoochtest.Fault{Status: 429, RetryAfter: inThreeSeconds()} },
			get:  retried, put: retried, del: retried, post: retried, creates: 0, errType: apiErr, status: 429,
			errText: "429 Too Many Requests: too_many_requests", minElapsed: time.Second},
		{fault: "500 (Fault{Status: 500})", by: byFake, fake: func() smoochtest.Fault { return smoochtest.Fault{Status: 500} },
			get: notRetried, put: notRetried, del: notRetried, post: notRetried, creates: 0, errType: apiErr, status: 500,
			errText: "500 Internal Server Error: internal_server_error"},
		{fault: "502 (Fault{Status: 502})", by: byFake, fake: func() smoochtest.Fault { return smoochtest.Fault{Status: 502} },
			get: retried, put: retried, del: retried, post: notRetried, creates: 0, errType: apiErr, status: 502, errText: "502 Bad Gateway: bad_gateway"},
		{fault: "503 (Fault{Status: 503})", by: byFake, fake: func() smoochtest.Fault { return smoochtest.Fault{Status: 503} },
			get: retried, put: retried, del: retried, post: notRetried, creates: 0, errType: apiErr, status: 503,
			errText: "503 Service Unavailable: service_unavailable"},
		{fault: "504 (Fault{Status: 504})", by: byFake, fake: func() smoochtest.Fault { return smoochtest.Fault{Status: 504} },
			get: retried, put: retried, del: retried, post: notRetried, creates: 0, errType: apiErr, status: 504,
			errText: "504 Gateway Timeout: gateway_timeout"},
	}
}

// operationOf is the contract's operationId of a method class's call (callClass).
var operationOf = map[string]string{http.MethodGet: "getApp", http.MethodPut: "updateApp", http.MethodDelete: "deleteApp", http.MethodPost: "createApp"}

// cellResult is what happened in one cell.
type cellResult struct {
	err      error
	attempts int // round trips the client made
	received int // requests the server received
	creates  int // POST: creates the server performed or may have performed
	elapsed  time.Duration
	setup    error // the cell could not be run
}

// countingTransport counts the client's attempts, on a transport of its own, so that no connection is shared
// between cells (nor reused by net/http's own retry of a request on a stale connection).
type countingTransport struct {
	base *http.Transport
	n    atomic.Int32
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.n.Add(1)
	return ct.base.RoundTrip(r)
}

// runCell runs one cell. It runs on a goroutine of its own, so it reports trouble in the result rather than
// with t.Fatal.
func runCell(t *testing.T, row faultRow, method string) (res cellResult) {
	ct := &countingTransport{base: &http.Transport{}}
	t.Cleanup(ct.base.CloseIdleConnections)
	hc := &http.Client{Transport: ct, Timeout: row.attemptTime}
	opts := []smooch.Option{smooch.WithHTTPClient(hc), smooch.WithBackoff(time.Millisecond, smooch.DefaultMaxDelay)}
	// A bound for the whole cell, far above any row's duration: a call that hangs fails the cell, not the run.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	switch row.by {
	case byRaw:
		base := ""
		var s *scriptServer
		if row.refused {
			addr, err := refusingAddr(t)
			if err != nil {
				res.setup = err
				return res
			}
			base = "http://" + addr
		} else {
			s = newScriptServer(t, nil)
			s.script = func(conn *net.TCPConn, req seenRequest) bool { return row.raw(s, conn, req) }
			base = s.url
		}
		c, err := smooch.New(accountCreds(), append(opts, smooch.WithBaseURL(base))...)
		if err != nil {
			res.setup = err
			return res
		}
		start := time.Now()
		res.err = callClass(ctx, c, method)
		res.elapsed = time.Since(start)
		if s != nil {
			res.received = eventually(row.outcome(method).attempts, func() int { return len(s.requests()) })
			if method == http.MethodPost && row.status != http.StatusTooManyRequests {
				res.creates = res.received // a create that reached the server may have been performed
			}
		}
	case byFake:
		srv := smoochtest.NewServer(smoochtest.WithoutWebhookVerification())
		t.Cleanup(srv.Close)
		key := srv.AccountKey()
		c, err := smooch.New(smooch.AccountKey(key.ID, key.Secret), append(opts, smooch.WithBaseURL(srv.URL))...)
		if err != nil {
			res.setup = err
			return res
		}
		op := operationOf[method]
		const queued = 10 // more than any call makes: every attempt meets the fault
		srv.FailNext(op, queued, row.fake())
		start := time.Now()
		res.err = callClass(ctx, c, method)
		res.elapsed = time.Since(start)
		res.received = eventually(row.outcome(method).attempts, func() int { return queued - srv.PendingFaults(op) })
		res.attempts = int(ct.n.Load()) // before the listing below
		srv.ClearFaults()
		if method == http.MethodPost {
			page, err := c.Apps.List(context.Background(), nil)
			if err != nil {
				res.setup = fmt.Errorf("listing the apps created: %w", err)
				return res
			}
			res.creates = len(page.Items)
		}
	}
	if res.attempts == 0 {
		res.attempts = int(ct.n.Load())
	}
	return res
}

// eventually returns count() once it reaches want, or after 10s: a request the client gave up on (a
// timeout) may reach the server's goroutine a little after the call returned, on a loaded machine.
func eventually(want int, count func() int) int {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if n := count(); n >= want {
			return n
		}
		time.Sleep(5 * time.Millisecond)
	}
	return count()
}

// TestFaultMatrix runs every fault of faultMatrix against every method class, all cells at once (the
// Retry-After rows wait seconds), then checks each: how many attempts (retried or not), the server saw as
// many, the error's type and message, and for POST that the server saw at most one create.
func TestFaultMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (every fault of the README matrix against every operation class): make test-e2e runs it")
	}
	rows := faultMatrix()
	results := make([][]cellResult, len(rows))
	var wg sync.WaitGroup
	for i, row := range rows {
		results[i] = make([]cellResult, len(methodClasses))
		for j, method := range methodClasses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i][j] = runCell(t, row, method)
			}()
		}
	}
	wg.Wait()

	for i, row := range rows {
		for j, method := range methodClasses {
			t.Run(row.by+"/"+row.fault+"/"+method, func(t *testing.T) {
				want, got := row.outcome(method), results[i][j]
				require.NoError(t, got.setup)
				t.Logf("%d attempts, %v: %v", got.attempts, got.elapsed, got.err)
				assert.Equal(t, want.attempts, got.attempts, "attempts (1: not retried)")
				switch {
				case row.refused:
					assert.Zero(t, got.received)
				case row.timeout:
					assert.LessOrEqual(t, got.received, want.attempts, "requests the server received")
				default:
					assert.Equal(t, want.attempts, got.received, "requests the server received")
				}
				if method == http.MethodPost {
					if row.timeout {
						assert.LessOrEqual(t, got.creates, row.creates, "creates")
					} else {
						assert.Equal(t, row.creates, got.creates, "creates")
					}
					assert.LessOrEqual(t, got.creates, 1, "a create is never sent twice")
				}
				assert.GreaterOrEqual(t, got.elapsed, row.minElapsed, "Retry-After is honoured")
				if want.ok {
					assert.NoError(t, got.err)
					return
				}
				require.Error(t, got.err)
				assert.Contains(t, got.err.Error(), row.errText)
				assert.True(t, strings.HasPrefix(got.err.Error(), "smooch: "), "%q names the package", got.err)
				assert.Equal(t, row.errType, errorType(got.err), "%v", got.err)
				if row.timeout {
					var ne net.Error
					assert.True(t, errors.As(got.err, &ne) && ne.Timeout(), "%v is a timeout", got.err)
				}
				var apiErr *smooch.APIError
				if errors.As(got.err, &apiErr) {
					assert.Equal(t, row.status, apiErr.StatusCode)
				}
			})
		}
	}
}

// errorType is the most specific of the types a caller would look for with errors.As, or "error" for an
// error that is none of them.
func errorType(err error) string {
	var apiErr *smooch.APIError
	var urlErr *url.Error
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &apiErr):
		return "*smooch.APIError"
	case errors.As(err, &urlErr):
		return "*url.Error"
	case errors.As(err, &syntaxErr):
		return "*json.SyntaxError"
	}
	return "error"
}

// The README's fault matrix sits between these lines.
const (
	matrixBegin = "<!-- fault matrix: generated from internal/clienttest/faultmatrix_test.go by `go test ./internal/clienttest -run TestREADMEFaultMatrix -update`; do not edit -->"
	matrixEnd   = "<!-- end of fault matrix -->"
)

// renderFaultMatrix is the README's table of rows.
func renderFaultMatrix(rows []faultRow) string {
	cell := func(row faultRow, method string) string {
		o := row.outcome(method)
		var s string
		switch {
		case o.ok:
			s = "succeeds"
		case o.attempts == 1:
			s = "not retried"
		default:
			s = fmt.Sprintf("retried: %d attempts", o.attempts)
		}
		if method == http.MethodPost {
			at := ""
			if row.timeout && row.creates > 0 {
				at = "≤ "
			}
			s += fmt.Sprintf("; %s%d create", at, row.creates)
			if row.creates != 1 {
				s += "s"
			}
		}
		return s
	}
	var b strings.Builder
	b.WriteString("| Fault | Served by | GET | PUT | DELETE | POST | Error |\n|---|---|---|---|---|---|---|\n")
	for _, row := range rows {
		errText := strings.ReplaceAll(row.errText, "|", `\|`)
		errCol := fmt.Sprintf("`%s`", row.errType)
		if row.status != 0 {
			errCol = fmt.Sprintf("`%s` %d", row.errType, row.status)
		}
		if row.timeout {
			errCol += ", `Timeout()` true"
		}
		if errText != "" {
			errCol += ": …" + strings.ReplaceAll(errText, "`", "'") + "…"
		}
		fault := strings.ReplaceAll(row.fault, "|", `\|`)
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", fault, row.by,
			cell(row, http.MethodGet), cell(row, http.MethodPut), cell(row, http.MethodDelete), cell(row, http.MethodPost), errCol)
	}
	return b.String()
}

// TestREADMEFaultMatrix keeps the README's fault matrix equal to faultMatrix, the table TestFaultMatrix
// proves. After changing the table: go test ./internal/clienttest -run TestREADMEFaultMatrix -update.
func TestREADMEFaultMatrix(t *testing.T) {
	path := filepath.Join(repoRoot, "README.md")
	readme, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(readme)
	begin, end := strings.Index(text, matrixBegin), strings.Index(text, matrixEnd)
	require.True(t, begin >= 0 && end > begin, "README.md has no fault matrix between %q and %q", matrixBegin, matrixEnd)
	want := matrixBegin + "\n\n" + renderFaultMatrix(faultMatrix()) + "\n" + matrixEnd
	got := text[begin : end+len(matrixEnd)]
	if got == want {
		return
	}
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(text[:begin]+want+text[end+len(matrixEnd):]), 0o644))
		t.Log("README.md: fault matrix rewritten")
		return
	}
	t.Errorf("README.md's fault matrix differs from faultMatrix in internal/clienttest/faultmatrix_test.go: run\n\tgo test ./internal/clienttest -run TestREADMEFaultMatrix -update\nwant:\n%s", want)
}
