// Package conformance checks recorded HTTP traffic against the Smooch contract
// (openapi/smooch.yaml), and its tests are the contract suite: scenarios that
// drive the smooch client through every operation and the documented flows.
//
// Traffic is kept as go-vcr v2 cassettes: YAML files of request/response
// interactions. This package loads them (LoadCassettes), validates every
// interaction against the contract (Checker: route, parameters, bearer token
// shape, request body, declared status, content type, response body schema,
// and members the contract does not declare), redacts credentials before a
// cassette is written (Redact, a go-vcr save filter), scans cassettes for
// leaked secrets by name and shape (ScanSecrets) and for the exact
// credentials a run sent or received (SeenSecrets), replays them offline matching requests by
// method, URL and JSON-equal body (Replayer), tabulates which operation ×
// status pairs they exercise (Coverage), deletes what an interrupted live
// run left behind (Sweep), explains how recorded answers drift from the
// contract (Drift: undeclared members, statuses, content types and enum
// values, missing required members, wrong types), and writes the contract
// patch that declares that drift (PatchContract).
//
// # The contract suite
//
// TestConformance runs one scenario per cassette in cassettes/. The
// environment variable SMOOCH_CONFORMANCE picks the mode:
//
//   - replay (the default): offline, from cassettes/. A request no recorded
//     interaction matches fails, and so does an interaction never used.
//   - record: against a deterministic smoochtest, rewriting cassettes/.
//     Recording twice gives the same files.
//   - live: against SMOOCH_API_URL (default https://api.smooch.io) with the
//     account key SMOOCH_KEY_ID / SMOOCH_SECRET. It writes fresh cassettes to
//     SMOOCH_CONFORMANCE_DIR (default: a new temporary directory, printed),
//     names everything it creates "smooch-conformance-<run id>-…", and deletes
//     it all when each scenario ends, failed or not; the run ends by sweeping
//     its own prefix, failing on anything a scenario left. It needs a user
//     account key (act_…). Members the contract does not declare are warnings
//     here, errors everywhere else. An operation that needs a channel the
//     live API refused with fake credentials (a WhatsApp business profile)
//     may stay uncovered: logged, not failed.
//     SMOOCH_CONFORMANCE_WEBHOOK_TARGET replaces the webhook target
//     (https://example.com/smooch-conformance/hook), which the API must be
//     able to reach with a HEAD request.
//
// In every mode each exchange is validated as it happens, and each cassette
// again once written. Coverage, and in replay and record the absence of
// stale cassettes, are judged only when every scenario ran: a run narrowed
// with -run (TestConformance/webhooks) checks just its scenarios.
//
// The command conformance/cmd/smooch-conformance validates users' own
// cassettes, prints the coverage table, reports drift and its contract
// patch, and sweeps leftovers.
package conformance
