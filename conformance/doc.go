// Package conformance checks recorded HTTP traffic against the Smooch contract
// (openapi/smooch.yaml) and holds the contract suite that drives the smooch
// client through every operation.
//
// Traffic is kept as go-vcr v2 cassettes: YAML files of request/response
// interactions. This package loads them, validates every interaction against
// the contract (route, parameters, bearer token shape, request body, declared
// status, content type, response body schema, and members the contract does
// not declare), redacts credentials before a cassette is written, scans
// cassettes for leaked secrets, matches replayed requests by method, URL and
// JSON-equal body, and tabulates which operation × status pairs a set of
// cassettes exercises.
//
// The command conformance/cmd/smooch-conformance exposes the validation and
// coverage report for users' own cassettes.
package conformance
