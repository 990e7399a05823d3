#!/bin/bash
# The whole test suite: lint, unit tests, and (as root) integration tests against real runc, CNI
# plugins, iptables and gpgv. `.ci/run` calls this after installing the system packages.
set -euo pipefail
cd "$(dirname "$0")/.."

swift format lint --strict -r Sources Tests Package.swift
swift build
swift test --no-parallel "$@"
