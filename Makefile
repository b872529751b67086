# smooch-go: the contract (openapi/smooch.yaml) drives everything; gen/ is generated from it.
#
# The repository holds five modules (README, "Layout"): the SDK (smooch/), the fake (smooch/smoochtest/), the
# contract's loader and validator (openapi/), the generated server and client (gen/), and at the top the
# maintainers' module: the pinned tools, the contract suite, the commands and the SDK's own tests. Every target
# that runs go on packages runs it in each module, from that module's directory, with its own go.mod.
GO      ?= go
MODULES := . smooch smooch/smoochtest openapi gen
OAPI    := $(GO) run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen
SPEC    := openapi/smooch.yaml
# Each configuration writes one generated file: gen/ (client, server, models) and smooch's own models.
CONFIGS := openapi/oapi-codegen.yaml openapi/oapi-codegen-smooch.yaml

# Tools are pinned in the maintainers' module (go.mod, tools.go) and built into bin/ from there, so that they
# run on the other modules without entering their go.mod.
BIN         := $(CURDIR)/bin
STATICCHECK := $(BIN)/staticcheck

# in-modules runs CMD in every module's directory and fails on the first that fails.
in-modules = for m in $(MODULES); do echo "($$m) $(1)"; (cd $$m && $(1)) || exit 1; done

.PHONY: test test-e2e vet lint fmt-check tidy-check generate check-generated release-check release-versions tools

## test: the README's test command: vet, formatting, lint, tidy go.mod files, generated code freshness, then
## every unit, example and seed-corpus test of every module with the race detector wherever it can run, -short:
## the slow end-to-end tests are make test-e2e's. -race needs cgo: with CGO_ENABLED=0 or no C compiler the
## tests run without it, and a line says so and why.
test: vet fmt-check lint tidy-check check-generated
	@$(call go-test,-short)

## test-e2e: the slow end-to-end tests make test leaves out (each skips itself under -short, and E2E_TESTS must
## name every one of them: a test checks): the README's API-change runbook, the fault matrix, a 100,000-interaction
## cassette, a 1 GiB response, the shared client under faults, the heap guards, the channel-switch programs, the
## module graphs of users' modules (these need the module proxy), and the drift patches of the v1.1 traffic
## (each a patch of the whole contract) and CONTRIBUTING.md's worked example of the v1.1 run. CI runs it.
E2E_TESTS := ^(TestRunbook|TestFaultMatrix|TestValidateAHundredThousandInteractions|TestAGigabyteResponseIsNotReadIntoMemory$\
	|TestSharedClientUnderFaults|TestAllHoldsOnePageAtATime|TestValidationHoldsOneInteractionAtATime$\
	|TestWrongChannelCasesDoNotCompile|TestAClientOnlyUserGetsTheClientAndGolangJWT|TestAFakeUserGetsWhatTheFakeNeeds$\
	|TestDriftPatchOfV11TrafficClosesTheLoop|TestTheDriftPatchOfALiveRecordingMarksEveryCredential$\
	|TestDriftPatchesTheRequestSideAndTheNewOperations|TestContributingWorkedExample)$$
test-e2e:
	@$(call go-test,-run '$(E2E_TESTS)')

# go-test runs go test with the flags given in every module, with -race where it can run, and says so where not.
# The modules' tests run at once (one module's slowest package would otherwise leave a core idle), each into a
# file of its own, printed in order once all are done; any failure fails the target.
go-test = cc=$$($(GO) env CC); cc=$${cc%% *}; why=; race=-race; \
	if ! command -v "$$cc" >/dev/null 2>&1; then \
		why="no C compiler ($$cc not found), and -race requires cgo"; \
	elif [ "$$($(GO) env CGO_ENABLED)" != 1 ]; then \
		why="CGO_ENABLED=0, and -race requires cgo"; \
	fi; \
	if [ -n "$$why" ]; then echo "make test: race detector skipped: $$why"; race=; export CGO_ENABLED=0; fi; \
	out=$$(mktemp -d); trap 'rm -rf "$$out"' EXIT; i=0; \
	for m in $(MODULES); do \
		i=$$((i + 1)); (cd $$m && $(GO) test $$race $(1) ./... > "$$out/$$i" 2>&1; echo $$? > "$$out/$$i.rc") & \
	done; \
	wait; failed=; i=0; \
	for m in $(MODULES); do \
		i=$$((i + 1)); echo "($$m) $(GO) test $$race $(1) ./..."; cat "$$out/$$i"; \
		[ "$$(cat "$$out/$$i.rc")" = 0 ] || failed="$$failed $$m"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: tests failed in:$$failed"; exit 1; fi; \
	if [ -n "$$why" ]; then echo "make test: passed WITHOUT the race detector: $$why"; fi

vet:
	@$(call in-modules,$(GO) vet ./...)

## tools: build the pinned Go tools into bin/ (make lint does it first).
tools:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/ honnef.co/go/tools/cmd/staticcheck

## lint: staticcheck, pinned in the maintainers' go.mod through tools.go like the generator (its default checks,
## on every package of every module), then the contract's generic lint by the maintained OpenAPI linters, pinned
## to exact versions in openapi/lint/package-lock.json and installed there by npm ci (Node.js 20.19+ and npm; the
## npm registry must be reachable the first time): Redocly CLI with its `recommended` ruleset and Spectral with
## `spectral:oas`, as published (openapi/lint/redocly.yaml, .spectral.yaml). Any error or warning of either fails:
## Redocly exits 0 on warnings, so its JSON report's totals are checked too (openapi/lint/redocly-totals.mjs). The
## one lint rule of ours that neither checks is a Go test (openapi/lint_test.go); the contract's house rules,
## openapi/contract_test.go.
LINT_DIR := openapi/lint
NPM      ?= npm
REDOCLY  := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true ./node_modules/.bin/redocly lint --config redocly.yaml --max-problems 1000
SPECTRAL := ./node_modules/.bin/spectral lint --ruleset .spectral.yaml --fail-severity warn

.PHONY: lint-go lint-openapi
lint: lint-go lint-openapi

lint-go: tools
	@$(call in-modules,$(STATICCHECK) ./...)

lint-openapi: $(LINT_DIR)/node_modules/.package-lock.json
	cd $(LINT_DIR) && $(REDOCLY) --format stylish ../smooch.yaml
	@cd $(LINT_DIR) && $(REDOCLY) --format json ../smooch.yaml 2>/dev/null | node redocly-totals.mjs $(SPEC)
	cd $(LINT_DIR) && $(SPECTRAL) ../smooch.yaml

# npm ci installs exactly what package-lock.json pins (--ignore-scripts: the linters need no install script, and
# one of Spectral's dependencies has an analytics one), again whenever package.json or the lock file changes.
$(LINT_DIR)/node_modules/.package-lock.json: $(LINT_DIR)/package.json $(LINT_DIR)/package-lock.json
	cd $(LINT_DIR) && $(NPM) ci --no-audit --no-fund --ignore-scripts

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

## tidy-check: every go.mod and go.sum is what go mod tidy makes of it, so that no module requires what it does
## not use (each requirement reaches the users of that module).
tidy-check:
	@$(call in-modules,$(GO) mod tidy -diff)

## generate: rewrite gen/ and smooch/models.gen.go from the contract after editing openapi/smooch.yaml.
generate:
	@for config in $(CONFIGS); do echo "$(OAPI) -config $$config $(SPEC)"; $(OAPI) -config $$config $(SPEC) || exit 1; done

## check-generated: regenerate into a temporary directory and fail if a generated file differs.
check-generated:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for config in $(CONFIGS); do \
		out=$$(sed -n 's/^output: *//p' $$config); \
		sed "s#^output: .*#output: $$tmp/out.go#" $$config > $$tmp/config.yaml; \
		$(OAPI) -config $$tmp/config.yaml $(SPEC) || exit 1; \
		if ! diff -u $$out $$tmp/out.go > $$tmp/diff; then \
			head -40 $$tmp/diff; \
			echo "$$out is stale: run 'make generate' and commit the result"; exit 1; \
		fi; \
		echo "$$out is up to date with $(SPEC)"; \
	done

# ---------------------------------------------------------------- fuzzing
.PHONY: fuzz

## fuzz: run each fuzz target for its budget in FUZZ_TARGETS (pkg:Func:budget), or for FUZZTIME if set (go test's
## -fuzztime: 30s, 5m, 100000x). make test already runs their seeds (f.Add and testdata/fuzz/<target>/); a failure
## found here is written to testdata/fuzz/<target>/: commit it with the fix, so that it stays a test.
## FUZZ_TARGETS must list every Fuzz function (a test checks). The budgets are counts of executions, about 5 s
## each on two cores, because a duration can fail a clean run: Go 1.26's fuzzing coordinator may report
## "context deadline exceeded" as the duration ends (golang/go#75804, fixed in Go 1.27), and CI runs make fuzz.
## -fuzzminimizetime is bounded: minimizing each new input for the default 60s would leave little time to fuzz.
FUZZTIME ?=
FUZZ_TARGETS := ./internal/clienttest:FuzzResponseDecoding:20000x ./internal/clienttest:FuzzIntegrationJSON:30000x \
	./internal/clienttest:FuzzChannelBuilders:20000x ./internal/clienttest:FuzzBearerToken:30000x \
	./smooch:FuzzParseRetryAfter:30000x ./smooch:FuzzEachMember:30000x ./smooch:FuzzIntegrationOnePass:30000x \
	./conformance:FuzzCassette:2000x ./conformance:FuzzStreamCassette:2000x ./internal/clienttest:FuzzWebhookReceive:30000x
fuzz:
	@for target in $(FUZZ_TARGETS); do \
		pkg=$${target%%:*}; rest=$${target#*:}; name=$${rest%%:*}; budget=$(or $(FUZZTIME),$${rest#*:}); \
		echo "($$pkg) $(GO) test -run '^$$' -fuzz '^$$name\$$' -fuzztime $$budget -fuzzminimizetime 5s ."; \
		(cd $$pkg && $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $$budget -fuzzminimizetime 5s .) || exit 1; \
	done

# ---------------------------------------------------------------- contract suite (conformance/, cassettes/)
.PHONY: conformance conformance-record conformance-live conformance-live-fake conformance-sweep

## conformance: the contract suite offline, replaying cassettes/ (-short: its slow tests are make test-e2e's); then
## the CLI's verdict and coverage table.
conformance:
	SMOOCH_CONFORMANCE=replay $(GO) test -short -count=1 ./conformance/...
	@$(MAKE) --no-print-directory conformance-report

## conformance-report: the CLI's verdict on cassettes/ and its coverage table (the second half of make
## conformance; CI runs it after make test, which has replayed the suite already).
.PHONY: conformance-report
conformance-report:
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

# ---------------------------------------------------------------- releases (CONTRIBUTING.md says how)
## release-check: make release-check VERSION=vX.Y.Z before tagging: the tree is clean, CHANGELOG.md's newest
## release is X.Y.Z with nothing left under [Unreleased], smooch.Version is X.Y.Z, no binary is committed, no
## tag is in the way; then the tests and the contract suite (as CI runs them) pass and leave the tree clean.
release-check:
	@test -n "$(VERSION)" || { echo "usage: make release-check VERSION=vX.Y.Z"; exit 2; }
	$(GO) run ./cmd/release-check $(VERSION)
	$(MAKE) test
	$(MAKE) test-e2e
	$(MAKE) fuzz
	$(MAKE) conformance
	$(MAKE) conformance-live-fake
	@dirty=$$(git status --porcelain --untracked-files=all); \
	if [ -n "$$dirty" ]; then echo "release-check: the tests changed the tree:"; echo "$$dirty"; exit 1; fi
	@echo "release-check: $(VERSION) is ready. Tag every module and push the tags:"
	@echo "  for tag in $(VERSION) $(addsuffix /$(VERSION),$(PUBLISHED)); do git tag -a \$$tag -m \"smooch-go $(VERSION)\"; done"
	@echo "  git push origin $(VERSION) $(addsuffix /$(VERSION),$(PUBLISHED))"

## release-versions: make release-versions VERSION=vX.Y.Z sets, in every go.mod, the requirements on the
## repository's modules to VERSION, the release's first commit (CONTRIBUTING.md), so that a user's go get of one
## module brings the others of the same release. The replace directives keep every build against the checkout,
## before and after the tags exist.
PUBLISHED := smooch smooch/smoochtest openapi gen
release-versions:
	@test -n "$(VERSION)" || { echo "usage: make release-versions VERSION=vX.Y.Z"; exit 2; }
	@for m in $(MODULES); do \
		for req in $$(cd $$m && $(GO) mod edit -json | awk '/"Path": "github.com\/smoochkit\/smooch-go/ { p = $$2 } /"Version":/ && p { gsub(/[",]/, "", p); print p } !/"Path"/ { p = "" }'); do \
			echo "($$m) $(GO) mod edit -require=$$req@$(VERSION)"; (cd $$m && $(GO) mod edit -require=$$req@$(VERSION)) || exit 1; \
		done; \
	done

# ---------------------------------------------------------------- performance
.PHONY: bench

BENCHSTAT := $(GO) run golang.org/x/perf/cmd/benchstat
BENCHCOUNT ?= 6

## bench: every benchmark with -benchmem, -count $(BENCHCOUNT) for benchstat, each next to its baseline in the
## same run (sub-benchmarks impl=nethttp vs impl=smooch, handler=bare vs handler=smoochtest, ...); the raw
## results go to bench.out, then benchstat prints them side by side. The cassette validator runs on one core
## (GOMAXPROCS=1), the figure its goal is stated in. About 3 minutes on 2 cores (2m43s on 2026-12-04).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./internal/clienttest/ | tee bench.out
	cd smooch/smoochtest && $(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) . | tee -a ../../bench.out
	GOMAXPROCS=1 $(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./conformance/ | tee -a bench.out
	@echo; echo "== the client against hand-written net/http (impl=nethttp is the baseline)"; $(BENCHSTAT) -filter '/impl:/./' -col /impl bench.out
	@echo; echo "== the fake against a bare handler (handler=bare is the baseline)"; $(BENCHSTAT) -filter '/handler:/./' -col /handler bench.out
	@echo; echo "== the rest"; $(BENCHSTAT) -filter '-/impl:/./ AND -/handler:/./' bench.out

# ---------------------------------------------------------------- when the API changes (README "When the API changes")
.PHONY: contract-diff api-diff

## contract-diff: the contract's changes since BASE (a git ref; default: the latest tag, else the first commit), by
## oasdiff's CLI (pinned in go.mod through tools.go): its changelog, each change classified for API clients as
## error (breaking), warning (may break) or info (not breaking), then its raw diff, every difference. .ci/contract-diff.sh
## takes the base from git show BASE:openapi/smooch.yaml.
contract-diff:
	GO=$(GO) ./.ci/contract-diff.sh $(BASE)

## api-diff: the exported Go API's changes since BASE (same default) in smooch and smoochtest, the packages semver
## covers, by golang.org/x/exp/cmd/apidiff (pinned in go.mod through tools.go): incompatible and compatible, and
## the semver bump they imply. .ci/api-diff.sh exports BASE's tree with git archive and runs apidiff -w inside
## each package's directory in both trees, so a package may be in the root module or a nested one.
api-diff:
	GO=$(GO) ./.ci/api-diff.sh $(BASE)
