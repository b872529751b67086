package conformance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

const editable = `# head comment
schemas:
  App:
    type: object
    required: [_id, name]
    properties:
      _id: {type: string}
      name:
        type: string
        description: |
          A name.

          Two paragraphs.
      settings: {$ref: '#/components/schemas/AppSettings'}
  # Section comment of the next schema.
  Trigger:
    type: string
    enum:
      - message
      - '*'
    x-enum-varnames:
    - Message
    - All
  Type:
    enum: [messenger, "line"]
responses:
  '200': {description: ok}
  '404': {description: missing}
`

func edit(t *testing.T, do func(y *yamlText) error) string {
	t.Helper()
	y, err := parseYAMLText([]byte(editable))
	require.NoError(t, err)
	require.NoError(t, do(y))
	out := string(y.bytes())
	var check yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(out), &check), "still YAML:\n%s", out)
	return out
}

// diffOf shows only what changed, as "+N line" and "-N line", N the line's
// number in the edited text or the original.
func diffOf(before, after string) []string {
	d, err := udiff.ToUnifiedDiff("before", "after", before, udiff.Lines(before, after), 0)
	if err != nil {
		panic(err)
	}
	var changed []string
	shift := 0 // lines the hunks so far added, less those they removed
	for _, h := range d.Hunks {
		a, b := h.FromLine, h.FromLine+shift
		for _, l := range h.Lines {
			text := strings.TrimSuffix(l.Content, "\n")
			switch l.Kind {
			case udiff.Insert:
				changed = append(changed, fmt.Sprintf("+%d %s", b, text))
				b, shift = b+1, shift+1
			case udiff.Delete:
				changed = append(changed, fmt.Sprintf("-%d %s", a, text))
				a, shift = a+1, shift-1
			default:
				a, b = a+1, b+1
			}
		}
	}
	return changed
}

func TestYAMLTextEdits(t *testing.T) {
	flowProp := mappingNode("type", scalarNode("string"), "description", scalarNode("TODO"))
	flowProp.Style = yaml.FlowStyle
	cases := []struct {
		name string
		do   func(y *yamlText) error
		want []string
	}{
		{"property at the end of a block mapping, after a block scalar", func(y *yamlText) error {
			return y.addEntry("#/schemas/App/properties", "region", flowProp, "")
		}, []string{"+15       region: {type: string, description: TODO}"}},
		{"property after a given key", func(y *yamlText) error {
			return y.addEntry("#/schemas/App/properties", "id2", flowProp, "name")
		}, []string{"+14       id2: {type: string, description: TODO}"}},
		{"schema before the next schema's comment", func(y *yamlText) error {
			return y.addEntry("#/schemas", "New", mappingNode("type", scalarNode("object")), "App")
		}, []string{"+15   New:", "+16     type: object"}},
		{"status at the start of a mapping", func(y *yamlText) error {
			return y.addEntryNode("#/responses", quotedNode("101"), mappingNode("description", scalarNode("TODO")), "^")
		}, []string{"+27   '101':", "+28     description: TODO"}},
		{"a member of a flow mapping", func(y *yamlText) error {
			return y.addEntry("#/responses/200", "x-note", scalarNode("n"), "")
		}, []string{"-27   '200': {description: ok}", "+27   '200': {description: ok, x-note: n}"}},
		{"a missing mapping is created", func(y *yamlText) error {
			return y.addEntry("#/schemas/Trigger/properties", "p", flowProp, "")
		}, []string{"+24     properties:", "+25       p: {type: string, description: TODO}"}},
		{"item of an indented block sequence", func(y *yamlText) error {
			return y.appendItem("#/schemas/Trigger/enum", scalarNode("typing:appUser"))
		}, []string{"+21       - typing:appUser"}},
		{"item of a block sequence at its key's indentation", func(y *yamlText) error {
			return y.appendItem("#/schemas/Trigger/x-enum-varnames", scalarNode("TypingAppUser"))
		}, []string{"+24     - TypingAppUser"}},
		{"item of a flow sequence", func(y *yamlText) error {
			return y.appendItem("#/schemas/Type/enum", scalarNode("whatsapp"))
		}, []string{`-25     enum: [messenger, "line"]`, `+25     enum: [messenger, "line", whatsapp]`}},
		{"a missing sequence is created", func(y *yamlText) error {
			return y.appendItem("#/schemas/Type/required", scalarNode("type"))
		}, []string{"+26     required: [type]"}},
		{"item out of a flow sequence", func(y *yamlText) error {
			return y.removeItem("#/schemas/App/required", "name")
		}, []string{"-5     required: [_id, name]", "+5     required: [_id]"}},
		{"item out of a block sequence", func(y *yamlText) error {
			return y.removeItem("#/schemas/Trigger/enum", "*")
		}, []string{"-20       - '*'"}},
		{"the last item takes its key along", func(y *yamlText) error {
			if err := y.removeItem("#/schemas/App/required", "name"); err != nil {
				return err
			}
			return y.removeItem("#/schemas/App/required", "_id")
		}, []string{"-5     required: [_id, name]"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := edit(t, tc.do)
			assert.Equal(t, tc.want, diffOf(editable, out), out)
		})
	}
}

func TestYAMLTextRefusesWhatIsThere(t *testing.T) {
	y, err := parseYAMLText([]byte(editable))
	require.NoError(t, err)
	assert.ErrorIs(t, y.addEntry("#/schemas/App/properties", "name", scalarNode("x"), ""), errExists)
	assert.ErrorIs(t, y.appendItem("#/schemas/Trigger/enum", scalarNode("message")), errExists)
	assert.Error(t, y.removeItem("#/schemas/App/required", "nope"))
	assert.Error(t, y.addEntry("#/schemas/App/type", "x", scalarNode("y"), ""), "a scalar is no mapping")
	assert.Equal(t, editable, string(y.bytes()), "nothing changed")
}

func TestUnifiedDiffAppliesWithGit(t *testing.T) {
	a := strings.Repeat("line\n", 3) + "a\nb\nc\n" + strings.Repeat("same\n", 10) + "x\ny\n"
	b := strings.Repeat("line\n", 3) + "a\nB\nc\nd\n" + strings.Repeat("same\n", 10) + "y\nz\n"
	diff := (&ContractPatch{Name: "dir/f.txt", Original: []byte(a), Patched: []byte(b)}).Diff()
	assert.Equal(t, `--- a/dir/f.txt
+++ b/dir/f.txt
@@ -2,8 +2,9 @@
 line
 line
 a
-b
+B
 c
+d
 same
 same
 same
@@ -14,5 +15,5 @@
 same
 same
 same
-x
 y
+z
`, diff)
	assert.Empty(t, (&ContractPatch{Name: "f", Original: []byte(a), Patched: []byte(a)}).Diff())

	work := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(work, "dir"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(work, "dir", "f.txt"), []byte(a), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(work, "p.diff"), []byte(diff), 0o644))
	cmd := exec.Command("git", "apply", "p.diff")
	cmd.Dir = work
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	got, err := os.ReadFile(filepath.Join(work, "dir", "f.txt"))
	require.NoError(t, err)
	assert.Equal(t, b, string(got))
}

func TestYAMLTextEditsInsideFlowCollections(t *testing.T) {
	const doc = "a:\n  status: {type: string, enum: [on, 'off'], x-note: \"]}\"}\n  b: 1\n"
	y, err := parseYAMLText([]byte(doc))
	require.NoError(t, err)
	require.NoError(t, y.appendItem("#/a/status/enum", scalarNode("paused")))
	require.NoError(t, y.addEntry("#/a/status", "description", scalarNode("TODO"), ""))
	require.NoError(t, y.removeItem("#/a/status/enum", "on"))
	assert.Equal(t, "a:\n  status: {type: string, enum: ['off', paused], x-note: \"]}\", description: TODO}\n  b: 1\n", string(y.bytes()))
}
