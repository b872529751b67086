package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlText edits a hand-written YAML document as text: each edit inserts or
// deletes whole lines (or a flow collection's span on one line) at the place
// a JSON pointer names, so comments, quoting and layout everywhere else stay
// byte for byte, and a unified diff of the result reads like a hand edit.
type yamlText struct {
	lines []string // without their newlines
	final bool     // the text ended with a newline
	root  *yaml.Node
}

func parseYAMLText(data []byte) (*yamlText, error) {
	text := string(data)
	t := &yamlText{final: strings.HasSuffix(text, "\n")}
	t.lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	return t, t.reparse()
}

func (t *yamlText) bytes() []byte {
	out := strings.Join(t.lines, "\n")
	if t.final {
		out += "\n"
	}
	return []byte(out)
}

func (t *yamlText) reparse() error {
	var doc yaml.Node
	if err := yaml.Unmarshal(t.bytes(), &doc); err != nil {
		return err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return errors.New("not a YAML mapping")
	}
	t.root = doc.Content[0]
	return nil
}

// splitPointer splits "#/a/b~1c" into its unescaped segments.
func splitPointer(pointer string) []string {
	pointer = strings.TrimPrefix(strings.TrimPrefix(pointer, "#"), "/")
	if pointer == "" {
		return nil
	}
	segments := strings.Split(pointer, "/")
	for i, s := range segments {
		segments[i] = pointerUnescape(s)
	}
	return segments
}

func joinPointer(segments []string) string {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		escaped[i] = pointerEscape(s)
	}
	return "#/" + strings.Join(escaped, "/")
}

// node is the value at pointer, or nil.
func (t *yamlText) node(pointer string) *yaml.Node {
	n := t.root
	for _, seg := range splitPointer(pointer) {
		n = child(n, seg)
		if n == nil {
			return nil
		}
	}
	return n
}

func child(n *yaml.Node, seg string) *yaml.Node {
	switch n.Kind {
	case yaml.MappingNode:
		if i := keyIndex(n, seg); i >= 0 {
			return n.Content[2*i+1]
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i]
		}
	}
	return nil
}

// keyIndex is the index of key's entry in mapping m, or -1.
func keyIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i / 2
		}
	}
	return -1
}

func indentOf(line string) int { return len(line) - len(strings.TrimLeft(line, " ")) }

// blockEnd is the last line (0-based) of the block that starts on line
// start at indentation indent: the following lines that are blank or
// indented deeper belong to it, and so do lines at indent starting "- "
// when dashes is set (a block sequence written at its key's indentation).
// Trailing blank lines are left out.
func (t *yamlText) blockEnd(start, indent int, dashes bool) int {
	last := start
	for i := start + 1; i < len(t.lines); i++ {
		line := t.lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			continue
		case indentOf(line) > indent:
		case dashes && indentOf(line) == indent && (trimmed == "-" || strings.HasPrefix(trimmed, "- ")):
		default:
			return last
		}
		last = i
	}
	return last
}

// entryEnd is the last line of the i-th entry of block mapping m.
func (t *yamlText) entryEnd(m *yaml.Node, i int) int {
	key, value := m.Content[2*i], m.Content[2*i+1]
	dashes := value.Kind == yaml.SequenceNode && value.Style&yaml.FlowStyle == 0
	return t.blockEnd(key.Line-1, key.Column-1, dashes)
}

func (t *yamlText) insertLines(after int, lines []string) {
	out := make([]string, 0, len(t.lines)+len(lines))
	out = append(out, t.lines[:after+1]...)
	out = append(out, lines...)
	t.lines = append(out, t.lines[after+1:]...)
}

func (t *yamlText) deleteLines(from, to int) {
	t.lines = append(t.lines[:from], t.lines[to+1:]...)
}

// errExists is returned when the entry or item to add is already there.
var errExists = errors.New("already declared")

// addEntry adds key: value to the mapping at pointer, after the entry
// afterKey ("" for the end, "^" for the start), creating the mapping (and
// its parents) when it is missing.
func (t *yamlText) addEntry(pointer, key string, value *yaml.Node, afterKey string) error {
	return t.addEntryNode(pointer, scalarNode(key), value, afterKey)
}

// addEntryNode is addEntry with a key node, for a key quoted on purpose.
func (t *yamlText) addEntryNode(pointer string, key, value *yaml.Node, afterKey string) error {
	m := t.node(pointer)
	if m == nil {
		segments := splitPointer(pointer)
		if len(segments) == 0 {
			return fmt.Errorf("%s: not found", pointer)
		}
		wrapped := mappingNode(key, value)
		return t.addEntry(joinPointer(segments[:len(segments)-1]), segments[len(segments)-1], wrapped, "")
	}
	if m.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: not a mapping", pointer)
	}
	if keyIndex(m, key.Value) >= 0 {
		return errExists
	}
	if m.Style&yaml.FlowStyle != 0 || len(m.Content) == 0 {
		text, err := renderFlow(mappingNode(key, value))
		if err != nil {
			return err
		}
		text = strings.TrimSuffix(strings.TrimPrefix(text, "{"), "}")
		return t.insertInFlow(m, text)
	}
	indent := m.Content[0].Column - 1
	var after int
	switch i := keyIndex(m, afterKey); {
	case afterKey == "^":
		after = m.Content[0].Line - 2
		// Keep the first key's head comment with it.
		for after >= 0 && strings.HasPrefix(strings.TrimSpace(t.lines[after]), "#") && indentOf(t.lines[after]) == indent {
			after--
		}
	case i >= 0:
		after = t.entryEnd(m, i)
	default:
		after = t.entryEnd(m, len(m.Content)/2-1)
	}
	lines, err := renderBlock(mappingNode(key, value), indent)
	if err != nil {
		return err
	}
	t.insertLines(after, lines)
	return t.reparse()
}

// appendItem appends item to the sequence at pointer, creating it when it
// is missing.
func (t *yamlText) appendItem(pointer string, item *yaml.Node) error {
	s := t.node(pointer)
	if s == nil {
		segments := splitPointer(pointer)
		if len(segments) == 0 {
			return fmt.Errorf("%s: not found", pointer)
		}
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item}}
		if isScalarNode(item) {
			seq.Style = yaml.FlowStyle
		}
		return t.addEntry(joinPointer(segments[:len(segments)-1]), segments[len(segments)-1], seq, "")
	}
	if s.Kind != yaml.SequenceNode {
		return fmt.Errorf("%s: not a sequence", pointer)
	}
	for _, existing := range s.Content {
		if isScalarNode(item) && existing.Kind == yaml.ScalarNode && existing.Value == item.Value {
			return errExists
		}
	}
	if s.Style&yaml.FlowStyle != 0 || len(s.Content) == 0 {
		text, err := renderFlow(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item}})
		if err != nil {
			return err
		}
		return t.insertInFlow(s, strings.TrimSuffix(strings.TrimPrefix(text, "["), "]"))
	}
	last := s.Content[len(s.Content)-1]
	line := last.Line - 1
	dash := strings.LastIndex(t.lines[line][:last.Column-1], "-")
	if dash < 0 {
		return fmt.Errorf("%s: cannot find the sequence's dashes", pointer)
	}
	end := t.blockEnd(line, dash, false)
	lines, err := renderBlock(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{item}}, dash)
	if err != nil {
		return err
	}
	t.insertLines(end, lines)
	return t.reparse()
}

// removeItem removes the scalar value from the sequence at pointer; a
// sequence left empty is removed with its key.
func (t *yamlText) removeItem(pointer, value string) error {
	s := t.node(pointer)
	if s == nil || s.Kind != yaml.SequenceNode {
		return fmt.Errorf("%s: no such sequence", pointer)
	}
	index := -1
	for i, item := range s.Content {
		if item.Kind == yaml.ScalarNode && item.Value == value {
			index = i
		}
	}
	if index < 0 {
		return fmt.Errorf("%s: no item %q", pointer, value)
	}
	if len(s.Content) == 1 {
		segments := splitPointer(pointer)
		parent := t.node(joinPointer(segments[:len(segments)-1]))
		i := keyIndex(parent, segments[len(segments)-1])
		if parent.Style&yaml.FlowStyle != 0 {
			return fmt.Errorf("%s: cannot remove an entry of a flow mapping", pointer)
		}
		t.deleteLines(parent.Content[2*i].Line-1, t.entryEnd(parent, i))
		return t.reparse()
	}
	if s.Style&yaml.FlowStyle != 0 {
		rest := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for i, item := range s.Content {
			if i != index {
				rest.Content = append(rest.Content, item)
			}
		}
		text, err := renderFlow(rest)
		if err != nil {
			return err
		}
		endLine, endCol, err := t.matchClose(s.Line-1, s.Column-1)
		if err != nil {
			return err
		}
		if endLine != s.Line-1 {
			return fmt.Errorf("%s: a flow sequence over several lines", pointer)
		}
		line := t.lines[endLine]
		t.lines[endLine] = line[:s.Column-1] + text + line[endCol+1:]
		return t.reparse()
	}
	item := s.Content[index]
	line := item.Line - 1
	dash := strings.LastIndex(t.lines[line][:item.Column-1], "-")
	t.deleteLines(line, t.blockEnd(line, dash, false))
	return t.reparse()
}

// insertInFlow inserts text as the last element of the flow collection n.
func (t *yamlText) insertInFlow(n *yaml.Node, text string) error {
	line, col, err := t.matchClose(n.Line-1, n.Column-1)
	if err != nil {
		return err
	}
	if len(n.Content) > 0 {
		text = ", " + text
	}
	s := t.lines[line]
	// Before any space that precedes the closing bracket.
	at := col
	for at > 0 && s[at-1] == ' ' {
		at--
	}
	t.lines[line] = s[:at] + text + s[at:]
	return t.reparse()
}

// matchClose finds the bracket closing the flow collection opened at
// (line, col), skipping quoted strings and nested collections.
func (t *yamlText) matchClose(line, col int) (int, int, error) {
	depth := 0
	var quote byte
	for l := line; l < len(t.lines); l++ {
		s := t.lines[l]
		start := 0
		if l == line {
			start = col
		}
		for i := start; i < len(s); i++ {
			c := s[i]
			switch {
			case quote == '\'':
				if c == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						i++
					} else {
						quote = 0
					}
				}
			case quote == '"':
				if c == '\\' {
					i++
				} else if c == '"' {
					quote = 0
				}
			case c == '\'' || c == '"':
				quote = c
			case c == '[' || c == '{':
				depth++
			case c == ']' || c == '}':
				depth--
				if depth == 0 {
					return l, i, nil
				}
			case c == '#' && i > 0 && s[i-1] == ' ':
				i = len(s) // a comment
			}
		}
	}
	return 0, 0, fmt.Errorf("line %d: unclosed flow collection", line+1)
}

func isScalarNode(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode }

func mappingNode(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(kv); i += 2 {
		key := kv[i]
		var k *yaml.Node
		switch key := key.(type) {
		case string:
			k = scalarNode(key)
		case *yaml.Node:
			k = key
		}
		m.Content = append(m.Content, k, kv[i+1].(*yaml.Node))
	}
	return m
}

// scalarNode is a string scalar, quoted only where YAML needs it.
func scalarNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// quotedNode is a single-quoted string scalar, as the contract writes
// $refs and status codes.
func quotedNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.SingleQuotedStyle}
}

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

// renderBlock renders n in block style, every line indented by indent.
func renderBlock(n *yaml.Node, indent int) ([]string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	pad := strings.Repeat(" ", indent)
	for i, l := range lines {
		lines[i] = pad + l
	}
	return lines, nil
}

// renderFlow renders n on one line in flow style.
func renderFlow(n *yaml.Node) (string, error) {
	n = deepCopy(n)
	setFlow(n)
	lines, err := renderBlock(n, 0)
	if err != nil {
		return "", err
	}
	if len(lines) != 1 {
		return "", fmt.Errorf("does not fit on one line: %q", strings.Join(lines, "\n"))
	}
	return lines[0], nil
}

func setFlow(n *yaml.Node) {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		n.Style |= yaml.FlowStyle
	}
	for _, c := range n.Content {
		setFlow(c)
	}
}

func deepCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = deepCopy(x)
	}
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Line, c.Column = 0, 0
	return &c
}
