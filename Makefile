# ctd — entry point. CMake does the building underneath; these targets are what users type.
#   make demo     install missing packages, build, run the demo pipeline
#   make test     install missing packages, build, run the whole test suite
#   make install PREFIX=/usr/local
BUILD   ?= build
PREFIX  ?= /usr/local
JOBS    ?= $(shell nproc)
NATIVE  ?= ON
ARCH    ?=

.PHONY: all deps configure test sanitize-configure test-sanitize fuzz demo figures bench bench-builds install clean

all: deps configure
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/install-deps

configure: deps
	@[ -f $(BUILD)/CMakeCache.txt ] || cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DCTD_NATIVE=$(NATIVE) -DCTD_ARCH=$(ARCH) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

# What only the tests need: jq (ctd-info --json read as users read it), and,
# as root, a one-node Slurm to run the job scripts of examples/slurm on (its
# daemons need root: without it that test says so and passes).
TEST_PACKAGES = jq $(if $(filter 0,$(shell id -u)),slurm-wlm munge)

test: all
	@scripts/install-deps $(TEST_PACKAGES)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The suite under AddressSanitizer + UndefinedBehaviorSanitizer, built by clang
# (RelWithDebInfo; clang builds sanitized code several times faster than gcc):
# without MPI, whose library keeps allocations LeakSanitizer would report, and
# without the whole-pipeline tests (label `pipeline`: Slurm, the flip-flop
# example), which take minutes there — the unit and program tests cover their
# code; `make test` runs everything. The same tree holds the libFuzzer targets.
SANITIZE_BUILD ?= build-sanitize
SANITIZE_PACKAGES = clang libomp-dev libclang-rt-14-dev
# -O1 with line tables: a third of -O2 -g's compile time under the sanitizers
# (bench/RESULTS.md, "CI time"), stack traces still name file and line.
SANITIZE_FLAGS = -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG"
sanitize-configure: deps
	@scripts/install-deps $(SANITIZE_PACKAGES)
	@[ -f $(SANITIZE_BUILD)/CMakeCache.txt ] || CC=clang CXX=clang++ cmake -S . -B $(SANITIZE_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(SANITIZE_FLAGS) -DCTD_SANITIZE=ON -DCTD_FUZZ=ON -DCTD_NATIVE=$(NATIVE) -DCTD_MPI=OFF

test-sanitize: sanitize-configure
	cmake --build $(SANITIZE_BUILD) -j $(JOBS)
	cd $(SANITIZE_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizer/lsan.supp ctest --output-on-failure -j $(JOBS) -LE pipeline

# libFuzzer on every reader of external input, FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 60
fuzz: sanitize-configure
	cmake --build $(SANITIZE_BUILD) -j $(JOBS) --target fuzz-targets
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizer/lsan.supp scripts/run-fuzz $(SANITIZE_BUILD)/bin $(FUZZ_SECONDS)

demo: all
	scripts/demo $(BUILD)/bin

# The README's figures (docs/figures/), redrawn from a fresh demo run.
figures: demo
	scripts/figures $(BUILD)/bin demo-output docs/figures

# Benchmarks against the PyTorch peer (Debian's python3-torch); several minutes.
bench: all
	@scripts/install-deps python3-torch python3-h5py python3-numpy bc
	bench/train-rnn-quality $(BUILD)/bin
	bench/train-rnn-speed $(BUILD)/bin
	bench/run-esn-bench $(BUILD)/bin
	bench/find-fixed-points-bench $(BUILD)/bin
	bench/fit-lfads-bench $(BUILD)/bin
	bench/sentiment-bench $(BUILD)/bin
	bench/shared-node-bench $(BUILD)/bin

# The native build against the portable AVX2 one (x86-64-v3), each against
# the PyTorch peers, alternately; about 10 minutes.
AVX2_BUILD ?= build-avx2
bench-builds: all
	@scripts/install-deps python3-torch python3-h5py python3-numpy bc
	$(MAKE) BUILD=$(AVX2_BUILD) ARCH=x86-64-v3
	bench/builds-bench $(BUILD)/bin $(AVX2_BUILD)/bin

install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(SANITIZE_BUILD) fuzz-findings demo-output
