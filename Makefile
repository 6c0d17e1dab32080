# skaerm: the technician's entry points. Each target is one command; the
# work is done by the scripts in build/, which also run on their own.
#
#   make help     this list
#   make demo     the screen with demo data (Xvfb + PNGs when there is no display)
#   make test     gofmt, go vet and every test (display tests under Xvfb)
#   make test-dates  make test with the clock at four dates where date bombs go off
#   make build    the programs for this machine, into bin/
#   make arm64    the programs for a Raspberry Pi (64-bit), into dist/arm64/
#   make deb      the Raspberry Pi package dist/skaerm_<version>_arm64.deb
#   make lab      the field lab: the package installed and checked on Debian in QEMU
#   make clean    remove bin/, dist/ and demo-shots/

SHELL := /bin/bash
# Go may be installed in /usr/local/go without being on PATH.
export PATH := $(PATH):/usr/local/go/bin

VERSION ?= $(shell build/version.sh 2>/dev/null || echo 0.0.0-dev)
COMMIT  ?= $(shell build/version.sh --commit 2>/dev/null || echo unknown)
export VERSION COMMIT
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT)
# The programs in cmd/ (skaerm, skaerm-screen, skaerm-backend, ...).
CMDS := $(notdir $(wildcard cmd/*))

.DEFAULT_GOAL := help
.PHONY: help demo test test-dates build arm64 deb armhf lab verify-units clean

help: ## this list
	@echo "skaerm $(VERSION)"
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 16 | sed 's/^/  make /'

demo: ## run the screen with demo data (PNGs in demo-shots/ when there is no display)
	build/demo.sh

test: ## gofmt, go vet, all tests (display tests under Xvfb)
	build/test.sh

test-dates: ## make test with the clock moved to DST changes, a leap day and a year's end (docs/test-dates.md)
	build/test-dates.sh

build: ## build every program in cmd/ for this machine into bin/
	build/deps.sh
	@mkdir -p bin && [ -f bin/.gitignore ] || printf '# Build output, made by make build.\n*\n' > bin/.gitignore
	@set -e; for c in $(CMDS); do \
		echo "==> go build ./cmd/$$c"; \
		CGO_ENABLED=1 go build -trimpath -ldflags "$(LDFLAGS)" -o bin/$$c ./cmd/$$c; \
	done
	@ls -l bin

arm64: ## cross-compile the screen's programs for a 64-bit Raspberry Pi into dist/arm64/
	build/deb.sh arm64 --binaries-only
	@ls -l dist/arm64

deb: ## build the Raspberry Pi package dist/skaerm_<version>_arm64.deb
	build/deb.sh arm64

armhf: ## build the 32-bit Raspberry Pi package (Pi 2/3/Zero 2 W)
	build/deb.sh armhf

lab: ## install the package on Debian in QEMU and check it (lab-out/; LAB_ARGS="--arch arm64 --keep")
	build/lab/run.sh $(LAB_ARGS)

verify-units: ## systemd-analyze verify + security on systemd/
	build/verify-units.sh

clean: ## remove bin/, dist/ and demo-shots/
	rm -rf bin dist demo-shots
