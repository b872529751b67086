# smooch-go: the contract (openapi/smooch.yaml) drives everything; gen/ is generated from it.
GO      ?= go
OAPI    := $(GO) run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen
SPEC    := openapi/smooch.yaml
CONFIG  := openapi/oapi-codegen.yaml
GENFILE := $(shell sed -n 's/^output: *//p' $(CONFIG))

.PHONY: test vet fmt-check generate check-generated

## test: the README's test command: vet, formatting, generated code freshness, then every test with -race.
test: vet fmt-check check-generated
	$(GO) test -race ./...

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## generate: rewrite gen/ from the contract after editing openapi/smooch.yaml.
generate:
	$(OAPI) -config $(CONFIG) $(SPEC)

## check-generated: regenerate into a temporary directory and fail if gen/ differs.
check-generated:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	sed "s#^output: .*#output: $$tmp/out.go#" $(CONFIG) > $$tmp/config.yaml; \
	$(OAPI) -config $$tmp/config.yaml $(SPEC) || exit 1; \
	if ! diff -u $(GENFILE) $$tmp/out.go > $$tmp/diff; then \
		head -40 $$tmp/diff; \
		echo "gen/ is stale: run 'make generate' and commit the result"; exit 1; \
	fi; \
	echo "gen/ is up to date with $(SPEC)"

# ---------------------------------------------------------------- contract suite (conformance/, cassettes/)
.PHONY: conformance conformance-record conformance-live conformance-live-fake conformance-sweep

## conformance: the contract suite offline, replaying cassettes/; then the CLI's verdict and coverage table.
conformance:
	SMOOCH_CONFORMANCE=replay $(GO) test -count=1 ./conformance/...
	$(GO) run ./conformance/cmd/smooch-conformance validate cassettes
	$(GO) run ./conformance/cmd/smooch-conformance coverage cassettes

## conformance-record: rewrite cassettes/ against a deterministic smoochtest (a second run changes nothing).
conformance-record:
	SMOOCH_CONFORMANCE=record $(GO) test -count=1 -run '^TestConformance$$' ./conformance/

## conformance-live: the suite against SMOOCH_API_URL (default https://api.smooch.io) with the account key
## SMOOCH_KEY_ID / SMOOCH_SECRET; prints where it wrote its cassettes. The timeout is go test's 10m raised:
## when it fires the process dies without cleaning up, and a slow API (each call may take up to a minute) can need more.
## SMOOCH_CONFORMANCE_DIR may be relative to where make runs (go test runs the suite in conformance/).
conformance-live:
	SMOOCH_CONFORMANCE=live $(if $(SMOOCH_CONFORMANCE_DIR),SMOOCH_CONFORMANCE_DIR=$(abspath $(SMOOCH_CONFORMANCE_DIR))) $(GO) test -count=1 -v -timeout 30m -run '^TestConformance$$' ./conformance/

## conformance-live-fake: live mode against cmd/smooch-fake on loopback, as CI runs it.
conformance-live-fake:
	GO=$(GO) ./conformance/live-against-fake.sh

## conformance-sweep: delete what interrupted live runs left (same SMOOCH_* variables as conformance-live).
conformance-sweep:
	$(GO) run ./conformance/cmd/smooch-conformance sweep

# ---------------------------------------------------------------- when the API changes (README "When the API changes")
.PHONY: contract-diff api-diff

## contract-diff: the contract's changes since BASE (a git ref; default: the latest tag, else the first commit),
## each classified for API clients by oasdiff: breaking, may break, not breaking; then every raw difference.
contract-diff:
	$(GO) run ./internal/cmd/contract-diff $(if $(BASE),-base $(BASE))

## api-diff: the exported Go API's changes since BASE (same default) in smooch, smoochtest and gen (whose types
## smooch's models alias), by golang.org/x/exp/apidiff: incompatible and compatible, and the semver bump they imply.
api-diff:
	$(GO) run ./internal/cmd/api-diff $(if $(BASE),-base $(BASE))
