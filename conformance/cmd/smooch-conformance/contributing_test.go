package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// CONTRIBUTING.md keeps the drift run that carried the SDK to v1.1 as a worked example: the commands and
// excerpts of what they printed. TestContributingWorkedExample runs each smooch-conformance command of its text
// blocks (from the repository's root, as the section says) and finds every excerpt line in what it prints, in
// order; "…" stands for lines left out. So the example cannot drift from what the tool does on the committed
// cassettes: a change to the report, the patch or the v1.1 cassettes that alters a quoted line fails here, and
// the section is then brought up to date with the run.
func TestContributingWorkedExample(t *testing.T) {
	if testing.Short() {
		t.Skip("slow end-to-end test (drift and a patch of the whole 3.19-era contract on every cassette, about 4 s under -race): make test-e2e runs it")
	}
	doc, err := os.ReadFile("../../../CONTRIBUTING.md")
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(doc), "\n## When the API changes: the v1.1 run, a worked example\n")
	require.True(t, ok, "CONTRIBUTING.md has the worked example")
	section, _, _ = strings.Cut(section, "\n## ")
	const prompt = "$ go run ./conformance/cmd/smooch-conformance "
	t.Chdir("../../..")
	runs := 0
	for _, block := range strings.Split(section, "```text\n")[1:] {
		block, _, ok := strings.Cut(block, "```")
		require.True(t, ok)
		command, excerpt, _ := strings.Cut(block, "\n")
		args, ok := strings.CutPrefix(command, prompt)
		if !ok {
			continue // another tool's output (the diffs), quoted for reading: it follows the tree, not the run
		}
		runs++
		code, stdout, stderr := runCLI(t, strings.Fields(args)...)
		assert.Equal(t, 1, code, "%s: there is drift\n%s", args, stderr)
		rest := stdout
		for _, line := range strings.Split(strings.TrimSuffix(excerpt, "\n"), "\n") {
			if line == "…" {
				continue
			}
			i := strings.Index(rest, line+"\n")
			if !assert.GreaterOrEqual(t, i, 0, "%s: this excerpt line is not in the output (after the lines before it):\n%s", args, line) {
				continue
			}
			rest = rest[i+len(line)+1:]
		}
	}
	assert.Equal(t, 2, runs, "the drift report and the patch")
}
