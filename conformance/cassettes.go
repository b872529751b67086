package conformance

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

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
// not exist, or a directory without any cassette, is an error.
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
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
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
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("conformance: %w", err)
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
