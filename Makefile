# Ringset - top-level build, run and test.
#   make run      install what is missing, build, start MariaDB, RTPengine,
#                 Kamailio and the media server on loopback (settings: README)
#   make stop     stop them
#   make test     unit tests (valgrind + ASan) and end-to-end tests
#   make test-asan  the end-to-end suite with our modules built with
#                 AddressSanitizer + UBSan (kamailio runs with libasan preloaded)
#   make bench-moonshot  100,000 devices, 500 follow-me calls/s and 1,000
#                 BLF watchers on one node at once
#   make soak     10 minutes of mixed traffic, memory sampled every 30 s
#   make bench    benchmarks (about 10 min), one table: each Ringset figure
#                 beside the stock Kamailio one measured in the same run
#   make kamcmd ARGS="userdev.show 200"   (NODE=k: node k of make run NODES=N)

SHELL := /bin/bash
ROOT := $(CURDIR)
BUILD := $(ROOT)/build
MODULES := userdev followme fork2mobile hotdesk cdrwriter
KSRC := $(BUILD)/kamailio-5.6.3
DEPS_STAMP := $(BUILD)/.deps-ok
# make run NODES=3: that many Kamailio nodes on one database (README)
NODES ?= 1
NODE ?= 1
export NODES
export RS_ROOT := $(ROOT)
export RS_BUILD := $(BUILD)

.PHONY: all deps lib modules media unit e2e test run stop status bench bench-moonshot plan-bench kamcmd \
	cfg-check clean distclean modules-asan test-asan soak

all: modules media

# tools/deps.sh is idempotent; the stamp only saves its dpkg queries when
# nothing in it changed
$(DEPS_STAMP): tools/deps.sh
	@tools/deps.sh
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_STAMP)

lib: $(DEPS_STAMP)
	@$(MAKE) -s -C modules/lib BUILD=$(BUILD)

# a module is installed by rename, and only when it changed: a cp over the
# .so that a running Kamailio has mapped truncates the file under it (SIGBUS
# and garbage in every process of that instance)
RS_INSTALL_SO := rs_install_so() { cmp -s "$$1" "$$2/$${1\#\#*/}" && return 0; \
	cp "$$1" "$$2/.$${1\#\#*/}.tmp" && mv -f "$$2/.$${1\#\#*/}.tmp" "$$2/$${1\#\#*/}"; }

modules: lib
	@mkdir -p $(BUILD)/modules
	@$(RS_INSTALL_SO); for m in $(MODULES); do \
		$(MAKE) -s -C modules/$$m RS_ROOT=$(ROOT) RS_BUILD=$(BUILD) \
			KSRC=$(KSRC) quiet=silent >/dev/null || exit 1; \
		rs_install_so modules/$$m/$$m.so $(BUILD)/modules || exit 1; \
	done

# the media server, the tests' RTP peer and the prompts; an ASan build of
# the daemon for the end-to-end tests
media: $(DEPS_STAMP)
	@$(MAKE) -s -C media BUILD=$(BUILD) >/dev/null
	@$(MAKE) -s -C media BUILD=$(BUILD) VARIANT=asan >/dev/null

# the same modules with AddressSanitizer and UBSan, built from a copy of
# modules/ (the normal objects stay), into build/asan/modules
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer
modules-asan: lib
	@$(MAKE) -s -C modules/lib BUILD=$(BUILD) VARIANT=asan
	@rm -rf $(BUILD)/asan-src && mkdir -p $(BUILD)/asan-src $(BUILD)/asan/modules
	@cp -r modules $(BUILD)/asan-src/
	@find $(BUILD)/asan-src \( -name '*.o' -o -name '*.d' -o -name '*.so' \) -delete
	@$(RS_INSTALL_SO); x=$$(sed -n 's/^CC_EXTRA_OPTS= *//p' $(KSRC)/src/config.mak); \
	for m in $(MODULES); do \
		$(MAKE) -s -C $(BUILD)/asan-src/modules/$$m RS_ROOT=$(ROOT) \
			RS_BUILD=$(BUILD)/asan KSRC=$(KSRC) CC_EXTRA_OPTS="$$x $(ASAN_FLAGS)" \
			LD_EXTRA_OPTS="$(ASAN_FLAGS)" quiet=silent >/dev/null || exit 1; \
		rs_install_so $(BUILD)/asan-src/modules/$$m/$$m.so $(BUILD)/asan/modules || exit 1; \
	done

test-asan: modules modules-asan media
	@RS_ASAN=1 tests/run-all.sh e2e

soak: modules
	@tests/soak/soak.sh

cfg-check: modules
	@tools/stack.sh kam-check

unit: lib
	@$(MAKE) -s -C tests/unit BUILD=$(BUILD) check

e2e: modules media
	@tests/e2e/run.sh

test: modules media
	@tests/run-all.sh

run: modules media
	@tools/stack.sh start

stop:
	@tools/stack.sh stop

status:
	@tools/stack.sh status

# every benchmark (about 10 min), each Ringset figure beside the stock
# Kamailio one of the same run: one table at the end (README "Performance")
bench: modules media lib
	@tools/bench_all.sh

# one node, all at once: 100,000 registered devices, 500 follow-me calls/s,
# 1,000 BLF watchers (README "Performance"; SHM_MB 1024 unless given)
bench-moonshot: modules
	@tools/bench_moonshot.sh

# the ring-plan compiler alone: time per compile, and instructions per
# compile under callgrind
plan-bench: lib
	@mkdir -p $(BUILD)/bench
	@$(CC) -std=gnu99 -O2 -g -Wall -Wextra -Werror -Imodules/lib/include \
		tests/bench/plan_bench.c $(BUILD)/libringset.a -o $(BUILD)/bench/plan_bench
	@$(BUILD)/bench/plan_bench 1000000
	@valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/bench/plan.cg \
		$(BUILD)/bench/plan_bench 10000 >/dev/null 2>&1
	@callgrind_annotate --inclusive=yes $(BUILD)/bench/plan.cg 2>/dev/null | \
		awk '/rs_plan_compile \[/ { gsub(",", "", $$1); \
		printf "plan compile: %d instructions each (callgrind, 10000 runs)\n", $$1 / 10000; exit }'

# make kamcmd NODE=2 ARGS="...": the ctl socket of node 2
kamcmd:
	@. tools/env.sh && rs_node $(NODE) && $$NODE_KAMCMD $(ARGS)

clean:
	@for m in $(MODULES); do \
		rm -f modules/$$m/*.o modules/$$m/*.d modules/$$m/*.so; done
	@rm -rf $(BUILD)/modules $(BUILD)/lib $(BUILD)/asan $(BUILD)/unit \
		$(BUILD)/libringset.a $(BUILD)/media $(BUILD)/libringset-media.a \
		$(BUILD)/prompts

distclean: clean
	@rm -rf $(BUILD)
