#!/usr/bin/env bash
# make contract-diff [BASE=<git ref>]: the changes of openapi/smooch.yaml since BASE, by oasdiff's own CLI
# (github.com/oasdiff/oasdiff, pinned in go.mod through tools.go): first its changelog, every change classified
# for API clients (error: breaking, warning: may break, info: not breaking), then its raw diff, every
# difference (descriptions, examples and x- extensions included).
#
# Usage: .ci/contract-diff.sh [BASE]   (from any directory of the repository; GO may be set)
#
# BASE defaults to the latest tag, else the repository's first commit. Both sides are compared with their allOfs
# merged (--flatten-allof): the contract writes `allOf: [$ref]` where a $ref needs a sibling (x-go-name), and
# unmerged, a switch between the two reads as every property removed. Exit 0; non-zero on errors.
set -euo pipefail
GO=${GO:-go}
spec=openapi/smooch.yaml

root=$(git rev-parse --show-toplevel)
cd "$root"
base=${1:-}
if [ -z "$base" ]; then
	base=$(git describe --tags --abbrev=0 2>/dev/null) || base=$(git rev-list --max-parents=0 HEAD | tail -n 1)
fi
commit=$(git rev-parse --verify --quiet "$base^{commit}") || { echo "contract-diff: $base is not a commit of this repository" >&2; exit 2; }
name=$base
if [ "$name" = "$commit" ]; then name=${commit:0:12}; else name="$base (${commit:0:12})"; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/${commit:0:12}/openapi"
old=$tmp/${commit:0:12}/$spec
git show "$commit:$spec" > "$old"
"$GO" build -o "$tmp/oasdiff" github.com/oasdiff/oasdiff
version=$("$GO" list -m -f '{{.Version}}' github.com/oasdiff/oasdiff)

echo "Contract changes from $spec at $name to the working tree's (oasdiff $version)"
# Since v1.1 every path is under /{apiVersion}/ (v1, v1.1). oasdiff compares paths as written, so across that
# move every operation would read as removed and added again: a base from before it is compared with its /v1
# prefix and the revision's /{apiVersion} stripped, path by path.
strip=()
if ! grep -q '^  /{apiVersion}/' "$old" && grep -q '^  /{apiVersion}/' "$spec"; then
	strip=(--strip-prefix-base /v1 --strip-prefix-revision '/{apiVersion}')
	echo "(the base's paths are under /v1, the working tree's under /{apiVersion}: compared without those prefixes)"
fi
echo
echo "== oasdiff changelog: each change for API clients; error: breaking, warning: may break, info: not breaking"
"$tmp/oasdiff" changelog --flatten-allof "${strip[@]}" "$old" "$spec" | tee "$tmp/changelog"
echo "== oasdiff diff: every difference, as the raw diff lists it (descriptions, examples and x- extensions"
echo "   included; the endpoints section, the same as paths, left out; make api-diff tells their effect on Go)"
"$tmp/oasdiff" diff --flatten-allof --exclude-elements endpoints "${strip[@]}" "$old" "$spec"
echo "== $(head -n 1 "$tmp/changelog")"
