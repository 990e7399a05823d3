#!/bin/bash
# Issue 4 benchmark: start N tasks (default 50) through `rkt-driver run --detach`, report the
# executor's resident memory per running task (RSS and PSS), the time to start them all and to
# stop them all, and how many host resources are left afterwards (must be 0).
# Usage: bench/executor-scale.sh [N]   (as root; uses .build-release/release, builds it if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-50}"
bin=.build-release/release
[[ -x $bin/rkt-driver && -x $bin/rkt && -x $bin/rkt-executor && -x $bin/rkt-init ]] || swift build -c release --static-swift-stdlib --scratch-path .build-release >/dev/null

work="$(mktemp -d /tmp/rkt-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
driver=("$bin/rkt-driver" --data-dir "$work/driver" --rkt-dir "$work/rkt")

rootfs="$work/rootfs"
mkdir -p "$rootfs/bin"
cp /bin/busybox "$rootfs/bin/busybox"
ln -s busybox "$rootfs/bin/sh"
ln -s busybox "$rootfs/bin/sleep"
"${driver[@]}" build-aci --name bench.local/sleeper "$rootfs" "$work/sleeper.aci" -- /bin/sh -c \
    "trap 'exit 0' INT TERM; while :; do sleep 0.5; done" >/dev/null

python3 - "$count" "$work/sleeper.aci" > "$work/job.json" <<'PY'
import json, sys
count, image = int(sys.argv[1]), sys.argv[2]
task = {"Name": "sleeper", "Driver": "rkt", "Config": {"image": image, "net": ["none"]},
        "Resources": {"CPU": 20, "MemoryMB": 16}, "KillTimeout": 5_000_000_000}
print(json.dumps({"Job": {"ID": "bench", "Name": "bench", "Type": "batch", "Datacenters": ["dc1"],
      "TaskGroups": [{"Name": "g", "Count": count, "Tasks": [task]}]}}))
PY

before_netns=$(ip netns list | wc -l)
start=$(date +%s.%N)
"${driver[@]}" run --detach "$work/job.json" >/dev/null 2>"$work/run.err"
started=$(date +%s.%N)

python3 - "$work/driver/tasks" <<'PY'
import glob, json, sys, statistics
rss, pss = [], []
for handle in glob.glob(sys.argv[1] + "/*/handle.json"):
    pid = json.load(open(handle))["executorPID"]
    status = open(f"/proc/{pid}/status").read()
    rss.append(int(next(l for l in status.splitlines() if l.startswith("VmRSS:")).split()[1]))
    rollup = open(f"/proc/{pid}/smaps_rollup").read()
    pss.append(int(next(l for l in rollup.splitlines() if l.startswith("Pss:")).split()[1]))
print(f"executors running: {len(rss)}")
print(f"executor RSS per task: median {statistics.median(rss)/1024:.1f} MiB (min {min(rss)/1024:.1f}, max {max(rss)/1024:.1f})")
print(f"executor PSS per task: median {statistics.median(pss)/1024:.1f} MiB")
PY

stop_start=$(date +%s.%N)
"${driver[@]}" stop bench >/dev/null
stopped=$(date +%s.%N)
"${driver[@]}" gc >/dev/null

leaks=0
count_leak() { local n="$1" what="$2"; if ((n > 0)); then echo "leak: $n $what"; leaks=$((leaks + n)); fi; }
count_leak $(( $(ip netns list | wc -l) - before_netns )) "netns"
count_leak "$(runc --root /run/rkt/runc list -q 2>/dev/null | grep -c "^rkt-" || true)" "runc containers (any rkt pod on the host)"
count_leak "$(grep -c "$work" /proc/self/mountinfo || true)" "mounts"
count_leak "$(find "$work/rkt/pods" -mindepth 2 -maxdepth 2 | wc -l)" "pod directories"
count_leak "$(pgrep -fc "rkt-executor --state $work" || true)" "executor processes"

python3 -c "print(f'start $count tasks: {$started - $start:.2f} s'); print(f'stop $count tasks:  {$stopped - $stop_start:.2f} s')"
echo "leaks after stop + gc: $leaks"
