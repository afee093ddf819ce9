# fukkyu — the two commands a newcomer needs: `make run` and `make test`.
# The real build is CMake (CMakeLists.txt); this file only strings the steps together.

BUILD      ?= build
ASAN_BUILD ?= build-asan
DEMO_DB    ?= var/demo.db
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
# Tests wait on servers and processes much of the time: one more than the cores.
CTEST_JOBS ?= $(shell echo $$(( $(JOBS) + 1 )))

.PHONY: all deps build run test test-release test-asan test-fuzz fuzz bench format clean

all: build

deps:
	@bash scripts/deps.sh
	@command -v npm > /dev/null || bash scripts/deps.sh node

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The main job: a demo database with the source document's four case studies, shown as a board.
LISTEN ?= 127.0.0.1:8080

run: build
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BUILD)/fukkyu --db $(DEMO_DB) demo
	$(BUILD)/fukkyu --db $(DEMO_DB) board
	@echo
	@echo "Try: $(BUILD)/fukkyu --db $(DEMO_DB) task list 2 --overdue   (the reporter nobody answered; README.md walks through more)"
	@echo
	$(BUILD)/fukkyu --db $(DEMO_DB) serve --listen $(LISTEN)

# Every test in a warnings-as-errors build, then again under ASan + UBSan, then each fuzzer
# for a few seconds.
test: deps test-release test-asan test-fuzz

test-release: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(CTEST_JOBS)

test-asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DFK_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(CTEST_JOBS) \
		-E '^pg\.(scenario|api$$|cli\.[0-6])'
# (Under the sanitizers the PostgreSQL backend runs the two-server, durability, unit and
# backup cases; the scenarios, the API suite and the other CLI cases run on PostgreSQL in the
# release build: the same code paths in the store, which ASan sees on SQLite.)

# Every libFuzzer target (each fuzz/fuzz_*.c; clang, build-fuzz/, only the fuzzers built)
# runs TEST_FUZZ_SECONDS from its corpus; a crash, a leak or a missing target fails the run.
TEST_FUZZ_SECONDS ?= 8
FUZZ_TARGETS = $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
test-fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DFK_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS) --target $(FUZZ_TARGETS)
	bash fuzz/run.sh build-fuzz $(TEST_FUZZ_SECONDS)

# libFuzzer targets (clang); FUZZ_SECONDS bounds each run.
FUZZ_SECONDS ?= 60
fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DFK_FUZZ=ON
	cmake --build build-fuzz -j $(JOBS)
	bash fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	bash bench/run.sh $(BUILD)/fukkyu
	bash bench/run_sweep.sh $(BUILD)/fukkyu
	bash bench/run_logs.sh $(BUILD)/fukkyu

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz var
