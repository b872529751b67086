package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"sync"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/dnaeon/go-vcr/v2/recorder"
)

// MatchRequest is the replay matcher: same method, same URL, and bodies that
// are equal as JSON, once the live request is redacted the way the cassette
// was (so a request carrying a real credential matches its redacted recording).
// Bodies that are not JSON must be byte-equal. go-vcr's default matcher
// ignores bodies, which would let two creates with different arguments swap
// responses.
func MatchRequest(r *http.Request, recorded cassette.Request) bool {
	if r.Method != recorded.Method || redactURL(r.URL.String()) != redactURL(recorded.URL) {
		return false
	}
	body, err := readBody(r)
	if err != nil {
		return false
	}
	return JSONEqual(body, []byte(recorded.Body))
}

// JSONEqual reports whether a live body, redacted, equals a recorded one:
// as JSON values when both are JSON, byte for byte otherwise.
func JSONEqual(live, recorded []byte) bool {
	live, recorded = redactBody(live), redactBody(recorded)
	if len(bytes.TrimSpace(live)) == 0 || len(bytes.TrimSpace(recorded)) == 0 {
		return len(bytes.TrimSpace(live)) == len(bytes.TrimSpace(recorded))
	}
	var a, b any
	if json.Unmarshal(live, &a) != nil || json.Unmarshal(recorded, &b) != nil {
		return bytes.Equal(live, recorded)
	}
	return reflect.DeepEqual(a, b)
}

// readBody reads a request body and puts it back for the next reader.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, err
}

// Replayer is an http.RoundTripper that serves a cassette with go-vcr's
// recorder in replay mode, never touching the network. Each interaction
// answers at most one request, in order, matched by MatchRequest. It keeps
// what go-vcr does not tell: which requests found no interaction and which
// interactions were never asked for. Finish reports both.
type Replayer struct {
	path     string
	rec      *recorder.Recorder
	recorded []*cassette.Interaction // a copy of the cassette, to name interactions

	mu     sync.Mutex
	used   []bool
	misses []string
}

// NewReplayer replays the cassette file at path (ending in .yaml). A missing
// cassette is an error naming the file and how to record it.
func NewReplayer(path string) (*Replayer, error) {
	c, err := LoadCassette(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("conformance: no cassette %s; record it with SMOOCH_CONFORMANCE=record: %w", path, err)
		}
		return nil, err
	}
	rec, err := recorder.NewAsMode(strings.TrimSuffix(path, cassetteExt), recorder.ModeReplaying, nil)
	if err != nil {
		return nil, fmt.Errorf("conformance: replay %s: %w", path, err)
	}
	rec.SkipRequestLatency = true
	p := &Replayer{path: path, rec: rec, recorded: c.Interactions, used: make([]bool, len(c.Interactions))}
	rec.SetMatcher(p.match)
	return p, nil
}

// match wraps MatchRequest to learn which interaction go-vcr serves. go-vcr
// offers unused interactions in order and takes the first match, and matching
// depends only on the recorded request, so the first unused interaction with
// an equal recorded request is the one it served.
func (p *Replayer) match(r *http.Request, recorded cassette.Request) bool {
	if !MatchRequest(r, recorded) {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, in := range p.recorded {
		if !p.used[i] && reflect.DeepEqual(in.Request, recorded) {
			p.used[i] = true
			break
		}
	}
	return true
}

// RoundTrip serves req from the cassette. A request that matches no unused
// interaction is an error naming the request and the cassette.
func (p *Replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := p.rec.RoundTrip(req)
	if errors.Is(err, cassette.ErrInteractionNotFound) {
		body, _ := readBody(req)
		miss := fmt.Sprintf("%s %s %s", req.Method, redactURL(req.URL.String()), bytes.TrimSpace(redactBody(body)))
		p.mu.Lock()
		p.misses = append(p.misses, miss)
		p.mu.Unlock()
		return nil, fmt.Errorf("conformance: %s has no unused interaction for %s (re-record with SMOOCH_CONFORMANCE=record if the scenario changed)", p.path, miss)
	}
	return resp, err
}

// Unused lists the indexes of interactions no request asked for.
func (p *Replayer) Unused() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var unused []int
	for i, used := range p.used {
		if !used {
			unused = append(unused, i)
		}
	}
	return unused
}

// Finish reports, as one error, every request that found no interaction and
// every interaction that was never used: either means the scenario and its
// cassette disagree.
func (p *Replayer) Finish() error {
	p.mu.Lock()
	problems := make([]string, 0, len(p.misses))
	for _, m := range p.misses {
		problems = append(problems, "unmatched request: "+m)
	}
	p.mu.Unlock()
	for _, i := range p.Unused() {
		in := p.recorded[i]
		problems = append(problems, fmt.Sprintf("interaction %d never used: %s %s", i, in.Request.Method, in.Request.URL))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("conformance: %s:\n  %s", p.path, strings.Join(problems, "\n  "))
}

// NewRecorder records every request sent through it to the cassette file at
// path (ending in .yaml), passing it on to real. An existing file is removed
// first, because go-vcr v2 appends to a cassette it finds. Redact and
// Normalize run when the cassette is saved (Stop), followed by extra.
func NewRecorder(path string, real http.RoundTripper, extra ...cassette.Filter) (*recorder.Recorder, error) {
	if !strings.HasSuffix(path, cassetteExt) {
		return nil, fmt.Errorf("conformance: cassette %s must end in %s", path, cassetteExt)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	rec, err := recorder.NewAsMode(strings.TrimSuffix(path, cassetteExt), recorder.ModeRecording, real)
	if err != nil {
		return nil, fmt.Errorf("conformance: record %s: %w", path, err)
	}
	rec.AddSaveFilter(Redact)
	rec.AddSaveFilter(Normalize)
	for _, f := range extra {
		rec.AddSaveFilter(f)
	}
	return rec, nil
}
