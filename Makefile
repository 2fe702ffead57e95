# Ringset - top-level build, run and test.
#   make run      install what is missing, build, start MariaDB, RTPengine
#                 and Kamailio on loopback (settings: see README)
#   make stop     stop them
#   make test     unit tests (valgrind + ASan) and end-to-end tests
#   make bench    benchmarks, printed as a table
#   make kamcmd ARGS="userdev.show 200"

SHELL := /bin/bash
ROOT := $(CURDIR)
BUILD := $(ROOT)/build
MODULES := userdev followme fork2mobile hotdesk
KSRC := $(BUILD)/kamailio-5.6.3
DEPS_STAMP := $(BUILD)/.deps-ok
export RS_ROOT := $(ROOT)
export RS_BUILD := $(BUILD)

.PHONY: all deps lib modules unit e2e test run stop status bench plan-bench kamcmd \
	cfg-check clean distclean

all: modules

# tools/deps.sh is idempotent; the stamp only saves its dpkg queries when
# nothing in it changed
$(DEPS_STAMP): tools/deps.sh
	@tools/deps.sh
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_STAMP)

lib: $(DEPS_STAMP)
	@$(MAKE) -s -C modules/lib BUILD=$(BUILD)

# each .so is copied under a temporary name and renamed: a Kamailio that
# runs from build/modules (a test) keeps the file it mapped, which a copy
# over it would change under its feet (SIGSEGV at a random address)
modules: lib
	@mkdir -p $(BUILD)/modules
	@for m in $(MODULES); do \
		$(MAKE) -s -C modules/$$m RS_ROOT=$(ROOT) RS_BUILD=$(BUILD) \
			KSRC=$(KSRC) quiet=silent >/dev/null || exit 1; \
		cp modules/$$m/$$m.so $(BUILD)/modules/.$$m.so.new && \
			mv -f $(BUILD)/modules/.$$m.so.new $(BUILD)/modules/$$m.so || exit 1; \
	done

cfg-check: modules
	@tools/stack.sh kam-check

unit: lib
	@$(MAKE) -s -C tests/unit BUILD=$(BUILD) check

e2e: modules
	@tests/e2e/run.sh

test: modules
	@tests/run-all.sh

run: modules
	@tools/stack.sh start

stop:
	@tools/stack.sh stop

status:
	@tools/stack.sh status

bench: modules plan-bench
	@tools/bench.sh
	@tools/bench_followme.sh
	@tools/bench_blf.sh

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

kamcmd:
	@. tools/env.sh && $$KAMCMD $(ARGS)

clean:
	@for m in $(MODULES); do \
		rm -f modules/$$m/*.o modules/$$m/*.d modules/$$m/*.so; done
	@rm -rf $(BUILD)/modules $(BUILD)/lib $(BUILD)/asan $(BUILD)/unit \
		$(BUILD)/libringset.a

distclean: clean
	@rm -rf $(BUILD)
