package clienttest_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestMakeTestE2ERunsEverySlowTest: make test passes -short, and a slow test skips itself then; make test-e2e
// (which CI runs) selects them by name from E2E_TESTS in the Makefile. A slow test missing from the list would
// run nowhere, and a name left in the list after its test went would select nothing: both fail here.
func TestMakeTestE2ERunsEverySlowTest(t *testing.T) {
	makefile, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^E2E_TESTS := \^\(((?:.*\\\n)*.*)\)\$\$$`).FindSubmatch(makefile)
	if m == nil {
		t.Fatal("the Makefile has no E2E_TESTS := ^(A|B|...)$$")
	}
	list := strings.NewReplacer("$\\\n", "", "\t", "").Replace(string(m[1]))
	listed := strings.Split(list, "|")
	slices.Sort(listed)

	var slow []string
	testFunc := regexp.MustCompile(`(?m)^func (Test\w+)\(t \*testing\.T\) \{\n((?:.*\n)*?)^}`)
	skipsWhenShort := regexp.MustCompile(`(?m)^\s*if testing\.Short\(\) \{$`)
	for _, src := range repoTestFiles(t) {
		for _, fn := range testFunc.FindAllSubmatch(src, -1) {
			if skipsWhenShort.Match(fn[2]) {
				slow = append(slow, string(fn[1]))
			}
		}
	}
	slices.Sort(slow)
	if len(slow) == 0 {
		t.Fatal("found no test that skips under -short: the walk found nothing")
	}
	if !slices.Equal(listed, slow) {
		t.Errorf("E2E_TESTS in the Makefile lists\n\t%v\nbut the tests that skip themselves under -short are\n\t%v", listed, slow)
	}
}
