#!/bin/bash
# Start latency of the rkt task driver against the same pod started by hand.
#
#   (a) `rkt-driver run JOB` launched -> the app accepts a TCP connection on its mapped host port;
#   (b) the same rootfs by hand: ip netns add, CNI ptp ADD + portmap ADD with the same confs,
#       `runc run` with a minimal config.json joining that netns -> accepts on its host port.
#
# Each is measured N times (default 15), interleaved, after one uncounted warm-up of each, and
# torn down between runs. Prints both medians and the ratio driver/hand.
# Usage: sudo bench/start-latency.sh [N]     (env: BIN_DIR, default .build-release/release;
#        build it first with scripts/setup.sh)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
runs="${1:-15}"
bin="${BIN_DIR:-$here/../.build-release/release}"
cni=/usr/lib/cni
timer="$here/connect-timer.py"

fail() { echo "start-latency: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "must run as root (runc, netns, iptables)"
for tool in runc ip iptables python3; do command -v "$tool" >/dev/null || fail "$tool not found"; done
for plugin in ptp host-local portmap; do [ -x "$cni/$plugin" ] || fail "$cni/$plugin not found"; done
for name in rkt-driver rkt rkt-init; do
    [ -x "$bin/$name" ] || fail "$bin/$name not found; run scripts/setup.sh (or set BIN_DIR)"
done

work="$(mktemp -d /tmp/rkt-bench.XXXXXX)"
hand_id="rktbench-$(basename "$work" | tr -dc 'a-zA-Z0-9' | tail -c 7)"
driver_pid=""

# --- teardown helpers -------------------------------------------------------------------------
wait_gone() { # pid
    for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    echo "start-latency: pid $1 still running after 30 s" >&2
}
stop_driver() {
    [ -n "$driver_pid" ] || return 0
    kill -TERM "$driver_pid" 2>/dev/null || true
    wait_gone "$driver_pid"
    driver_pid=""
}
cni_call() { # command plugin conf
    CNI_COMMAND="$1" CNI_CONTAINERID="$hand_id" CNI_NETNS="/var/run/netns/$hand_id" CNI_IFNAME=eth0 \
        CNI_PATH="$cni" "$cni/$2" < "$3"
}
stop_hand() {
    runc --root "$work/runc" delete --force "$hand_id" >/dev/null 2>&1 || true
    if [ -e "/var/run/netns/$hand_id" ]; then
        [ -f "$work/portmap.json" ] && cni_call DEL portmap "$work/portmap.json" >/dev/null || true
        cni_call DEL ptp "$work/ptp.json" >/dev/null || true
        ip netns delete "$hand_id"
    fi
    rm -f "$work/portmap.json"
}
cleanup() {
    stop_driver
    stop_hand
    local left
    left=$(awk -v w="$work/" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    if [ -n "$left" ]; then
        echo "start-latency: warning: $(echo "$left" | wc -l) mounts were left under $work; unmounting" >&2
        echo "$left" | while read -r m; do umount -l "$m"; done
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# --- the image, the job and the hand-made bundle ---------------------------------------------
rootfs="$work/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/www"
cp /bin/busybox "$rootfs/bin/busybox"
for tool in sh httpd; do ln -s busybox "$rootfs/bin/$tool"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\n' > "$rootfs/etc/group"
echo "bench" > "$rootfs/www/index.html"
"$bin/rkt-driver" build-aci --name bench.test/httpd --port http:tcp:80 "$rootfs" "$work/httpd.aci" \
    -- /bin/busybox httpd -f -p 80 -h /www >/dev/null

read -r driver_port hand_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("0.0.0.0", 0))
print(*[s.getsockname()[1] for s in socks])')

cat > "$work/job.json" <<JOB
{"Job": {"ID": "bench", "Name": "bench", "Type": "service", "Datacenters": ["dc1"],
  "TaskGroups": [{"Name": "web", "Count": 1, "Tasks": [{"Name": "httpd", "Driver": "rkt",
    "Config": {"image": "$work/httpd.aci", "port_map": [{"http": "http"}]},
    "Resources": {"CPU": 200, "MemoryMB": 64, "Networks": [{"MBits": 10,
      "ReservedPorts": [{"Label": "http", "Value": $driver_port}]}]},
    "KillTimeout": 5000000000}]}]}}
JOB

# The same ptp conf as rkt's built-in default network; portmap chained on its result.
echo '{"cniVersion":"0.4.0","name":"default","type":"ptp","ipMasq":true,"ipam":{"type":"host-local","subnet":"172.16.28.0/24","routes":[{"dst":"0.0.0.0/0"}]}}' > "$work/ptp.json"

bundle="$work/bundle"
mkdir -p "$bundle"

(cd "$bundle" && runc spec)
python3 - "$bundle/config.json" "/var/run/netns/$hand_id" "$rootfs" <<'PY'
import json, sys
path, netns = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
spec["process"]["terminal"] = False
spec["process"]["args"] = ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"]
spec["root"] = {"path": sys.argv[3], "readonly": False}
spec["hostname"] = "bench"
for ns in spec["linux"]["namespaces"]:
    if ns["type"] == "network":
        ns["path"] = netns
spec["linux"].setdefault("resources", {})["memory"] = {"limit": 64000000}
json.dump(spec, open(path, "w"))
PY

# What the timer starts for (b): netns, ptp ADD, portmap ADD, then runc in the foreground.
cat > "$work/hand-start.sh" <<HAND
#!/bin/bash
set -e
ip netns add $hand_id
result=\$(CNI_COMMAND=ADD CNI_CONTAINERID=$hand_id CNI_NETNS=/var/run/netns/$hand_id CNI_IFNAME=eth0 \\
    CNI_PATH=$cni $cni/ptp < $work/ptp.json)
printf '{"cniVersion":"0.4.0","name":"default","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":$hand_port,"containerPort":80,"protocol":"tcp"}]},"prevResult":%s}' "\$result" > $work/portmap.json
CNI_COMMAND=ADD CNI_CONTAINERID=$hand_id CNI_NETNS=/var/run/netns/$hand_id CNI_IFNAME=eth0 \\
    CNI_PATH=$cni $cni/portmap < $work/portmap.json > /dev/null
exec runc --root $work/runc run --bundle $bundle $hand_id
HAND
chmod +x "$work/hand-start.sh"

# --- measurements -----------------------------------------------------------------------------
measure_driver() {
    local out
    out=$(python3 "$timer" "$driver_port" 60 "$work/driver.log" -- \
        "$bin/rkt-driver" --data-dir "$work/driver" --rkt-dir "$work/rkt" run "$work/job.json")
    driver_pid=${out#* }
    stop_driver
    [ "${out%% *}" != timeout ] || fail "driver run timed out: $(tail -5 "$work/driver.log")"
    echo "${out%% *}"
}
measure_hand() {
    local out
    out=$(python3 "$timer" "$hand_port" 60 "$work/hand.log" -- "$work/hand-start.sh")
    stop_hand
    wait_gone "${out#* }"
    [ "${out%% *}" != timeout ] || fail "hand run timed out: $(tail -5 "$work/hand.log")"
    echo "${out%% *}"
}

echo "warm-up (not counted): driver $(measure_driver) ms, hand $(measure_hand) ms"
driver_ms=()
hand_ms=()
for i in $(seq 1 "$runs"); do
    driver_ms+=("$(measure_driver)")
    hand_ms+=("$(measure_hand)")
    printf 'run %2d: driver %8s ms   hand %8s ms\n' "$i" "${driver_ms[-1]}" "${hand_ms[-1]}"
done

python3 - "${driver_ms[*]}" "${hand_ms[*]}" <<'PY'
import statistics, sys
driver = [float(x) for x in sys.argv[1].split()]
hand = [float(x) for x in sys.argv[2].split()]
md, mh = statistics.median(driver), statistics.median(hand)
print(f"driver: median {md:.1f} ms (min {min(driver):.1f}, max {max(driver):.1f}), n={len(driver)}")
print(f"hand:   median {mh:.1f} ms (min {min(hand):.1f}, max {max(hand):.1f}), n={len(hand)}")
print(f"ratio driver/hand: {md / mh:.2f} (target <= 1.3)")
PY
