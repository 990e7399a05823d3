#!/bin/bash
# Builds examples/hello/hello.aci: busybox (from Debian's busybox-static) serving rootfs/www
# with httpd in the foreground on the image's port "http" (80).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
driver="${RKT_DRIVER:-$here/../../.build-release/release/rkt-driver}"

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/etc"
cp /bin/busybox "$rootfs/bin/busybox"
for tool in sh ls cat echo env id ps sleep wget nc; do ln -s busybox "$rootfs/bin/$tool"; done
cp -r "$here/rootfs/www" "$rootfs/www"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"

"$driver" build-aci --name example.com/hello --label version=1.0.0 --label os=linux --label arch=amd64 \
    --port http:tcp:80 --gzip "$rootfs" "$here/hello.aci" -- /bin/busybox httpd -f -v -p 80 -h /www
