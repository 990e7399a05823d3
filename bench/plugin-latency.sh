#!/bin/bash
# Overhead of the Nomad plugin interface over the driver itself, measured in one run:
#
#   (a) median round trip of a unary no-op RPC (Driver/Capabilities) through `rkt-driver plugin`
#       (N_UNARY calls, default 200, after 50 uncounted ones);
#   (b) median round trip of StartTask through the plugin (busybox ACI running /bin/sleep, net none,
#       log FIFOs read like logmon), StopTask + DestroyTask between starts (N_START, default 15,
#       after one uncounted warm-up start);
#   (c) median of the plugin's own `start.ms` log field for those same starts: the time RktDriver.start
#       took inside the plugin process (logged by its StartTask handler, parsed from its JSON stderr).
#       Same process, same call, same task as (b): timing `rkt-driver run --detach` instead would add
#       an exec of the CLI, job parsing and alloc-dir setup that the plugin path never does.
#
# (b) - (c) is what the plugin layer adds: gRPC/HTTP2, protobuf and msgpack decoding, task translation,
# the handle's encoding, and the python client's own cost (about (a)).
# Usage: sudo bench/plugin-latency.sh [N_START] [N_UNARY]
#        (env: BIN_DIR, default .build-release/release; PYTHON, default /tmp/plugin-venv/bin/python3)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
starts="${1:-15}"
unary="${2:-200}"
bin="${BIN_DIR:-$here/../.build-release/release}"
python="${PYTHON:-/tmp/plugin-venv/bin/python3}"

fail() { echo "plugin-latency: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "must run as root (runc, mounts, cgroups)"
[ -x /bin/busybox ] || fail "/bin/busybox not found"
command -v runc >/dev/null || fail "runc not found"
for name in rkt-driver rkt rkt-executor rkt-init; do
    [ -x "$bin/$name" ] || fail "$bin/$name not found; build with: swift build -c release --static-swift-stdlib --scratch-path .build-release"
done
"$python" -c 'import grpc, grpc_tools' 2>/dev/null \
    || fail "$python lacks grpcio/grpcio-tools (python3 -m venv /tmp/plugin-venv && /tmp/plugin-venv/bin/pip install grpcio grpcio-tools)"

# Short: the executor socket lands at <data>/tasks/<alloc id>-<task>/executor/executor.sock (≤ 107 bytes).
work="$(mktemp -d /tmp/pb-XXXXXX)"
driver=("$bin/rkt-driver" --data-dir "$work/d" --rkt-dir "$work/rkt")
plugin_pid=""

cleanup() {
    local status=$?
    if [ -n "$plugin_pid" ] && kill -0 "$plugin_pid" 2>/dev/null; then
        kill -TERM "$plugin_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$plugin_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$plugin_pid" 2>/dev/null || true
    fi
    [ -n "$plugin_pid" ] && wait "$plugin_pid" 2>/dev/null || true
    # Tasks outlive the plugin (their executors keep them): stop whatever a failed run left, then gc.
    if [ -d "$work/d/tasks" ] && [ -n "$(ls -A "$work/d/tasks" 2>/dev/null)" ]; then
        echo "plugin-latency: stopping tasks left behind" >&2
        "${driver[@]}" stop pbench >/dev/null 2>&1 || true
    fi
    [ -d "$work/d" ] && { "${driver[@]}" gc >/dev/null 2>&1 || true; }
    local left
    left=$(awk -v w="$work/" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    if [ -n "$left" ]; then
        echo "plugin-latency: warning: $(echo "$left" | wc -l) mounts were left under $work; unmounting" >&2
        echo "$left" | while read -r m; do umount -l "$m"; done
    fi
    local executors
    executors=$(pgrep -f "rkt-executor --state $work" || true)
    [ -z "$executors" ] || echo "plugin-latency: warning: executors still running: $executors" >&2
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the image ---------------------------------------------------------------------------------
rootfs="$work/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/etc"
cp /bin/busybox "$rootfs/bin/busybox"
for tool in sh sleep; do ln -s busybox "$rootfs/bin/$tool"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
"$bin/rkt-driver" build-aci --name bench.local/pbench-sleep --label version=1.0.0 --label os=linux \
    --label arch=amd64 "$rootfs" "$work/sleep.aci" -- /bin/sleep 3600 >/dev/null

# --- the plugin, as a Nomad agent starts it ----------------------------------------------------
"${driver[@]}" --log-level info plugin </dev/null >"$work/plugin.out" 2>"$work/plugin.err" &
plugin_pid=$!
socket=""
for _ in $(seq 1 300); do
    if IFS='|' read -r core proto net address kind rest < "$work/plugin.out" 2>/dev/null && [ -n "${kind:-}" ]; then
        [ "$core|$proto|$net|$kind" = "1|2|unix|grpc" ] || fail "bad handshake line: $(head -1 "$work/plugin.out")"
        socket="$address"
        break
    fi
    kill -0 "$plugin_pid" 2>/dev/null || fail "the plugin exited: $(cat "$work/plugin.err")"
    sleep 0.1
done
[ -n "$socket" ] || fail "no handshake line from the plugin within 30 s"

# --- measure -----------------------------------------------------------------------------------
"$python" "$here/plugin-latency.py" "$work" "$socket" "$work/plugin.err" "$work/sleep.aci" "$unary" "$starts" \
    > "$work/result" || fail "client failed; plugin stderr tail:
$(tail -20 "$work/plugin.err")"
# After Shutdown the plugin exits by itself.
for _ in $(seq 1 50); do kill -0 "$plugin_pid" 2>/dev/null || break; sleep 0.1; done

value() { sed -n "s/^$1=//p" "$work/result"; }
a=$(value a) b=$(value b) c=$(value c) d=$(value d)
echo "plugin-latency: $starts StartTask (after 1 warm-up), $unary Capabilities calls (after 50), $(nproc) cores"
echo "  b samples (ms): $(value b_samples)"
echo "  c samples (ms): $(value c_samples)"
printf '(a) unary no-op RPC (Capabilities)        median %8.3f ms   (p90 %.3f ms)\n' "$a" "$(value a_p90)"
printf '(b) StartTask through the plugin          median %8.3f ms\n' "$b"
printf '(c) RktDriver.start inside the plugin     median %8.3f ms\n' "$c"
printf '(b)-(c) plugin overhead                   %8.3f ms   (median of per-start differences %.3f ms; target <= 5 ms)\n' \
    "$(awk -v b="$b" -v c="$c" 'BEGIN { print b - c }')" "$d"
