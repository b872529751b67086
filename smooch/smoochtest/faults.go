package smoochtest

import (
	"fmt"
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
	// Delay holds the call this long (or until the client gives up).
	Delay time.Duration
	// DropConnection closes the connection without writing a response.
	DropConnection bool
}

type faultQueue struct {
	mu      sync.Mutex
	pending map[string][]Fault // by operationId
}

func (q *faultQueue) init() { q.pending = map[string][]Fault{} }

func (q *faultQueue) take(op string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	fs := q.pending[op]
	if len(fs) == 0 {
		return Fault{}, false
	}
	f := fs[0]
	if len(fs) == 1 {
		delete(q.pending, op)
	} else {
		q.pending[op] = fs[1:]
	}
	return f, true
}

// FailNext makes the next n calls to the operation (by the contract's
// operationId, e.g. "createApp" for smooch's Apps.Create) suffer f, after any faults already queued
// for it. Faults apply before validation and authentication, as a proxy or
// overloaded front end would. It panics on an unknown operation, n < 1, an
// empty Fault, a status the operation does not declare, RetryAfter without a
// Status, or both Status and DropConnection.
//
//	srv.FailNext("createApp", 2, smoochtest.Fault{Status: 503})
//	srv.FailNext("listApps", 1, smoochtest.Fault{Status: 429, RetryAfter: "1"})
func (s *Server) FailNext(operationID string, n int, f Fault) {
	if _, ok := s.policies[operationID]; !ok {
		ids := slices.Sorted(maps.Keys(s.policies))
		panic(fmt.Sprintf("smoochtest: FailNext: no operation %q in the contract: want its operationId, one of %s", operationID, strings.Join(ids, ", ")))
	}
	if n < 1 {
		panic(fmt.Sprintf("smoochtest: FailNext(%q): n must be at least 1, got %d", operationID, n))
	}
	if f.Status == 0 && f.Delay <= 0 && !f.DropConnection {
		panic(fmt.Sprintf("smoochtest: FailNext(%q): the Fault does nothing; set Status, Delay or DropConnection", operationID))
	}
	if f.Status != 0 && !s.declaresStatus(operationID, f.Status) {
		panic(fmt.Sprintf("smoochtest: FailNext(%q): the contract declares no %d response for it", operationID, f.Status))
	}
	if f.RetryAfter != "" && f.Status == 0 {
		panic(fmt.Sprintf("smoochtest: FailNext(%q): RetryAfter needs a Status to answer with", operationID))
	}
	if f.Status != 0 && f.DropConnection {
		panic(fmt.Sprintf("smoochtest: FailNext(%q): a dropped connection answers no status; set Status or DropConnection", operationID))
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	for range n {
		s.faults.pending[operationID] = append(s.faults.pending[operationID], f)
	}
}

// PendingFaults is how many faults queued for the operation have not met a
// call yet: 0 once a client under test has made every call it was expected
// to, e.g. as many retries as faults.
func (s *Server) PendingFaults(operationID string) int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return len(s.faults.pending[operationID])
}

// ClearFaults drops every fault not yet served.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	clear(s.faults.pending)
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
		f, ok := s.faults.take(operationID(r))
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.Delay > 0 {
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		switch {
		case f.DropConnection:
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				// HTTP/2 or an in-process recorder: abort the handler instead,
				// which net/http turns into a reset stream or closed connection.
				panic(http.ErrAbortHandler)
			}
			_ = conn.Close()
		case f.Status != 0:
			e := newError(f.Status, "Injected fault: %s", http.StatusText(f.Status))
			if f.Description != "" {
				e.Description = f.Description
			}
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			writeError(w, e)
		default:
			next.ServeHTTP(w, r)
		}
	})
}
