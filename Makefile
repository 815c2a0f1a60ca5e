# Two front doors: `make demo` runs the main job, `make test` runs every test.
# Each installs the Debian packages it needs when they are missing.
MAKEFLAGS += --no-print-directory
BUILD ?= build
JOBS ?= $(shell nproc)
DEB_PACKAGES := g++ cmake make libsqlite3-dev libssl-dev libtomlplusplus-dev nlohmann-json3-dev \
  libcli11-dev libgtest-dev sqlite3 python3 libcurl4-openssl-dev libcpp-httplib-dev pkg-config \
  libxlsxwriter-dev zlib1g-dev chromium curl libpq-dev postgresql nginx openssl libsodium-dev
# The dashboard builds with npm; Vite needs Node.js 20 or later.
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.js web/package.json

.PHONY: deps node build web test test-sanitize demo clean load-check

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Node.js and npm: the machine's own when present (Debian's nodejs otherwise).
node:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; }
	@major=$$(node -p 'process.versions.node.split(".")[0]'); [ "$$major" -ge 20 ] || { \
	  echo "Node.js $$(node --version) is too old for the dashboard's build (Vite needs 20 or later)" >&2; exit 1; }

web/node_modules/.package-lock.json: web/package-lock.json | node
	cd web && npm ci --no-audit --no-fund --loglevel=error

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build --silent

# The dashboard, built into web/dist (served by `atalaya serve`).
web: web/dist/index.html

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

test: build web
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Unit tests once under AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: deps
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DATALAYA_SANITIZE=ON >/dev/null
	cmake --build $(BUILD)-asan -j $(JOBS) --target unit_tests
	@# The contract suite runs on PostgreSQL too: a private cluster for the run.
	pg=/tmp/atalaya-pg-asan-$$(printf '%s' "$(CURDIR)" | md5sum | cut -c1-12); \
	  bash scripts/pg_cluster.sh start $$pg >/dev/null && \
	  ATALAYA_TEST_PG=$$(bash scripts/pg_cluster.sh uri $$pg) $(BUILD)-asan/unit_tests; \
	  code=$$?; bash scripts/pg_cluster.sh stop $$pg; exit $$code

demo: build web
	bash scripts/demo.sh $(BUILD)/atalaya

# The server's load check (not part of test): wrk against a series query and
# the overview, beside nginx serving the same bytes, then a 5-minute soak.
load-check: build
	bash bench/serve/run

clean:
	rm -rf $(BUILD) $(BUILD)-asan web/dist
