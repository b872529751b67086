package smooch

import (
	"math/big"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestRetryAfterNeverWrapsAround: a Retry-After of more seconds than a time.Duration holds used to overflow,
// so that "wait 584 years" (18446744074 seconds) read as 290ms and was retried at once, and larger values
// read as negative waits. They now read as the longest Duration: beyond any backoff cap, so never waited for.
func TestRetryAfterNeverWrapsAround(t *testing.T) {
	p := retryPolicy{maxRetries: 2, baseDelay: time.Millisecond, maxDelay: DefaultMaxDelay}
	for _, v := range []string{"9223372037", "18446744074", "92233720368", "99999999999999999999999999"} {
		d, ok := parseRetryAfter(v, time.Now())
		if !(ok) {
			t.Errorf("%s", v)
		}
		if !reflect.DeepEqual(d, maxRetryAfter) {
			t.Errorf("%s: got %v, want %v", v, d, maxRetryAfter)
		}
		_, wait := p.delay(0, &http.Response{Header: http.Header{"Retry-After": {v}}}, time.Now())
		if wait {
			t.Errorf("Retry-After %s is beyond the cap: not waited for", v)
		}
	}
	d, ok := parseRetryAfter("9223372036", time.Now()) // the largest number of seconds a Duration holds
	if !(ok) {
		t.Errorf("parseRetryAfter(%q) does not parse the largest number of seconds a Duration holds", "9223372036")
	}
	if !reflect.DeepEqual(d, 9223372036*time.Second) {
		t.Errorf("got %v, want %v", d, 9223372036*time.Second)
	}
	for _, v := range []string{"+5", "5s", "1e3", "0x10", "- 1", "1.5"} {
		_, ok := parseRetryAfter(v, time.Now())
		if ok {
			t.Errorf("%q is neither delay-seconds nor an HTTP date", v)
		}
	}
}

// FuzzParseRetryAfter: whatever a server sends as Retry-After, the wait is never negative; delay-seconds read
// as exactly that many seconds (or the longest Duration when there are more); and the retry loop never waits
// longer than its cap, nor less than a Retry-After it agreed to wait for.
func FuzzParseRetryAfter(f *testing.F) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, seed := range []string{"", "0", "1", " 120 ", "-1", "86400", "9223372036", "18446744074", "99999999999999999999",
		now.Add(time.Hour).Format(http.TimeFormat), now.Add(-time.Hour).Format(http.TimeFormat), "Fri, 31 Dec 9999 23:59:59 GMT",
		"Mon, 02 Jan 2006 15:04:05 PST", "Monday, 02-Jan-06 15:04:05 MST", "Mon Jan  2 15:04:05 2006", "soon"} {
		f.Add(seed)
	}
	p := retryPolicy{maxRetries: 2, baseDelay: 100 * time.Millisecond, maxDelay: DefaultMaxDelay}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v, now)
		if d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %v: a negative wait", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("parseRetryAfter(%q) = %v, false", v, d)
		}
		if digits := strings.TrimSpace(v); digits != "" && strings.Trim(digits, "0123456789") == "" {
			n, _ := new(big.Int).SetString(digits, 10)
			want := maxRetryAfter
			if limit := big.NewInt(int64(maxRetryAfter / time.Second)); n.Cmp(limit) <= 0 {
				want = time.Duration(n.Int64()) * time.Second
			}
			if !ok || d != want {
				t.Fatalf("parseRetryAfter(%q) = %v, %v; want %v", v, d, ok, want)
			}
		}
		wait, waits := p.delay(0, &http.Response{Header: http.Header{"Retry-After": {v}}}, now)
		switch {
		case waits && (wait < 0 || wait > p.maxDelay):
			t.Fatalf("Retry-After %q: waits %v, outside [0, %v]", v, wait, p.maxDelay)
		case ok && waits && wait != d:
			t.Fatalf("Retry-After %q (%v): waits %v instead", v, d, wait)
		case ok && d > p.maxDelay && waits:
			t.Fatalf("Retry-After %q (%v) is beyond the cap but is waited for", v, d)
		}
	})
}
