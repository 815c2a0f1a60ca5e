# Two front doors: `make demo` runs the main job, `make test` runs every test.
# Each installs the Debian packages it needs when they are missing.
MAKEFLAGS += --no-print-directory
BUILD ?= build
JOBS ?= $(shell nproc)
DEB_PACKAGES := g++ cmake make libsqlite3-dev libssl-dev libtomlplusplus-dev nlohmann-json3-dev \
  libcli11-dev libgtest-dev sqlite3 python3 libcurl4-openssl-dev libcpp-httplib-dev pkg-config \
  libxlsxwriter-dev zlib1g-dev

.PHONY: deps build test test-sanitize demo clean

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Unit tests once under AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: deps
	cmake -S . -B $(BUILD)-asan -DCMAKE_BUILD_TYPE=Debug -DATALAYA_SANITIZE=ON >/dev/null
	cmake --build $(BUILD)-asan -j $(JOBS) --target unit_tests
	$(BUILD)-asan/unit_tests

demo: build
	bash scripts/demo.sh $(BUILD)/atalaya

clean:
	rm -rf $(BUILD) $(BUILD)-asan
