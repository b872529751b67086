package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dnaeon/go-vcr/v2/cassette"
)

// Cassette is a go-vcr v2 cassette loaded from Path.
type Cassette struct {
	Path string
	*cassette.Cassette
}

// cassetteExt is the extension go-vcr v2 gives every cassette file.
const cassetteExt = ".yaml"

// LoadCassettes loads the cassettes at paths: each path is a cassette file or
// a directory, searched recursively for *.yaml files. The result is in path
// order, each file once. A path that does not exist, a file that is not a go-vcr v2 cassette,
// or a directory without any cassette is an error.
func LoadCassettes(paths ...string) ([]*Cassette, error) {
	files, err := CassetteFiles(paths...)
	if err != nil {
		return nil, err
	}
	out := make([]*Cassette, 0, len(files))
	for _, f := range files {
		c, err := LoadCassette(f)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// CassetteFiles lists the cassette files at paths, as LoadCassettes would load them: each path is a cassette
// file or a directory searched recursively for *.yaml files, in path order, each file once. A path that does
// not exist, or a directory without any cassette, is an error. Symbolic links to directories inside a directory
// are not followed.
func CassetteFiles(paths ...string) ([]string, error) {
	if len(paths) == 0 {
		return nil, errors.New("conformance: no cassette paths given")
	}
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("conformance: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		// A directory named through a symbolic link is searched; links met inside are not followed, so a link
		// loop cannot recurse (WalkDir's rule).
		root := p
		if link, err := os.Lstat(p); err == nil && link.Mode()&fs.ModeSymlink != 0 {
			root = p + string(filepath.Separator)
		}
		var found []string
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, cassetteExt) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("conformance: %w", err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("conformance: %s: no %s cassettes in this directory", p, cassetteExt)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	out := make([]string, 0, len(files))
	seen := map[string]bool{} // a file named twice (a directory and a file in it) counts once
	for _, f := range files {
		key, err := filepath.Abs(f)
		if err != nil {
			key = filepath.Clean(f)
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, f)
	}
	return out, nil
}

// cassetteKeys are the top-level keys every go-vcr v2 cassette file has.
// go-vcr assumes format version 1 when a file says none, so without this
// check any YAML file (a docker-compose.yaml found in a directory) would load
// as a cassette without interactions.
var cassetteKeys = []*regexp.Regexp{regexp.MustCompile(`(?m)^version:`), regexp.MustCompile(`(?m)^interactions:`)}

// LoadCassette loads one go-vcr v2 cassette file, all its interactions in
// memory: StreamCassette reads them one at a time instead. go-vcr names
// cassettes without their extension, so the file must end in .yaml.
func LoadCassette(path string) (*Cassette, error) {
	c := cassette.New(strings.TrimSuffix(path, cassetteExt))
	c.Version = 1
	err := StreamCassette(path, func(_ int, in *cassette.Interaction) error {
		c.Interactions = append(c.Interactions, in)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Cassette{Path: path, Cassette: c}, nil
}

// loadWithGoVCR loads a cassette with go-vcr's own loader (yaml.v3 on the
// whole file), for files the stream reader does not read itself.
func loadWithGoVCR(path string) (*Cassette, error) {
	if !strings.HasSuffix(path, cassetteExt) {
		return nil, fmt.Errorf("conformance: %s: a go-vcr v2 cassette file ends in %s", path, cassetteExt)
	}
	data, err := readWhole(path)
	if err != nil {
		return nil, err
	}
	for _, key := range cassetteKeys {
		if !key.Match(data) {
			return nil, fmt.Errorf("conformance: %s: not a go-vcr v2 cassette (no top-level %q)", path, strings.TrimPrefix(key.String(), "(?m)^"))
		}
	}
	c, err := cassette.Load(strings.TrimSuffix(path, cassetteExt))
	if err != nil {
		return nil, fmt.Errorf("conformance: %s: not a go-vcr v2 cassette: %w", path, err)
	}
	if c.Version != 1 {
		return nil, fmt.Errorf("conformance: %s: not a go-vcr v2 cassette (format version %d, want 1)", path, c.Version)
	}
	for i, in := range c.Interactions {
		if in == nil {
			return nil, fmt.Errorf("conformance: %s: interaction %d is empty", path, i)
		}
	}
	return &Cassette{Path: path, Cassette: c}, nil
}

// maxWhole bounds the files read whole, those not laid out as go-vcr writes them: yaml.v3 needs about 25 times
// a file's size in memory, so a larger one is refused rather than allowed to exhaust it.
var maxWhole = 64 << 20 // a variable for a test

// readWhole reads a cassette that cannot be streamed, after checks that give a file that is no cassette at all
// a message saying what it is.
func readWhole(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(maxWhole)+1))
	if err != nil {
		return nil, fmt.Errorf("conformance: %s: %w", path, err)
	}
	text := data
	if len(text) > maxWhole { // cut where a character cannot be split in two
		text = text[:bytes.LastIndexByte(text[:maxWhole], '\n')+1]
	}
	switch {
	case len(data) == 0:
		return nil, fmt.Errorf("conformance: %s: not a go-vcr v2 cassette (the file is empty)", path)
	case bytes.IndexByte(text, 0) >= 0 || !utf8.Valid(text):
		return nil, fmt.Errorf("conformance: %s: not a go-vcr v2 cassette (binary data, not YAML text)", path)
	case len(data) > maxWhole:
		return nil, fmt.Errorf("conformance: %s: larger than %d MiB and not laid out as go-vcr writes cassettes, "+
			"so it cannot be read one interaction at a time; save it with go-vcr", path, maxWhole>>20)
	}
	return data, nil
}
