#!/bin/bash
# Builds examples/redis/redis.aci (or the path given as $1) from Debian's redis-server: the binary, every shared library
# ldd reports for it and the dynamic loader, a minimal /etc with a `redis` user, and a config
# that keeps redis in the foreground on 0.0.0.0:6379 (port "redis") with protected mode off and
# persistence disabled (its working directory, /data, is the only place it may write).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
driver="${RKT_DRIVER:-$here/../../.build-release/release/rkt-driver}"
output="${1:-$here/redis.aci}"
redis_uid=999
redis_gid=999

if ! command -v redis-server >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server
fi
# The package's own service must not hold 6379 on the host. Without systemd as PID 1 (as in
# containers) policy-rc.d usually keeps it from starting at all; stop it if it did start.
if [ -d /run/systemd/system ]; then
    systemctl disable --now redis-server >/dev/null 2>&1 || true
elif command -v service >/dev/null 2>&1; then
    service redis-server stop >/dev/null 2>&1 || true
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT

# /usr/bin/redis-server is a symlink to redis-check-rdb, which picks its mode from argv[0]; copy
# the target under the server's name.
binary="$(readlink -f "$(command -v redis-server)")"
install -D -m 0755 "$binary" "$rootfs/usr/bin/redis-server"

# Every library ldd resolves ("name => /path (addr)") plus the loader (a bare "/path (addr)").
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u |
    while read -r library; do
        install -D -m 0755 "$(readlink -f "$library")" "$rootfs$library"
    done

mkdir -p "$rootfs/etc/redis" "$rootfs/data" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
chown "$redis_uid:$redis_gid" "$rootfs/data"
printf 'root:x:0:0:root:/root:/nonexistent\nredis:x:%d:%d:redis:/data:/nonexistent\n' \
    "$redis_uid" "$redis_gid" > "$rootfs/etc/passwd"
printf 'root:x:0:\nredis:x:%d:\n' "$redis_gid" > "$rootfs/etc/group"
cat > "$rootfs/etc/redis/redis.conf" <<'EOF'
bind 0.0.0.0
port 6379
protected-mode no
daemonize no
supervised no
logfile ""
dir /data
save ""
appendonly no
EOF

"$driver" build-aci --name example.com/redis --label version=7.0 --label os=linux --label arch=amd64 \
    --user redis --group redis --working-dir /data --port redis:tcp:6379 --gzip \
    "$rootfs" "$output" -- /usr/bin/redis-server /etc/redis/redis.conf
