// Package clienttest holds the tests of package smooch that need more than the standard library: the client
// against the in-memory fake (smoochtest), against the contract (openapi) and the contract suite (conformance),
// the fault matrix, the fuzz targets and the benchmarks. They live here, in the maintainers' module, so that the
// smooch module requires golang-jwt alone: every requirement of a go.mod, test-only or not, takes part in the
// version selection of every module that depends on it. Package smooch keeps only its internal tests and the
// examples that need no server; the examples that run against the fake are smoochtest's.
package clienttest
