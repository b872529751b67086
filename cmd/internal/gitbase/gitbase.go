// Package gitbase finds the revision the repository's diff tools (make
// contract-diff, make api-diff) compare against, and reads files at it.
package gitbase

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// Resolve returns the revision to compare against and a name for it: ref
// when given, else the latest tag reachable from HEAD, else the repository's
// first commit. The revision is a full commit hash.
func Resolve(dir, ref string) (commit, name string, err error) {
	name = ref
	if ref == "" {
		if tag, err := git(dir, "describe", "--tags", "--abbrev=0"); err == nil && tag != "" {
			name = tag
		} else {
			roots, err := git(dir, "rev-list", "--max-parents=0", "HEAD")
			if err != nil {
				return "", "", err
			}
			lines := strings.Fields(roots)
			if len(lines) == 0 {
				return "", "", fmt.Errorf("git: no commit in %s", dir)
			}
			name = lines[len(lines)-1]
		}
	}
	commit, err = git(dir, "rev-parse", "--verify", "--quiet", name+"^{commit}")
	if err != nil || commit == "" {
		return "", "", fmt.Errorf("%q is not a commit of this repository", name)
	}
	if name == commit {
		name = commit[:12]
	} else {
		name += " (" + commit[:12] + ")"
	}
	return commit, name, nil
}

// Show is the content of path at commit.
func Show(dir, commit, path string) ([]byte, error) {
	cmd := exec.Command("git", "show", commit+":"+path)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git show %s:%s: %v: %s", commit[:min(12, len(commit))], path, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// Export writes the tree of commit into dir (which must exist), as
// `git archive` produces it.
func Export(repo, commit, dir string) error {
	archive := exec.Command("git", "archive", "--format=tar", commit)
	archive.Dir = repo
	untar := exec.Command("tar", "-x", "-C", dir)
	pipe, err := archive.StdoutPipe()
	if err != nil {
		return err
	}
	untar.Stdin = pipe
	var archiveErr, untarErr bytes.Buffer // one each: the two processes write at once
	archive.Stderr, untar.Stderr = &archiveErr, &untarErr
	if err := untar.Start(); err != nil {
		return err
	}
	if err := archive.Run(); err != nil {
		_ = untar.Wait()
		return fmt.Errorf("git archive %s: %v: %s", commit, err, strings.TrimSpace(archiveErr.String()))
	}
	if err := untar.Wait(); err != nil {
		return fmt.Errorf("tar: %v: %s", err, strings.TrimSpace(untarErr.String()))
	}
	return nil
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}
