#!/usr/bin/env bash
# make api-diff [BASE=<git ref>]: the exported Go API's changes since BASE in the packages semver covers, as
# golang.org/x/exp/cmd/apidiff (pinned in go.mod through tools.go) reports them, and the version bump they imply.
#
# Usage: .ci/api-diff.sh [BASE]   (from any directory of the repository; GO and API_DIFF_PACKAGES may be set)
#
# BASE defaults to the latest tag, else the repository's first commit; its tree is exported with git archive.
# Each package is named by its directory. apidiff -w writes its export data from inside that directory, in the
# working tree and in the base tree alike, so the go command there loads it from whichever module holds it: the
# root module today, a nested module (smooch/go.mod, smooch/smoochtest/go.mod) as well. A package only one side
# has is reported as apidiff -m does: "package P: added" (compatible) or "removed" (incompatible).
#
# The bump follows Go's module rules, per module: an incompatible change takes a new major version (below v1, a
# new minor one), a compatible one a new minor, none a patch; from the module's latest tag at BASE (a nested
# module's tags are prefixed with its directory, smooch/v0.3.0), v0.0.0 without one. Exit 0; non-zero on errors.
set -euo pipefail
GO=${GO:-go}
packages=${API_DIFF_PACKAGES:-smooch smooch/smoochtest}

root=$(git rev-parse --show-toplevel)
cd "$root"
base=${1:-}
if [ -z "$base" ]; then
	base=$(git describe --tags --abbrev=0 2>/dev/null) || base=$(git rev-list --max-parents=0 HEAD | tail -n 1)
fi
commit=$(git rev-parse --verify --quiet "$base^{commit}") || { echo "api-diff: $base is not a commit of this repository" >&2; exit 2; }
name=$base
if [ "$name" = "$commit" ]; then name=${commit:0:12}; else name="$base (${commit:0:12})"; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/base"
git archive "$commit" | tar -x -C "$tmp/base"
"$GO" build -o "$tmp/apidiff" golang.org/x/exp/cmd/apidiff

has_package() { [ -d "$1" ] && find "$1" -maxdepth 1 -name '*.go' ! -name '*_test.go' | grep -q .; }

# export_data DIR FILE: writes the export data of the package in DIR to FILE, running apidiff inside DIR.
export_data() (
	cd "$1"
	"$tmp/apidiff" -w "$2" .
)

echo "Go API changes from $name to the working tree (golang.org/x/exp/cmd/apidiff)"
: > "$tmp/counts"
for dir in $packages; do
	old=$tmp/base/$dir new=$root/$dir
	if has_package "$new"; then
		export_data "$new" "$tmp/new.x"
		path=$(head -n 1 "$tmp/new.x")
		gomod=$(cd "$new" && "$GO" env GOMOD)
	fi
	if has_package "$old"; then
		# The base tree is a copy: the go command may complete its go.sum (not in a workspace, which refuses -mod).
		if [ -n "$(cd "$old" && "$GO" env GOWORK)" ]; then
			export_data "$old" "$tmp/old.x"
		else
			GOFLAGS="${GOFLAGS:-} -mod=mod" export_data "$old" "$tmp/old.x"
		fi
		has_package "$new" || { path=$(head -n 1 "$tmp/old.x"); gomod=$(cd "$old" && "$GO" env GOMOD); gomod=$root/${gomod#"$tmp/base/"}; }
	fi
	if has_package "$new" && has_package "$old"; then
		report=$("$tmp/apidiff" "$tmp/old.x" "$tmp/new.x")
	elif has_package "$new"; then
		report=$(printf 'Compatible changes:\n- package %s: added' "$path")
	elif has_package "$old"; then
		report=$(printf 'Incompatible changes:\n- package %s: removed' "$path")
	else
		echo "api-diff: $dir holds no Go package, here or at $name" >&2
		exit 2
	fi
	printf '\n%s\n%s\n' "$path" "${report:-no changes}"
	# The module's directory relative to the repository: its tags' prefix.
	moddir=$(dirname "$gomod")
	moddir=${moddir#"$root"}
	moddir=${moddir#/}
	printf '%s\n' "$report" | awk -v m="${moddir:-.}" '
		/^Incompatible changes:/ { s = "i"; next }
		/^Compatible changes:/ { s = "c"; next }
		/^- / { n[s]++ }
		END { print m, n["i"] + 0, n["c"] + 0 }' >> "$tmp/counts"
done

# One line per module: its changes and the bump they imply.
modules=$(cut -d' ' -f1 "$tmp/counts" | sort -u)
for moddir in $modules; do
	read -r incompatible compatible < <(awk -v m="$moddir" '$1 == m { i += $2; c += $3 } END { print i + 0, c + 0 }' "$tmp/counts")
	prefix=
	[ "$moddir" = . ] || prefix=$moddir/
	version=$(git describe --tags --abbrev=0 --match "${prefix}v[0-9]*" "$commit" 2>/dev/null) || version=${prefix}v0.0.0
	version=${version#"$prefix"}
	v=${version#v}
	v=${v%%[-+]*}
	IFS=. read -r major minor patch <<< "$v"
	major=${major:-0} minor=${minor:-0} patch=${patch:-0}
	if [ "$incompatible" -gt 0 ] && [ "$major" -eq 0 ]; then
		bump=major next="v0.$((minor + 1)).0, as below v1 incompatible changes take a minor version"
	elif [ "$incompatible" -gt 0 ]; then
		bump=major next="v$((major + 1)).0.0, with the module path ending /v$((major + 1))"
	elif [ "$compatible" -gt 0 ]; then
		bump=minor next="v$major.$((minor + 1)).0"
	else
		bump=patch next="v$major.$minor.$((patch + 1))"
	fi
	label= # with packages in several modules, each module's line names it
	[ "$(echo "$modules" | wc -w)" -eq 1 ] || label="module $moddir (tags ${prefix}v*): "
	printf '\n%s%d incompatible, %d compatible changes: a %s version (from %s: %s)\n' \
		"$label" "$incompatible" "$compatible" "$bump" "$version" "$next"
done
