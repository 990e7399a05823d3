#!/bin/bash
# Quick start: set up, then run the hello job in the foreground (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .build-release/release/rkt-driver run examples/hello/job.json
