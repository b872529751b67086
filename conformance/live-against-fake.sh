#!/bin/sh
# Runs the contract suite in live mode against cmd/smooch-fake on loopback:
# the path users take against https://api.smooch.io, end to end, offline.
# The fake verifies webhook targets on loopback only, so the suite's webhooks
# point at the fake itself (any HTTP answer below 500 counts), and the
# suite's unreachable target is refused as the live API refuses it.
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}

work=$(mktemp -d)
pid=
# The cassettes go to SMOOCH_CONFORMANCE_DIR, kept; without it, to a temporary
# directory removed on exit like everything else the run made.
cassettes=${SMOOCH_CONFORMANCE_DIR:-}
case $cassettes in
"" | /*) ;;
*) cassettes=$PWD/$cassettes ;; # relative to the repository, where make runs; go test runs in conformance/
esac
own_cassettes=
cleanup() {
	status=$?
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
	if [ -n "$own_cassettes" ]; then
		rm -rf "$cassettes"
		if [ "$status" -ne 0 ]; then
			echo "live-against-fake: failed; set SMOOCH_CONFORMANCE_DIR to keep the cassettes for a look" >&2
		fi
	fi
}
trap cleanup EXIT INT TERM

$GO build -o "$work/smooch-fake" ./cmd/smooch-fake
# -env-file appears whole once the fake listens: its export lines are sourced below.
"$work/smooch-fake" -addr 127.0.0.1:0 -verify loopback -env-file "$work/env" >"$work/banner" 2>"$work/fake.log" &
pid=$!
i=0
until [ -s "$work/env" ]; do
	i=$((i + 1))
	if [ "$i" -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "live-against-fake: smooch-fake did not start:" >&2
		cat "$work/fake.log" >&2
		exit 1
	fi
	sleep 0.1
done
. "$work/env"
url=$SMOOCH_API_URL
key_id=$SMOOCH_KEY_ID
secret=$SMOOCH_SECRET

if [ -z "$cassettes" ]; then
	cassettes=$(mktemp -d "${TMPDIR:-/tmp}/smooch-conformance-live-XXXXXX")
	own_cassettes=1
fi
SMOOCH_CONFORMANCE=live SMOOCH_API_URL="$url" SMOOCH_KEY_ID="$key_id" SMOOCH_SECRET="$secret" \
	SMOOCH_CONFORMANCE_WEBHOOK_TARGET="$url/smooch-conformance-webhook-target" SMOOCH_CONFORMANCE_DIR="$cassettes" \
	$GO test -count=1 -v -run '^TestConformance$' ./conformance/
# The written cassettes, judged by the CLI users run on their own traffic.
$GO run ./conformance/cmd/smooch-conformance validate "$cassettes"
if [ -n "$own_cassettes" ]; then
	echo "live-against-fake: passed (set SMOOCH_CONFORMANCE_DIR to keep the cassettes)"
else
	echo "live-against-fake: passed; cassettes in $cassettes"
fi
