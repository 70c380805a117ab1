# arxos — Building Infrastructure as Code.
#   make demo    build arxos and run the narrated tour: two real buildings, merge, query, template, two edge nodes, canary deploy, rollback (installs system packages if root)
#   make test    build and run the whole test suite
#   make bench   compare arxos with git on a 100-building portfolio (speed and size)
#   make docs    regenerate man pages and shell completions from the command definitions
#   make install PREFIX=/usr/local

PREFIX ?= /usr/local
SWIFT ?= swift
CONFIG ?= debug
MAN_DATE ?= 2026-11-27
# Debian packages the build and the tests need.
# mandoc lints the man pages; bash, zsh and fish run the completion tests (Tests/ArxosEndToEndTests/ShellCompletionTests.swift).
PACKAGES := libzstd-dev libsodium-dev libsqlite3-dev pkg-config zstd openssl openssh-server openssh-client \
	mandoc bash zsh fish

.PHONY: all deps build release test demo bench docs install clean

all: build

deps:
	@missing=""; for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing) >/dev/null || { echo "apt-get install failed for:$$missing" >&2; exit 1; }; \
	  else \
	    echo "arxos needs system packages that are missing. Run:" >&2; \
	    echo "  sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

# The binary to copy to edge nodes: the Swift runtime linked in, so a node needs only glibc and the three system
# libraries (libzstd, libsodium, libsqlite3). Its own scratch directory keeps it apart from the benchmark's build.
RELEASE_FLAGS = -c release --static-swift-stdlib --scratch-path .build-static

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)
	@echo "release binary: $$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/arxos"

test: build
	@# Builds (only) the GenerateManual plugin's tool, which GeneratedDocsTests runs to regenerate the man pages.
	$(SWIFT) package generate-manual --help >/dev/null
	$(SWIFT) test

demo: build
	@scripts/demo.sh "$$($(SWIFT) build --show-bin-path)/arxos"

bench: deps
	@scripts/bench.sh
	@scripts/bench-deploy.sh

docs: build
	@scripts/gen-docs.sh "$$($(SWIFT) build --show-bin-path)/arxos" "$(MAN_DATE)"

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/arxos" $(DESTDIR)$(PREFIX)/bin/arxos
	install -m 0644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 completions/arxos.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/arxos
	install -m 0644 completions/_arxos $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_arxos
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	for unit in contrib/systemd/*; do sed 's#/usr/local/bin/arxos#$(PREFIX)/bin/arxos#' "$$unit" > $(DESTDIR)$(PREFIX)/lib/systemd/system/$$(basename "$$unit"); done
	install -m 0644 completions/arxos.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/arxos.fish

clean:
	rm -rf .build
