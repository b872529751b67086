package conformance

import (
	"fmt"
	"strings"
)

// unifiedDiff is the unified diff (3 lines of context) that turns a into b,
// naming the file name on both sides as git does (a/name, b/name), so that
// `git apply` and `patch -p1` apply it. Empty when a and b are equal.
func unifiedDiff(name string, a, b []byte) string {
	al, bl := splitLines(string(a)), splitLines(string(b))
	ops := diffLines(al, bl)
	const context = 3
	var out strings.Builder
	// Group the edits into hunks: runs of changes less than 2×context equal lines apart.
	i := 0
	for i < len(ops) {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(i-context, 0)
		for start < i && ops[start].kind != ' ' {
			start++
		}
		end := i
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			next := end
			for next < len(ops) && ops[next].kind == ' ' {
				next++
			}
			if next < len(ops) && next-end <= 2*context {
				end = next
				continue
			}
			end = min(end+context, len(ops))
			break
		}
		if out.Len() == 0 {
			fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
		}
		hunk := ops[start:end]
		aStart, bStart, aCount, bCount := hunk[0].a, hunk[0].b, 0, 0
		for _, op := range hunk {
			if op.kind != '+' {
				aCount++
			}
			if op.kind != '-' {
				bCount++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aCount), hunkRange(bStart, bCount))
		for _, op := range hunk {
			out.WriteByte(op.kind)
			out.WriteString(op.line)
			out.WriteByte('\n')
		}
		i = end
	}
	return out.String()
}

func hunkRange(start, count int) string {
	if count == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	return fmt.Sprintf("%d,%d", start+1, count)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// diffOp is one line of an edit script: ' ' kept, '-' deleted, '+' inserted;
// a and b are the line's index (from 0) in each file, or where it would be.
type diffOp struct {
	kind byte
	line string
	a, b int
}

// diffLines is a shortest edit script from a to b: a longest common
// subsequence by dynamic programming, after the common prefix and suffix are
// set aside. Contract patches change a few places of a file of a few
// thousand lines, which this handles at once.
func diffLines(a, b []string) []diffOp {
	prefix := 0
	for prefix < len(a) && prefix < len(b) && a[prefix] == b[prefix] {
		prefix++
	}
	suffix := 0
	for suffix < len(a)-prefix && suffix < len(b)-prefix && a[len(a)-1-suffix] == b[len(b)-1-suffix] {
		suffix++
	}
	am, bm := a[prefix:len(a)-suffix], b[prefix:len(b)-suffix]
	// lcs[i][j] is the length of the LCS of am[i:] and bm[j:].
	lcs := make([][]int32, len(am)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(bm)+1)
	}
	for i := len(am) - 1; i >= 0; i-- {
		for j := len(bm) - 1; j >= 0; j-- {
			if am[i] == bm[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	ops := make([]diffOp, 0, len(a)+len(b))
	for k := 0; k < prefix; k++ {
		ops = append(ops, diffOp{' ', a[k], k, k})
	}
	i, j := 0, 0
	for i < len(am) || j < len(bm) {
		switch {
		case i < len(am) && j < len(bm) && am[i] == bm[j]:
			ops = append(ops, diffOp{' ', am[i], prefix + i, prefix + j})
			i++
			j++
		case i < len(am) && (j == len(bm) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, diffOp{'-', am[i], prefix + i, prefix + j})
			i++
		default:
			ops = append(ops, diffOp{'+', bm[j], prefix + i, prefix + j})
			j++
		}
	}
	for k := 0; k < suffix; k++ {
		ops = append(ops, diffOp{' ', a[len(a)-suffix+k], len(a) - suffix + k, len(b) - suffix + k})
	}
	return ops
}
