package clienttest_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWrongChannelCasesDoNotCompile builds testdata/channelswitch: the right type switch on
// Integration.Channel compiles, and each case that could never match (marked WRONG in wrong/main.go) is a
// compile error of its own line.
func TestWrongChannelCasesDoNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (builds two programs): make test-e2e runs it")
	}
	goTool, err := exec.LookPath("go")
	require.NoError(t, err)

	out, err := exec.Command(goTool, "build", "-o", os.DevNull, "./testdata/channelswitch/ok").CombinedOutput()
	require.NoError(t, err, "the control must compile: %s", out)

	out, err = exec.Command(goTool, "build", "-o", os.DevNull, "./testdata/channelswitch/wrong").CombinedOutput()
	require.Error(t, err, "wrong type switches compiled")
	wrong := wrongLines(t, "testdata/channelswitch/wrong/main.go")
	require.Len(t, wrong, 4)
	for _, line := range wrong {
		assert.Contains(t, string(out), fmt.Sprintf("main.go:%d:7: impossible type switch case", line))
	}
}

func wrongLines(t *testing.T, path string) []int {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var lines []int
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.Contains(sc.Text(), "// WRONG:") {
			lines = append(lines, n)
		}
	}
	return lines
}
