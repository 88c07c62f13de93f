# The two commands a new user types: `make run` and `make test`.
# Both install missing Debian packages, configure and build first.
BUILD ?= build
SAN_BUILD ?= build-sanitize
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
RUBRIC = $(BUILD)/rubric

.PHONY: deps build run test sanitize fuzz bench load bench-serve fmt-check clean

deps:
	@bash scripts/setup-deps.sh

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The main job: explain the seed patient (55 years, 12 weeks of radiating pain).
run: build
	$(RUBRIC) explain guidelines/acr/low_back_pain.rubric \
	  --patient guidelines/acr/cases/seed-55yo.json \
	  --why-not "MRI lumbar spine without IV contrast"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The same tests under AddressSanitizer and UndefinedBehaviorSanitizer (CI runs this).
sanitize: deps
	@cmake -S . -B $(SAN_BUILD) $(CMAKE_FLAGS) -DRUBRIC_SANITIZE=ON -DRUBRIC_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# libFuzzer harnesses (fuzz/, clang-14, ASan + UBSan) in build-fuzz/, each run
# for FUZZ_SECONDS; fails on any crash, leak, timeout or sanitizer report.
FUZZ_SECONDS ?= 60
fuzz: deps
	JOBS=$(JOBS) bash scripts/fuzz.sh $(FUZZ_SECONDS)

bench: build
	@for b in $(BUILD)/bench/bench_*; do echo "== $$b"; $$b; done

# nginx (deploy/nginx.conf) in front of two `rubric serve` replicas under wrk:
# steady load, a reload and a killed replica, 0 failed calls (under 2 minutes).
load: build
	bash tests/load/run.sh $(RUBRIC)

# The service's order-select throughput and p99 against a bare cpp-httplib
# endpoint, at 64 connections (bench/serve/serve_bench.sh; about a minute).
bench-serve: build
	bash bench/serve/serve_bench.sh $(BUILD)

# The canonical layout, checked over every .rubric file of the project.
fmt-check: build
	$(RUBRIC) fmt --check guidelines stdlib editors

clean:
	rm -rf $(BUILD) $(SAN_BUILD) build-fuzz
