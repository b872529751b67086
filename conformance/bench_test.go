package conformance_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/smoochkit/smooch-go/conformance"
	"github.com/smoochkit/smooch-go/openapi"
)

// bigCassette writes a cassette of every committed cassette's interactions repeated copies times (178
// interactions per copy today) and returns its path and size.
func bigCassette(tb testing.TB, copies int) (string, int64) {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("..", "cassettes", "*.yaml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no cassettes: %v", err)
	}
	var all strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		_, interactions, ok := strings.Cut(string(data), "interactions:\n")
		if !ok {
			tb.Fatalf("%s: no interactions", f)
		}
		all.WriteString(interactions)
	}
	path := filepath.Join(tb.TempDir(), "big.yaml")
	out := "---\nversion: 1\ninteractions:\n" + strings.Repeat(all.String(), copies)
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path, int64(len(out))
}

// BenchmarkValidateCassette reads and checks a cassette of 100 copies of every committed interaction (17,800
// interactions today, 13 MB) one interaction at a time, as the CLI's validate does; run it with GOMAXPROCS=1
// (make bench does) for the one-core figure. gogc=100 is the library with Go's default collector setting;
// gogc=400 is what the smooch-conformance command runs with (its live heap is small, so it collects less often).
func BenchmarkValidateCassette(b *testing.B) {
	path, size := bigCassette(b, 100)
	v, err := openapi.NewValidator()
	if err != nil {
		b.Fatal(err)
	}
	checker := conformance.NewChecker(v)
	for _, gogc := range []int{100, 400} {
		b.Run(fmt.Sprintf("gogc=%d", gogc), func(b *testing.B) {
			defer debug.SetGCPercent(debug.SetGCPercent(gogc))
			b.SetBytes(size)
			b.ReportAllocs()
			var n int
			for b.Loop() {
				n, err = checker.CheckFile(context.Background(), path, func(_ int, _ conformance.Exchange, violations []conformance.Violation) {
					if len(violations) > 0 {
						b.Fatal(violations[0])
					}
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "interactions/s")
		})
	}
}

// TestValidationHoldsOneInteractionAtATime checks a cassette of 40 copies of every committed interaction (5 MB) and measures the
// live heap as it goes: it stays flat, since CheckFile reads one interaction at a time.
func TestValidationHoldsOneInteractionAtATime(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (measures the heap over a large cassette): make test-e2e runs it")
	}
	path, size := bigCassette(t, 40)
	v, err := openapi.NewValidator()
	if err != nil {
		t.Fatal(err)
	}
	checker := conformance.NewChecker(v)
	liveHeap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := liveHeap()
	var peak uint64
	n, err := checker.CheckFile(context.Background(), path, func(i int, _ conformance.Exchange, violations []conformance.Violation) {
		if len(violations) > 0 {
			t.Fatal(violations[0])
		}
		if i%500 == 499 {
			peak = max(peak, liveHeap())
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5000 {
		t.Fatalf("%d interactions: the cassette holds more", n)
	}
	growth := int64(peak) - int64(base)
	t.Logf("live heap grew by at most %d KiB while checking %d KiB of cassette", growth>>10, size>>10)
	if growth > size/4 {
		t.Errorf("the live heap grew by %d KiB for a cassette of %d KiB: interactions are kept", growth>>10, size>>10)
	}
}
