package conformance

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"gopkg.in/yaml.v3"
)

// Reading cassettes fast and in constant memory. A day of live traffic is a cassette of hundreds of megabytes:
// go-vcr's loader parses it whole with yaml.v3 and holds every interaction, which costs about 25 times the
// file in memory and most of the validation's time. The stream reader below reads one interaction at a time
// and parses it with a reader for the block YAML go-vcr writes (mappings, sequences, plain, quoted and
// literal scalars). Whatever that reader does not know (anchors, tags, flow collections, folded scalars, a
// scalar continued on another line) sends the interaction to yaml.v3, which go-vcr itself uses, so the result
// is always what go-vcr would load; a fuzz test holds the two equal.

// maxInteraction bounds the size of one interaction, the unit the stream reader holds in memory.
const maxInteraction = 64 << 20

// StreamCassette reads the go-vcr v2 cassette at path and calls fn with each interaction in order, holding
// one interaction at a time. It fails, before the first interaction or when it reaches the problem, on a file
// that is not a go-vcr v2 cassette (no top-level version 1 and interactions), or on an interaction that is not
// valid YAML; fn's error stops the reading and is returned. The interactions it reads are exactly those
// LoadCassette loads.
func StreamCassette(path string, fn func(index int, in *cassette.Interaction) error) error {
	if !strings.HasSuffix(path, cassetteExt) {
		return fmt.Errorf("conformance: %s: a go-vcr v2 cassette file ends in %s", path, cassetteExt)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("conformance: %w", err)
	}
	defer f.Close()
	plain, err := plainTopLevel(f)
	if err != nil {
		return fmt.Errorf("conformance: %s: %w", path, err)
	}
	if !plain {
		// Not laid out as go-vcr lays a cassette out (other top-level content, a flow collection): go-vcr's
		// own loader decides, holding the whole file, as it would.
		c, err := loadWithGoVCR(path)
		if err != nil {
			return err
		}
		for i, in := range c.Interactions {
			if err := fn(i, in); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("conformance: %s: %w", path, err)
	}
	return streamInteractions(path, f, fn)
}

// plainTopLevel reports whether the file's top level is what go-vcr writes: a document marker, one version
// line and one interactions line with a block sequence (or none) under it, and comments.
func plainTopLevel(r io.Reader) (bool, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	versions, interactions := 0, 0
	startOfLine := true
	for {
		raw, err := br.ReadSlice('\n')
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return false, err
		}
		// Only the lines that start at column 0 matter: the rest is not even turned into a string.
		atTop := startOfLine && len(raw) > 0 && raw[0] != ' ' && raw[0] != '#' && raw[0] != '\n' && raw[0] != '\r'
		startOfLine = !errors.Is(err, bufio.ErrBufferFull)
		if atTop {
			line := strings.TrimRight(string(raw), "\r\n")
			if errors.Is(err, bufio.ErrBufferFull) {
				return false, nil // a top-level line longer than the buffer: not go-vcr's
			}
			switch {
			case line == "---" || line == "...":
			case strings.HasPrefix(line, "version: "):
				versions++
			case line == "interactions:" || line == "interactions: []":
				interactions++
			default:
				return false, nil
			}
		}
		if errors.Is(err, io.EOF) {
			return versions == 1 && interactions == 1, nil
		}
	}
}

func streamInteractions(path string, r io.Reader, fn func(int, *cassette.Interaction) error) error {
	notCassette := func(why string) error {
		return fmt.Errorf("conformance: %s: not a go-vcr v2 cassette (%s)", path, why)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		sawVersion, sawInteractions bool
		inInteractions              bool
		itemIndent                  = -1
		buf                         []byte // the current interaction's lines, read into one buffer
		ends                        []int  // where each of its lines ends in buf
		lines                       []string
		index                       int
		firstLine                   int // the file's line where the current interaction starts
		parser                      blockParser
	)
	flush := func() error {
		if len(ends) == 0 {
			return nil
		}
		// One string for the whole interaction: its lines, and the bodies parsed from them, share it.
		text := string(buf)
		lines = lines[:0]
		start := 0
		for _, end := range ends {
			lines = append(lines, text[start:end])
			start = end
		}
		buf, ends = buf[:0], ends[:0]
		in, err := parser.parse(lines, itemIndent)
		if err != nil {
			return fmt.Errorf("conformance: %s: %s", path, located(err, index, firstLine, len(lines)))
		}
		if in == nil {
			return fmt.Errorf("conformance: %s: interaction %d is empty", path, index)
		}
		if err := fn(index, in); err != nil {
			return err
		}
		index++
		return nil
	}
	for lineNo := 1; ; lineNo++ {
		raw, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: gather it whole.
			long := append([]byte(nil), raw...)
			for errors.Is(err, bufio.ErrBufferFull) {
				raw, err = br.ReadSlice('\n')
				long = append(long, raw...)
				if len(long) > maxInteraction {
					return fmt.Errorf("conformance: %s: line %d is longer than %d MiB", path, lineNo, maxInteraction>>20)
				}
			}
			raw = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("conformance: %s: %w", path, err)
		}
		if len(raw) == 0 && errors.Is(err, io.EOF) {
			break
		}
		line := bytes.TrimRight(raw, "\r\n")
		trimmed := bytes.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		switch {
		case len(trimmed) == 0 || trimmed[0] == '#':
			if inInteractions && len(ends) > 0 {
				buf = append(buf, line...) // blank lines belong to literal blocks
				ends = append(ends, len(buf))
			}
		case indent == 0:
			if inInteractions {
				if err := flush(); err != nil {
					return err
				}
				inInteractions = false
			}
			text := string(line)
			switch {
			case text == "---" || text == "...":
			case strings.HasPrefix(text, "version:"):
				v := strings.TrimSpace(strings.TrimPrefix(text, "version:"))
				if v != "1" {
					if n, err := strconv.Atoi(v); err == nil {
						return notCassette(fmt.Sprintf("format version %d, want 1", n))
					}
					return notCassette(fmt.Sprintf("version %q", v))
				}
				sawVersion = true
			case strings.HasPrefix(text, "interactions:"):
				sawInteractions = true
				rest := strings.TrimSpace(strings.TrimPrefix(text, "interactions:"))
				if rest != "" && rest != "[]" {
					return notCassette("interactions is not a block sequence")
				}
				inInteractions = rest == ""
			}
		case inInteractions:
			item := bytes.HasPrefix(trimmed, []byte("- ")) || len(trimmed) == 1 && trimmed[0] == '-'
			if itemIndent < 0 {
				if !item {
					return notCassette("interactions is not a sequence")
				}
				itemIndent = indent
			}
			if indent == itemIndent && item {
				if err := flush(); err != nil {
					return err
				}
			} else if indent <= itemIndent {
				return fmt.Errorf("conformance: %s: line %d: not a go-vcr v2 cassette (an interaction that is not an item of the interactions)", path, lineNo)
			}
			if len(ends) == 0 {
				firstLine = lineNo
			}
			if len(buf)+len(line) > maxInteraction {
				return fmt.Errorf("conformance: %s: interaction %d is larger than %d MiB", path, index, maxInteraction>>20)
			}
			buf = append(buf, line...)
			ends = append(ends, len(buf))
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if !sawVersion {
		return notCassette(`no top-level "version:"`)
	}
	if !sawInteractions {
		return notCassette(`no top-level "interactions:"`)
	}
	return flush()
}

// yamlSyntax matches the start of yaml.v3's syntax errors, whose line number is not reliable (some count from
// zero); yamlLine the line numbers of its decoding errors, which count from one.
var (
	yamlSyntax = regexp.MustCompile(`^yaml: line \d+: `)
	yamlLine   = regexp.MustCompile(`\bline (\d+):`)
)

// located says where in the file the interaction that yaml.v3 refused is. yaml.v3 parsed a document of its
// own ("interactions:" and then the interaction's lines): its line numbers are turned into the file's, the
// unreliable one of a syntax error into the interaction's lines.
func located(err error, index, firstLine, lines int) string {
	where := fmt.Sprintf("interaction %d (lines %d-%d)", index, firstLine, firstLine+lines-1)
	msg := err.Error()
	if yamlSyntax.MatchString(msg) {
		return where + ": invalid YAML: " + yamlSyntax.ReplaceAllString(msg, "")
	}
	return where + ": " + yamlLine.ReplaceAllStringFunc(msg, func(m string) string {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(m, "line "), ":"))
		if err != nil || n < 2 {
			return m
		}
		return "line " + strconv.Itoa(firstLine+n-2) + ":"
	})
}

// parse parses one item of the interactions sequence: lines whose first starts with "- " at
// indent. The fast reader handles the YAML go-vcr writes; anything else is parsed by yaml.v3.
// The parser's nodes are reused by the next call: the interaction it returns shares none of them.
func (p *blockParser) parse(lines []string, indent int) (*cassette.Interaction, error) {
	*p = blockParser{lines: lines, dashLine: -1, chunks: p.chunks}
	node, err := p.item(indent)
	if err == nil && p.pos == len(p.lines) {
		if in, ok := interactionOf(node); ok {
			return in, nil
		}
	}
	// Not the block YAML the fast reader knows, or not an interaction's shape: as go-vcr would load it.
	var doc struct {
		Interactions []*cassette.Interaction `yaml:"interactions"`
	}
	if err := yaml.Unmarshal([]byte("interactions:\n"+strings.Join(lines, "\n")+"\n"), &doc); err != nil {
		return nil, err
	}
	if len(doc.Interactions) != 1 {
		return nil, fmt.Errorf("an interaction is %d items", len(doc.Interactions))
	}
	return doc.Interactions[0], nil
}

// errSlow sends an interaction to yaml.v3.
var errSlow = errors.New("not the block YAML the fast reader knows")

// pair is one member of a mapping.
type pair struct {
	key   string
	value *yamlNode
}

// yamlNode is a parsed value: a scalar (with whether it was quoted or a block scalar), a mapping or a
// sequence.
type yamlNode struct {
	scalar string
	plain  bool   // a plain scalar: null, ~, or a value that could be typed
	pairs  []pair // a mapping's members, in order
	items  []*yamlNode
	kind   byte // 's' scalar, 'm' mapping, 'l' sequence
}

type blockParser struct {
	lines     []string
	pos       int
	dashLine  int // the line of the item's dash, whose first key starts after "- "
	dashInner int // that key's column

	// The nodes, in chunks kept from one interaction to the next with their pairs' and items' arrays: the
	// interactions of a cassette have much the same shape, so parsing one allocates almost nothing.
	chunks      [][]yamlNode
	chunk, used int
}

// nodeChunk is how many nodes are allocated together: an interaction has a few dozen.
const nodeChunk = 32

// node returns a cleared node from the parser's chunks.
func (p *blockParser) node(kind byte) *yamlNode {
	if p.chunk == len(p.chunks) {
		p.chunks = append(p.chunks, make([]yamlNode, nodeChunk))
	}
	n := &p.chunks[p.chunk][p.used]
	if p.used++; p.used == nodeChunk {
		p.chunk, p.used = p.chunk+1, 0
	}
	*n = yamlNode{kind: kind, pairs: n.pairs[:0], items: n.items[:0]}
	return n
}

// item parses the sequence item starting at p.pos ("- " at indent): its content is a mapping indented
// by indent+2.
func (p *blockParser) item(indent int) (*yamlNode, error) {
	line := p.lines[p.pos]
	rest := line[indent+1:]
	if !strings.HasPrefix(rest, " ") {
		return nil, errSlow
	}
	// The item's first key is on the dash's line: the mapping reads that line as if the dash were spaces.
	p.dashLine = p.pos
	p.dashInner = indent + 1 + len(rest) - len(strings.TrimLeft(rest, " "))
	return p.mapping(p.dashInner)
}

// mapping parses key: value lines at exactly indent.
func (p *blockParser) mapping(indent int) (*yamlNode, error) {
	n := p.node('m')
	for p.pos < len(p.lines) {
		line := p.lines[p.pos]
		trimmed := strings.TrimLeft(line, " ")
		if trimmed == "" {
			p.pos++
			continue
		}
		ind := len(line) - len(trimmed)
		if p.pos == p.dashLine {
			trimmed, ind = strings.TrimLeft(trimmed[1:], " "), p.dashInner
		}
		if ind < indent {
			break
		}
		if ind > indent || strings.HasPrefix(trimmed, "- ") || trimmed == "-" {
			return nil, errSlow
		}
		key, value, ok := cutKey(trimmed)
		if !ok {
			return nil, errSlow
		}
		p.pos++
		v, err := p.value(value, indent)
		if err != nil {
			return nil, err
		}
		if n.pairs == nil {
			n.pairs = make([]pair, 0, 8) // go-vcr's largest mappings (headers aside) have 5 members
		}
		n.pairs = append(n.pairs, pair{key, v})
	}
	return n, nil
}

// cutKey splits "key: value" (or "key:") with a plain key.
func cutKey(s string) (key, value string, ok bool) {
	i := strings.Index(s, ":")
	if i <= 0 {
		return "", "", false
	}
	key = s[:i]
	if strings.ContainsAny(key, "'\"{}[]&*!|>%@`#,?") || strings.TrimSpace(key) != key || looksTyped(key) {
		return "", "", false
	}
	rest := s[i+1:]
	if rest != "" && rest[0] != ' ' {
		return "", "", false // a colon inside a plain key
	}
	return key, strings.TrimLeft(rest, " "), true
}

// value parses the value after "key:" on a line of a mapping at indent: a scalar on that line, a literal
// block, or a nested collection on the following lines.
func (p *blockParser) value(v string, indent int) (*yamlNode, error) {
	switch {
	case v == "":
		// A nested collection, or an empty (null) value.
		if p.pos < len(p.lines) {
			next := p.lines[p.pos]
			trimmed := strings.TrimLeft(next, " ")
			ind := len(next) - len(trimmed)
			if trimmed != "" && ind > indent {
				if strings.HasPrefix(trimmed, "- ") || trimmed == "-" {
					return p.sequence(ind)
				}
				return p.mapping(ind)
			}
			// go-vcr's yaml.v3 writes a sequence under a key at the key's own indent or deeper.
			if trimmed != "" && ind == indent && strings.HasPrefix(trimmed, "- ") {
				return nil, errSlow
			}
		}
		n := p.node('s')
		n.plain = true
		return n, nil
	case v == "{}":
		return p.node('m'), nil
	case v == "[]":
		return p.node('l'), nil
	case v[0] == '\'':
		s, ok := singleQuoted(v)
		if !ok {
			return nil, errSlow
		}
		n := p.node('s')
		n.scalar = s
		return n, nil
	case v[0] == '"':
		s, ok := doubleQuoted(v)
		if !ok {
			return nil, errSlow
		}
		n := p.node('s')
		n.scalar = s
		return n, nil
	case v[0] == '|':
		return p.literal(v, indent)
	case strings.TrimRight(v, " ") == "!!binary |":
		// A body that is not UTF-8 (a multipart upload's image), as yaml.v3 writes it: base64 in a literal block.
		n, err := p.literal("|", indent)
		if err != nil {
			return nil, err
		}
		decoded, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(n.scalar, "\n", ""))
		if err != nil {
			return nil, errSlow
		}
		n.scalar = string(decoded)
		return n, nil
	case strings.ContainsAny(v[:1], "{[&*!>%@`#,?-:") || strings.Contains(v, " #") || strings.Contains(v, ": ") || strings.HasSuffix(v, ":"):
		return nil, errSlow
	}
	// A plain scalar must end on its line: a more indented line after it would continue it.
	if p.pos < len(p.lines) {
		next := p.lines[p.pos]
		if trimmed := strings.TrimLeft(next, " "); trimmed != "" && len(next)-len(trimmed) > indent {
			return nil, errSlow
		}
	}
	n := p.node('s')
	n.scalar, n.plain = strings.TrimRight(v, " "), true
	return n, nil
}

// sequence parses "- scalar" items at exactly indent (go-vcr's header values).
func (p *blockParser) sequence(indent int) (*yamlNode, error) {
	n := p.node('l')
	n.items = make([]*yamlNode, 0, 1) // a header has one value, nearly always
	for p.pos < len(p.lines) {
		line := p.lines[p.pos]
		trimmed := strings.TrimLeft(line, " ")
		if trimmed == "" {
			p.pos++
			continue
		}
		ind := len(line) - len(trimmed)
		if ind < indent {
			break
		}
		if ind > indent || !strings.HasPrefix(trimmed, "- ") {
			return nil, errSlow
		}
		p.pos++
		v, err := p.value(strings.TrimLeft(trimmed[2:], " "), indent)
		if err != nil {
			return nil, err
		}
		if v.kind != 's' {
			return nil, errSlow
		}
		n.items = append(n.items, v)
	}
	return n, nil
}

// literal parses a literal block scalar ("|", "|-", "|+") whose lines are indented deeper than indent.
func (p *blockParser) literal(header string, indent int) (*yamlNode, error) {
	chomp := byte(0)
	switch strings.TrimRight(header, " ") {
	case "|":
	case "|-":
		chomp = '-'
	case "|+":
		chomp = '+'
	default:
		return nil, errSlow // an indentation indicator or a comment
	}
	blockIndent := -1
	var b strings.Builder
	first, lines := "", 0 // a block of one line (the common body) is built without the Builder
	trailingBlank := 0
	for p.pos < len(p.lines) {
		line := p.lines[p.pos]
		trimmed := strings.TrimLeft(line, " ")
		ind := len(line) - len(trimmed)
		if trimmed == "" {
			if blockIndent >= 0 && len(line) > blockIndent {
				return nil, errSlow // white space beyond the indentation of an empty line
			}
			trailingBlank++
			p.pos++
			continue
		}
		if ind <= indent {
			break
		}
		if blockIndent < 0 {
			if trailingBlank > 0 {
				return nil, errSlow // leading empty lines
			}
			blockIndent = ind
		} else if ind < blockIndent {
			return nil, errSlow
		}
		lines++
		if lines == 2 {
			b.WriteString(first)
			b.WriteByte('\n')
		}
		if lines == 1 {
			first = line[blockIndent:]
		} else {
			for ; trailingBlank > 0; trailingBlank-- {
				b.WriteByte('\n')
			}
			b.WriteString(line[blockIndent:])
			b.WriteByte('\n')
		}
		p.pos++
	}
	s := b.String()
	if lines == 1 {
		s = first + "\n"
	}
	switch chomp {
	case '-':
		s = strings.TrimRight(s, "\n")
	case '+':
		s += strings.Repeat("\n", trailingBlank)
	}
	if blockIndent < 0 {
		s = "" // an empty block
	}
	n := p.node('s')
	n.scalar = s
	return n, nil
}

// singleQuoted decodes a single-quoted scalar that is the whole rest of the line.
func singleQuoted(v string) (string, bool) {
	v = strings.TrimRight(v, " ")
	if len(v) < 2 || v[len(v)-1] != '\'' {
		return "", false
	}
	inner := v[1 : len(v)-1]
	// Every quote inside must be doubled.
	if strings.Count(inner, "'")%2 != 0 || strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
		return "", false
	}
	return strings.ReplaceAll(inner, "''", "'"), true
}

// doubleQuoted decodes a double-quoted scalar that is the whole rest of the line.
func doubleQuoted(v string) (string, bool) {
	v = strings.TrimRight(v, " ")
	if len(v) < 2 || v[len(v)-1] != '"' {
		return "", false
	}
	inner := v[1 : len(v)-1]
	if !strings.ContainsAny(inner, "\\\"") {
		return inner, true
	}
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		c := inner[i]
		if c == '"' {
			return "", false // the scalar ended before the line did
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(inner) {
			return "", false
		}
		switch e := inner[i]; e {
		case '0':
			b.WriteByte(0)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 't', '\t':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'v':
			b.WriteByte('\v')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case ' ', '"', '/', '\\':
			b.WriteByte(e)
		case 'N':
			b.WriteString("\u0085")
		case '_':
			b.WriteString("\u00a0")
		case 'L':
			b.WriteString("\u2028")
		case 'P':
			b.WriteString("\u2029")
		case 'x', 'u', 'U':
			width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+1+width > len(inner) {
				return "", false
			}
			r, err := strconv.ParseUint(inner[i+1:i+1+width], 16, 32)
			if err != nil {
				return "", false
			}
			if e == 'x' {
				b.WriteByte(byte(r)) // yaml.v3 writes \x for a byte that is not valid UTF-8
			} else {
				b.WriteRune(rune(r))
			}
			i += width
		default:
			return "", false
		}
	}
	return b.String(), true
}

// interactionOf maps a parsed item onto go-vcr's Interaction, as yaml.v3 decodes it; ok is false for any
// shape yaml.v3 would judge differently (a type it would convert or refuse), which yaml.v3 then decides.
func interactionOf(n *yamlNode) (*cassette.Interaction, bool) {
	if n.kind != 'm' {
		return nil, false
	}
	in := &cassette.Interaction{}
	for _, kv := range n.pairs {
		key, v := kv.key, kv.value
		var ok bool
		switch key {
		case "request":
			ok = requestOf(v, &in.Request)
		case "response":
			ok = responseOf(v, &in.Response)
		default:
			ok = false // unknown members: let yaml.v3 say what it makes of them
		}
		if !ok {
			return nil, false
		}
	}
	return in, true
}

func requestOf(n *yamlNode, r *cassette.Request) bool {
	if n.kind != 'm' {
		return isNull(n)
	}
	for _, kv := range n.pairs {
		key, v := kv.key, kv.value
		var ok bool
		switch key {
		case "body":
			r.Body, ok = stringOf(v)
		case "url":
			r.URL, ok = stringOf(v)
		case "method":
			r.Method, ok = stringOf(v)
		case "form":
			r.Form, ok = valuesOf(v)
		case "headers":
			var h map[string][]string
			h, ok = valuesOf(v)
			r.Headers = h
		}
		if !ok {
			return false
		}
	}
	return true
}

func responseOf(n *yamlNode, r *cassette.Response) bool {
	if n.kind != 'm' {
		return isNull(n)
	}
	for _, kv := range n.pairs {
		key, v := kv.key, kv.value
		var ok bool
		switch key {
		case "body":
			r.Body, ok = stringOf(v)
		case "status":
			r.Status, ok = stringOf(v)
		case "headers":
			var h map[string][]string
			h, ok = valuesOf(v)
			r.Headers = h
		case "code":
			if ok = isNull(v); !ok && v.kind == 's' && v.plain {
				var err error
				r.Code, err = strconv.Atoi(v.scalar)
				ok = err == nil && strconv.Itoa(r.Code) == v.scalar
			}
		case "duration":
			// yaml.v3 parses a string into a time.Duration, and refuses a number.
			if ok = isNull(v); !ok && v.kind == 's' && v.plain && !numeric(v.scalar) {
				d, err := time.ParseDuration(v.scalar)
				r.Duration, ok = d, err == nil
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// isNull reports a plain null, which yaml.v3 decodes as the zero value.
func isNull(n *yamlNode) bool {
	if n.kind != 's' || !n.plain {
		return false
	}
	switch n.scalar {
	case "", "~", "null", "Null", "NULL":
		return true
	}
	return false
}

// yamlFloat is yaml.v3's pattern of a plain float.
var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// numeric reports a plain scalar yaml.v3 resolves to a number (its resolve rules: integers in any base, with
// underscores, floats, infinities and NaN): yaml.v3 decides what a number becomes.
func numeric(s string) bool {
	if s == "" || !strings.ContainsRune("0123456789+-.", rune(s[0])) {
		return false // the common case, decided without parsing
	}
	switch s {
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
		return true
	}
	plain := s
	if strings.Contains(s, "_") {
		plain = strings.ReplaceAll(s, "_", "")
	}
	if yamlFloat.MatchString(plain) {
		return true // decimal integers and floats
	}
	// Other bases: 0x…, 0o…, 0b… (and octal 0…), signed or not.
	digits := strings.TrimLeft(plain, "+-")
	if len(digits) < 2 || digits[0] != '0' {
		return false
	}
	if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return true
	}
	if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return true
	}
	return strings.HasPrefix(digits, "0b") || strings.HasPrefix(digits, "0o")
}

// stringOf is a scalar decoded into a string field: its text, as yaml.v3 sets it whatever the plain scalar
// resolves to, and "" for a null.
func stringOf(n *yamlNode) (string, bool) {
	if n.kind != 's' {
		return "", false
	}
	if isNull(n) {
		return "", true
	}
	return n.scalar, true
}

// looksTyped reports a plain key that is not plainly a name (a null, a merge key, a number): yaml.v3 decides.
func looksTyped(s string) bool {
	switch s {
	case "~", "null", "Null", "NULL", "<<":
		return true
	}
	return numeric(s)
}

// valuesOf is a mapping of scalar sequences (http.Header, url.Values).
func valuesOf(n *yamlNode) (map[string][]string, bool) {
	if n.kind == 's' {
		return nil, isNull(n)
	}
	if n.kind != 'm' {
		return nil, false
	}
	out := make(map[string][]string, len(n.pairs))
	for _, kv := range n.pairs {
		key, v := kv.key, kv.value
		if v.kind != 'l' {
			return nil, false
		}
		list := make([]string, 0, len(v.items))
		for _, item := range v.items {
			s, ok := stringOf(item)
			if !ok {
				return nil, false
			}
			list = append(list, s)
		}
		if _, dup := out[key]; dup {
			return nil, false
		}
		out[key] = list
	}
	return out, true
}
