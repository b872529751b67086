package conformance

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"gopkg.in/yaml.v3"
)

// Reading cassettes in constant memory. A day of live traffic is a cassette of hundreds of megabytes: go-vcr's
// loader parses it whole with yaml.v3 and holds every interaction, which costs about 25 times the file in
// memory. The stream reader below splits the interactions sequence into its items by their indentation, as
// any block sequence is laid out (go-vcr's four spaces, PyYAML's none, any other), skipping top-level keys it
// does not use, and decodes one item at a time with yaml.v3, as go-vcr does; a fuzz test holds the two equal.
// Only a cassette whose interactions are not a block sequence (a flow collection, JSON) or that shares anchors
// across them is read whole, bounded by maxWhole. About 15,000 interactions/s on one core, validation
// included (a block-YAML parser of our own reached 46,000, for 600 more lines; the goal is 10,000).

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
	read, err := streamInteractions(path, f, fn)
	if !errors.Is(err, errNotBlock) {
		return err
	}
	// Interactions that are not a block sequence, or anchors shared across them: go-vcr's own loader decides,
	// holding the whole file, as it would; fn has had the interactions before the one that could not be split.
	c, err := loadWithGoVCR(path)
	if err != nil {
		return err
	}
	for i, in := range c.Interactions[min(read, len(c.Interactions)):] {
		if err := fn(read+i, in); err != nil {
			return err
		}
	}
	return nil
}

// errNotBlock says that the interactions cannot be read one at a time: they are not a block sequence, or
// one refers to an anchor another defines.
var errNotBlock = errors.New("the interactions are not a block sequence of their own items")

// streamInteractions reads r, the cassette at path, and calls fn with each interaction; it returns how many it
// passed to fn. errNotBlock says that the rest must be read whole.
func streamInteractions(path string, r io.Reader, fn func(int, *cassette.Interaction) error) (int, error) {
	notCassette := func(why string) error {
		return fmt.Errorf("conformance: %s: not a go-vcr v2 cassette (%s)", path, why)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		sawVersion, sawInteractions bool
		inInteractions              bool   // within the interactions' block sequence
		itemIndent                  = -1   // the column of its items' dashes, once the first is seen
		buf                         []byte // the current interaction's lines, read into one buffer
		lines                       int
		index                       int
		firstLine                   int // the file's line where the current interaction starts
	)
	flush := func() error {
		if lines == 0 {
			return nil
		}
		in, err := decodeInteraction(buf)
		n := lines
		buf, lines = buf[:0], 0
		switch {
		case err != nil && strings.Contains(err.Error(), "unknown anchor"):
			return errNotBlock // an alias of an anchor that another interaction defines
		case err != nil:
			return fmt.Errorf("conformance: %s: %s", path, located(err, index, firstLine, n))
		case in == nil:
			return fmt.Errorf("conformance: %s: interaction %d is empty", path, index)
		}
		if err := fn(index, in); err != nil {
			return err
		}
		index++
		return nil
	}
	add := func(line []byte, lineNo int) error {
		if lines == 0 {
			firstLine = lineNo
			buf = append(buf, "interactions:\n"...) // what decodeInteraction parses: a sequence of this one item
		}
		if len(buf)+len(line) > maxInteraction {
			return fmt.Errorf("conformance: %s: interaction %d is larger than %d MiB", path, index, maxInteraction>>20)
		}
		buf = append(append(buf, line...), '\n')
		lines++
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
					return index, fmt.Errorf("conformance: %s: line %d is longer than %d MiB", path, lineNo, maxInteraction>>20)
				}
			}
			raw = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return index, fmt.Errorf("conformance: %s: %w", path, err)
		}
		if len(raw) == 0 && errors.Is(err, io.EOF) {
			break
		}
		line := bytes.TrimRight(raw, "\r\n")
		trimmed := bytes.TrimLeft(line, " ")
		indent := len(line) - len(trimmed)
		item := bytes.HasPrefix(trimmed, []byte("- ")) || len(trimmed) == 1 && trimmed[0] == '-'
		switch {
		case len(trimmed) == 0 || trimmed[0] == '#':
			if inInteractions && lines > 0 {
				if err := add(line, lineNo); err != nil { // blank lines belong to literal blocks
					return index, err
				}
			}
		case inInteractions && item && (itemIndent < 0 || indent == itemIndent):
			if itemIndent < 0 {
				itemIndent = indent
			}
			if err := flush(); err != nil {
				return index, err
			}
			if err := add(line, lineNo); err != nil {
				return index, err
			}
		case inInteractions && itemIndent >= 0 && indent > itemIndent:
			if err := add(line, lineNo); err != nil {
				return index, err
			}
		case indent == 0:
			if err := flush(); err != nil {
				return index, err
			}
			inInteractions = false
			text := string(line)
			key, value, isKey := strings.Cut(text, ":")
			value = strings.TrimSpace(value)
			switch {
			case text == "---" || text == "...":
			case !isKey || key == "" || strings.ContainsAny(key[:1], "{[\"'?&*!%@`|>-") || strings.Contains(key, " #"):
				return index, errNotBlock // JSON, a flow collection, a quoted key, a tag: not block YAML's plain keys
			case (key == "version" || key == "interactions") && (key == "version" && (sawVersion || value == "") || key == "interactions" && sawInteractions):
				return index, errNotBlock // a key given twice, or its value on the lines below: go-vcr's loader decides
			case key == "version":
				if value != "1" {
					if n, err := strconv.Atoi(value); err == nil {
						return index, notCassette(fmt.Sprintf("format version %d, want 1", n))
					}
					return index, notCassette(fmt.Sprintf("version %q", value))
				}
				sawVersion = true
			case key == "interactions":
				sawInteractions = true
				switch value {
				case "":
					inInteractions, itemIndent = true, -1
				case "[]":
				default:
					return index, errNotBlock
				}
			}
			// Any other top-level key is ignored, as go-vcr ignores it; so are the lines nested under it.
		case inInteractions && itemIndent < 0:
			return index, notCassette("interactions is not a sequence")
		case inInteractions:
			return index, fmt.Errorf("conformance: %s: line %d: not a go-vcr v2 cassette (an interaction that is not an item of the interactions)", path, lineNo)
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if err := flush(); err != nil {
		return index, err
	}
	if !sawVersion || !sawInteractions {
		// Not a cassette, or not one laid out in block YAML: go-vcr's loader, bounded, says which and why (an
		// empty file, binary data, what is missing).
		return index, errNotBlock
	}
	return index, nil
}

// decodeInteraction decodes doc, "interactions:" and one item of the sequence, as go-vcr decodes a cassette
// (yaml.v3).
func decodeInteraction(doc []byte) (*cassette.Interaction, error) {
	var c struct {
		Interactions []*cassette.Interaction `yaml:"interactions"`
	}
	if err := yaml.Unmarshal(doc, &c); err != nil {
		return nil, err
	}
	if len(c.Interactions) != 1 {
		return nil, fmt.Errorf("an interaction is %d items", len(c.Interactions))
	}
	return c.Interactions[0], nil
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
