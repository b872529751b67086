package conformance_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stubGo stands in for the go command in live-against-fake.sh: "build"
// makes a smooch-fake that writes its -env-file and waits, "test" writes a
// cassette where it is told to and exits with STUB_TEST_EXIT, "run" passes.
// It notes the cassette directory it was given in $STUB_NOTES.
const stubGo = `#!/bin/sh
case "$1" in
build)
	cat > "$3" <<'FAKE'
#!/bin/sh
while [ $# -gt 0 ]; do
	if [ "$1" = -env-file ]; then env=$2; fi
	shift
done
printf "export SMOOCH_API_URL='http://127.0.0.1:9'\nexport SMOOCH_KEY_ID='act_stub'\nexport SMOOCH_SECRET='stub-secret-not-real'\n" > "$env"
exec sleep 30
FAKE
	chmod +x "$3" ;;
test)
	echo "$SMOOCH_CONFORMANCE_DIR" > "$STUB_NOTES"
	echo "---" > "$SMOOCH_CONFORMANCE_DIR/apps.yaml"
	exit "${STUB_TEST_EXIT:-0}" ;;
run)
	exit 0 ;;
esac
`

// runLiveAgainstFake runs the script with the stub go, its temporary
// directory at tmp, and returns its exit status and output.
func runLiveAgainstFake(t *testing.T, tmp string, env ...string) (int, string, string) {
	t.Helper()
	bin := t.TempDir()
	stub := filepath.Join(bin, "go")
	require.NoError(t, os.WriteFile(stub, []byte(stubGo), 0o755))
	notes := filepath.Join(bin, "notes")
	cmd := exec.Command("sh", "live-against-fake.sh")
	cmd.Env = append(os.Environ(), append([]string{"GO=" + stub, "TMPDIR=" + tmp, "STUB_NOTES=" + notes, "SMOOCH_CONFORMANCE_DIR="}, env...)...)
	out, err := cmd.CombinedOutput()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err, string(out))
	}
	used, _ := os.ReadFile(notes)
	return code, string(out), strings.TrimSpace(string(used))
}

func TestLiveAgainstFakeLeavesNothingInTheTempDir(t *testing.T) {
	for name, exit := range map[string]string{"passing": "0", "failing": "1"} {
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			code, out, used := runLiveAgainstFake(t, tmp, "STUB_TEST_EXIT="+exit)
			if exit == "0" {
				assert.Equal(t, 0, code, out)
				assert.Contains(t, out, "live-against-fake: passed")
			} else {
				assert.NotEqual(t, 0, code, out)
				assert.Contains(t, out, "set SMOOCH_CONFORMANCE_DIR to keep the cassettes")
			}
			assert.True(t, strings.HasPrefix(filepath.Base(used), "smooch-conformance-live-"), "the run wrote to %q", used)
			entries, err := os.ReadDir(tmp)
			require.NoError(t, err)
			assert.Empty(t, entries, "the temp dir after the run")
		})
	}
}

func TestLiveAgainstFakeKeepsTheCassettesItWasGiven(t *testing.T) {
	tmp := t.TempDir()
	keep := filepath.Join(t.TempDir(), "live-cassettes")
	require.NoError(t, os.Mkdir(keep, 0o755))
	code, out, used := runLiveAgainstFake(t, tmp, "SMOOCH_CONFORMANCE_DIR="+keep)
	assert.Equal(t, 0, code, out)
	assert.Equal(t, keep, used)
	assert.FileExists(t, filepath.Join(keep, "apps.yaml"))
	assert.Contains(t, out, "cassettes in "+keep)
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

// A relative SMOOCH_CONFORMANCE_DIR is relative to the repository, where make
// runs, not to conformance/, where go test runs the suite.
func TestLiveAgainstFakeResolvesARelativeCassetteDir(t *testing.T) {
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	keep := t.TempDir()
	rel, err := filepath.Rel(root, keep)
	require.NoError(t, err)
	code, out, used := runLiveAgainstFake(t, t.TempDir(), "SMOOCH_CONFORMANCE_DIR="+rel)
	assert.Equal(t, 0, code, out)
	assert.True(t, filepath.IsAbs(used), "the suite is given an absolute directory: %q", used)
	assert.FileExists(t, filepath.Join(keep, "apps.yaml"))
}
