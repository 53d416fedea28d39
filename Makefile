# stallcheck: a plain Makefile (tig's style): out-of-tree objects, -MMD deps,
# one static library shared by the binary and the tests.
#
#   make            build build/stallcheck
#   make demo       set up, then the TUI on a demo database with a simulated scale
#   make check      set up, build, run every test suite; ends "N passed, N failed"
#   make check SAN=1   the same under AddressSanitizer + UBSan (objects in build-san/)
#   make bench      benchmarks against peers (sigrok-cli, the sqlite3 shell)
#   make install PREFIX=/usr/local
#   make clean

PREFIX  ?= /usr/local
CC      ?= cc
PKG_CONFIG ?= pkg-config
NPROC   := $(shell nproc 2>/dev/null || echo 2)

BUILD   := build$(if $(SAN),-san)$(if $(FUZZ),-fuzz)
# Quiet by default: "make V=1" prints every command.
Q       := $(if $(V),,@)
PKGS    := ncursesw sqlite3 libserialport libsodium libqrencode cairo cairo-ft fontconfig pangocairo inih libpq libcrypto

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes \
           -Wold-style-definition -Wwrite-strings -Wvla -Wnull-dereference \
           -Wimplicit-fallthrough -Wundef
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE $(WARN) -I. -DLOCALEDIR='"$(PREFIX)/share/locale"'
# CI builds with -Werror: the same README commands, stricter when CI is set.
ifneq ($(CI),)
CFLAGS  += -Werror
endif
# FUZZ=1: clang, libFuzzer instrumentation with ASan + UBSan (make fuzz).
ifneq ($(FUZZ),)
CC      := clang
CFLAGS  += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
endif
ifneq ($(SAN),)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
LIBS       = $(PKG_LIBS) -lcsv -lutil -lm -lpthread

LIB_SRC  := $(sort $(wildcard core/*.c devices/*.c db/*.c report/*.c tui/*.c)) \
            $(filter-out cli/main.c,$(sort $(wildcard cli/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELP_SRC := $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c))
TEST_HELP_OBJ := $(TEST_HELP_SRC:%.c=$(BUILD)/%.o)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
PO       := $(wildcard po/*.po)
MO       := $(PO:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/stallcheck.mo)
BIN      := $(BUILD)/stallcheck

.SECONDARY:
.PHONY: all deps demo check bench fuzz fuzz-targets install clean
all: deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(BIN) $(MO)

# Installs the Debian packages the build needs, only when they are missing.
deps:
	@sh scripts/deps.sh

demo: all
	$(BIN) demo

check: deps
	@$(MAKE) --no-print-directory -j$(NPROC) $(BIN) $(MO) $(TEST_BIN) $(SHIM) $(PQ_SHIM)
	@sh tests/run.sh $(BUILD)

bench: all
	@$(MAKE) --no-print-directory $(SHIM) $(BENCH_BIN)
	@sh bench/run.sh $(BUILD)

# Test-only: an LD_PRELOAD shim that lets Debian's libserialport 0.1.1 open
# pseudo-terminals (tests/shim/), for our transport=serial path and for
# sigrok-cli in tests and benchmarks.  Never linked into stallcheck.
SHIM := $(BUILD)/shim/sp_pty_shim.so
$(SHIM): tests/shim/sp_pty_shim.c
	@mkdir -p $(@D)
	$(Q)$(CC) -shared -fPIC -O2 -Wall -o $@ $< -ldl

# Test-only: an LD_PRELOAD shim that ends a process right after its N-th
# COMMIT succeeds (tests/shim/pq_commit_exit.c), to cut a sync at the moment
# that could double a record.  Never linked into stallcheck.
PQ_SHIM := $(BUILD)/shim/pq_commit_exit.so
$(PQ_SHIM): tests/shim/pq_commit_exit.c
	@mkdir -p $(@D)
	$(Q)$(CC) -shared -fPIC -O2 -Wall $(shell $(PKG_CONFIG) --cflags libpq) -o $@ $< -ldl $(shell $(PKG_CONFIG) --libs libpq)

# Benchmark programs: bench/*.c, each linked with the library.
BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libstallcheck.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Every tests/fuzz/fuzz_*.c, built with libFuzzer, run FUZZ_SECONDS each.
fuzz: deps
	@$(MAKE) --no-print-directory -j$(NPROC) FUZZ=1 fuzz-targets
	@sh tests/fuzz/run.sh build-fuzz $(or $(FUZZ_SECONDS),10)

FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
fuzz-targets: $(FUZZ_BIN)
$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/libstallcheck.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

$(BIN): $(BUILD)/cli/main.o $(BUILD)/libstallcheck.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libstallcheck.a: $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_HELP_OBJ) $(BUILD)/libstallcheck.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/locale/%/LC_MESSAGES/stallcheck.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	           $(DESTDIR)$(PREFIX)/share/stallcheck
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/stallcheck
	install -m 644 stallcheck.1 $(DESTDIR)$(PREFIX)/share/man/man1/stallcheck.1
	for f in $(wildcard data/*); do install -m 644 $$f $(DESTDIR)$(PREFIX)/share/stallcheck/; done
	for m in $(MO); do l=$${m#$(BUILD)/locale/}; install -d $(DESTDIR)$(PREFIX)/share/locale/$$(dirname $$l); \
	  install -m 644 $$m $(DESTDIR)$(PREFIX)/share/locale/$$l; done

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
