package smoochtest

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A Fault is what an injected failure does to one call. Set Status to answer
// with that error status (and the documented error body), Delay to hold the
// call before answering, DropConnection to close the connection without an
// answer. Delay combines with either of the others (not Status with
// DropConnection); a Fault with only a Delay delays the call and then serves
// it normally. A call whose client gives up during the Delay is not served.
//
// Without AfterServing a fault stands for a proxy or an overloaded front end:
// it hits the request, before authentication and validation, and nothing is
// performed. With AfterServing it hits the answer: the call is served first
// (a create is performed), then its answer is delayed, replaced or lost. A
// client cannot tell the two apart, which is what smooch.ErrMaybePerformed
// tells its caller; AfterServing lets a test check what the caller does then.
type Fault struct {
	// Status is the error status to answer with: one the operation declares
	// in the contract (400, 401, 403, 404, 409, 413, 429 as declared, or any
	// 5xx), so that a faulted answer still speaks the contract.
	Status int
	// RetryAfter is sent as the Retry-After header with Status, e.g. "1" or
	// an HTTP date: on a 429, as the contract declares, or on a 503, as a
	// server in maintenance may send it.
	RetryAfter string
	// Description overrides the error body's description.
	Description string
	// Delay holds the call this long (or until the client gives up): before
	// it is served, or with AfterServing, after it was served and before its
	// answer (a create performed, whose answer the client waits for in vain).
	Delay time.Duration
	// DropConnection closes the connection without writing a response.
	DropConnection bool
	// AfterServing serves the call as without a fault (authenticated,
	// validated, performed), then applies the fault to its answer: Delay holds
	// it, Status replaces it (a gateway's 504 after the API acted),
	// DropConnection loses it (the connection broke on the way back).
	AfterServing bool
}

// faultRule is one FailNext, FailCall or FailMatching: the calls of an
// operation it claims, and how many more it will.
type faultRule struct {
	fault Fault
	left  int                      // faults still to serve
	match func(*http.Request) bool // FailMatching: the calls it claims; nil claims every call
	skip  int                      // FailCall: calls to let through before its one
}

type faultQueue struct {
	mu    sync.Mutex
	rules map[string][]*faultRule // by operationId, in the order they were added
}

func (q *faultQueue) init() { q.rules = map[string][]*faultRule{} }

func (q *faultQueue) add(op string, r *faultRule) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rules[op] = append(q.rules[op], r)
}

// take finds the fault for a call of op: that of the first rule, in the order
// they were added, that claims it. Every FailCall rule counts the call, claimed
// or not. The predicates of FailMatching rules run without the lock, so that
// they may call the Server.
func (q *faultQueue) take(op string, r *http.Request) (Fault, bool) {
	q.mu.Lock()
	rules := slices.Clone(q.rules[op])
	due := map[*faultRule]bool{}
	var predicates []*faultRule
	for _, rule := range rules {
		switch {
		case rule.match != nil:
			predicates = append(predicates, rule)
		case rule.skip > 0:
			rule.skip--
		default:
			due[rule] = true
		}
	}
	q.mu.Unlock()
	for _, rule := range predicates {
		if matches(rule.match, r) {
			due[rule] = true
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, rule := range rules {
		if !due[rule] || rule.left == 0 {
			continue // not this call's, or claimed meanwhile by a concurrent call
		}
		rule.left--
		if rule.left == 0 {
			q.rules[op] = slices.DeleteFunc(q.rules[op], func(x *faultRule) bool { return x == rule })
			if len(q.rules[op]) == 0 {
				delete(q.rules, op)
			}
		}
		return rule.fault, true
	}
	return Fault{}, false
}

// matches runs a FailMatching predicate on r with a body it may read: the
// call is served with the body as it came.
func matches(match func(*http.Request) bool, r *http.Request) bool {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		body, _ = io.ReadAll(r.Body) // an in-memory reader: limitBody read it
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	probe := r.Clone(r.Context())
	probe.Body = io.NopCloser(bytes.NewReader(body))
	return match(probe)
}

// FailNext makes the next n calls to the operation suffer f, after the calls
// the faults already queued for it claim. An operation is named by the
// contract's operationId, e.g. "createApp" for smooch's Apps.Create: the
// package documentation lists them all ("Operations"). It panics on an
// unknown operation, n < 1, an empty Fault, a status the operation does not
// declare, RetryAfter without a Status, or both Status and DropConnection.
//
//	srv.FailNext("createApp", 2, smoochtest.Fault{Status: 503})
//	srv.FailNext("listApps", 1, smoochtest.Fault{Status: 429, RetryAfter: "1"})
//	srv.FailNext("createApp", 1, smoochtest.Fault{AfterServing: true, DropConnection: true}) // created, answer lost
func (s *Server) FailNext(operationID string, n int, f Fault) {
	s.checkFault("FailNext", operationID, f)
	if n < 1 {
		panic(fmt.Sprintf("smoochtest: FailNext(%q): n must be at least 1, got %d", operationID, n))
	}
	s.faults.add(operationID, &faultRule{fault: f, left: n})
}

// FailCall makes one call to the operation suffer f: the call-th from now on,
// counting every call to it (1 is the next, as FailNext(op, 1, f)); the calls
// before it are served as faults queued earlier decide, and should one of
// those claim the call-th too, f hits the next call they leave. It panics as
// FailNext does, and on call < 1.
//
//	srv.FailCall("createIntegration", 2, smoochtest.Fault{Status: 503}) // the second of two creates fails
func (s *Server) FailCall(operationID string, call int, f Fault) {
	s.checkFault("FailCall", operationID, f)
	if call < 1 {
		panic(fmt.Sprintf("smoochtest: FailCall(%q): call must be at least 1 (the next call), got %d", operationID, call))
	}
	s.faults.add(operationID, &faultRule{fault: f, left: 1, skip: call - 1})
}

// FailMatching makes the next n calls to the operation for which match
// reports true suffer f; the others are served as usual. match sees the
// request as it arrived, before authentication and validation, and may read
// its body (the call gets it whole); it runs on the server's goroutines, for
// every call of the operation until its n faults are served. It panics as
// FailNext does, and on a nil match.
//
//	srv.FailMatching("createIntegration", func(r *http.Request) bool {
//		body, _ := io.ReadAll(r.Body)
//		return bytes.Contains(body, []byte(`"type":"telegram"`))
//	}, 1, smoochtest.Fault{Status: 400})
func (s *Server) FailMatching(operationID string, match func(r *http.Request) bool, n int, f Fault) {
	s.checkFault("FailMatching", operationID, f)
	if match == nil {
		panic(fmt.Sprintf("smoochtest: FailMatching(%q): match is nil", operationID))
	}
	if n < 1 {
		panic(fmt.Sprintf("smoochtest: FailMatching(%q): n must be at least 1, got %d", operationID, n))
	}
	s.faults.add(operationID, &faultRule{fault: f, left: n, match: match})
}

// checkFault panics on a fault that cannot be served.
func (s *Server) checkFault(method, operationID string, f Fault) {
	if _, ok := s.policies[operationID]; !ok {
		ids := slices.Sorted(maps.Keys(s.policies))
		panic(fmt.Sprintf("smoochtest: %s: no operation %q in the contract: want its operationId, one of %s", method, operationID, strings.Join(ids, ", ")))
	}
	if f.Status == 0 && f.Delay <= 0 && !f.DropConnection {
		panic(fmt.Sprintf("smoochtest: %s(%q): the Fault does nothing; set Status, Delay or DropConnection", method, operationID))
	}
	if f.Status != 0 && !s.declaresStatus(operationID, f.Status) {
		panic(fmt.Sprintf("smoochtest: %s(%q): the contract declares no %d response for it", method, operationID, f.Status))
	}
	if f.RetryAfter != "" && f.Status == 0 {
		panic(fmt.Sprintf("smoochtest: %s(%q): RetryAfter needs a Status to answer with", method, operationID))
	}
	if f.Status != 0 && f.DropConnection {
		panic(fmt.Sprintf("smoochtest: %s(%q): a dropped connection answers no status; set Status or DropConnection", method, operationID))
	}
}

// PendingFaults is how many faults queued for the operation have not met a
// call yet: 0 once a client under test has made every call it was expected
// to, e.g. as many retries as faults.
func (s *Server) PendingFaults(operationID string) int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	n := 0
	for _, rule := range s.faults.rules[operationID] {
		n += rule.left
	}
	return n
}

// ClearFaults drops every fault not yet served.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	clear(s.faults.rules)
}

func (s *Server) declaresStatus(operationID string, status int) bool {
	if status < 400 || status > 599 {
		return false
	}
	for _, item := range s.validator.Doc().Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID != operationID || op.Responses == nil {
				continue
			}
			codes := []string{strconv.Itoa(status), strconv.Itoa(status/100) + "XX"}
			return slices.ContainsFunc(codes, func(c string) bool { return op.Responses.Value(c) != nil })
		}
	}
	return false
}

func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.faults.take(operationID(r), r)
		switch {
		case !ok:
			next.ServeHTTP(w, r)
		case f.AfterServing:
			answer := &heldAnswer{header: http.Header{}}
			next.ServeHTTP(answer, r)
			if !hold(r, f.Delay) {
				return
			}
			if f.Status == 0 && !f.DropConnection {
				answer.sendTo(w)
				return
			}
			fail(w, f)
		default:
			if !hold(r, f.Delay) {
				return
			}
			if f.Status == 0 && !f.DropConnection {
				next.ServeHTTP(w, r)
				return
			}
			fail(w, f)
		}
	})
}

// hold waits d, and reports false if the client gave up meanwhile.
func hold(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// fail answers with f's status, or drops the connection.
func fail(w http.ResponseWriter, f Fault) {
	if f.DropConnection {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			// HTTP/2 or an in-process recorder: abort the handler instead,
			// which net/http turns into a reset stream or closed connection.
			panic(http.ErrAbortHandler)
		}
		_ = conn.Close()
		return
	}
	e := newError(f.Status, "Injected fault: %s", http.StatusText(f.Status))
	if f.Description != "" {
		e.Description = f.Description
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	writeError(w, e)
}

// heldAnswer is a served call's answer, kept until an AfterServing fault
// decides what becomes of it.
type heldAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (a *heldAnswer) Header() http.Header { return a.header }

func (a *heldAnswer) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

func (a *heldAnswer) Write(b []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(b)
}

func (a *heldAnswer) sendTo(w http.ResponseWriter) {
	maps.Copy(w.Header(), a.header)
	w.WriteHeader(cmp.Or(a.status, http.StatusOK))
	_, _ = w.Write(a.body.Bytes())
}
