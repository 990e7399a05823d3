#!/bin/bash
# End-to-end acceptance check of the rkt driver plugin against a real Nomad agent.
#
#   sudo scripts/nomad-acceptance.sh /path/to/nomad      (or NOMAD_BIN=/path/to/nomad)
#
# Starts a throwaway server+client agent bound to 127.0.0.1 (its data, plugin and rkt dirs in a
# fresh temp dir), with .build-release/release/rkt-driver as its "rkt" plugin, and checks:
#   1. the rkt driver is detected and healthy        5. `nomad alloc logs` has the httpd output
#   2. the hello job serves its page                 6. a batch task's exit code 3 is reported
#   3. the redis job answers PING with PONG          7. after an agent restart the task is recovered
#   4. `nomad alloc exec` output and exit code       8. stop -purge + client GC leave nothing behind
# Exits 0 only if every check passed. KEEP=1 keeps the temp dir (agent log, configs, jobs).
# Needs root, the release binaries (scripts/setup.sh or scripts/quickstart.sh builds them) and the
# example images (examples/hello/build-image.sh, examples/redis/build-image.sh).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
release="$repo/.build-release/release"
hello_image="$repo/examples/hello/hello.aci"
redis_image="$repo/examples/redis/redis.aci"
nomad_bin="${1:-${NOMAD_BIN:-}}"
jobs=(acceptance-hello acceptance-redis acceptance-exit3)

say() { printf '==> %s\n' "$*"; }
# grep that reads all of its input, for the end of a pipeline: with pipefail, grep -q's early exit
# could fail the pipeline through its writer's SIGPIPE.
has() { grep "$@" >/dev/null; }
indent() { sed 's/^/      /'; }
die() {
    printf 'nomad-acceptance: %s\n' "$*" >&2
    exit 2
}

# --- prerequisites -------------------------------------------------------------------------------

if [[ -z "$nomad_bin" || "$nomad_bin" == -h || "$nomad_bin" == --help ]]; then
    die "usage: sudo $0 /path/to/nomad   (or NOMAD_BIN=/path/to/nomad $0)"
fi
[[ -x "$nomad_bin" && ! -d "$nomad_bin" ]] || die "not an executable file: $nomad_bin"
nomad_bin="$(readlink -f "$nomad_bin")"
((EUID == 0)) || die "must run as root (the plugin runs pods with runc, netns and iptables)"
for binary in rkt-driver rkt rkt-executor rkt-init; do
    [[ -x "$release/$binary" ]] ||
        die "missing $release/$binary: build it with scripts/setup.sh (or: swift build -c release --static-swift-stdlib --scratch-path .build-release)"
done
[[ -f "$hello_image" ]] || die "missing $hello_image: build it with examples/hello/build-image.sh"
[[ -f "$redis_image" ]] || die "missing $redis_image: build it with examples/redis/build-image.sh"
for tool in curl ss ip iptables-save runc findmnt; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done
if pgrep -f "nomad agent" >/dev/null; then
    say "note: another Nomad agent is already running (pids $(pgrep -d, -f "nomad agent")); this check uses its own ports and dirs"
fi

# A port nobody listens on (TCP or UDP), from $1 up, other than the ones given after it.
free_port() {
    local port=$1
    shift
    while ((port < 65000)); do
        if [[ " $* " != *" $port "* && -z "$(ss -Hlntu "( sport = :$port )" 2>/dev/null)" ]]; then
            echo "$port"
            return 0
        fi
        port=$((port + 1))
    done
    die "no free port from $1"
}
http_port="$(free_port 14646)"
rpc_port="$(free_port 14647 "$http_port")"
serf_port="$(free_port 14648 "$http_port" "$rpc_port")"
hello_port="$(free_port 18080)"

work="$(mktemp -d /tmp/nomad-acceptance.XXXXXX)"
chmod 755 "$work"
mkdir -p "$work/data" "$work/plugins" "$work/jobs" "$work/rkt-driver" "$work/rkt"
rkt_dir="$work/rkt"
agent_log="$work/agent.log"
agent_pid=""
export NOMAD_ADDR="http://127.0.0.1:$http_port"
unset NOMAD_TOKEN NOMAD_REGION NOMAD_NAMESPACE

# --- cleanup, always -----------------------------------------------------------------------------

agent_alive() { [[ -n "$agent_pid" ]] && kill -0 "$agent_pid" 2>/dev/null; }

# SIGINT (a server with leave_on_interrupt off just shuts down; its tasks keep running), then
# SIGKILL after 30 s.
stop_agent() {
    agent_alive || return 0
    kill -INT "$agent_pid"
    local deadline=$((SECONDS + 30))
    while agent_alive && ((SECONDS < deadline)); do sleep 0.5; done
    if agent_alive; then
        say "agent did not stop within 30s after SIGINT; sending SIGKILL"
        kill -KILL "$agent_pid" 2>/dev/null || true
    fi
    wait "$agent_pid" 2>/dev/null || true
    agent_pid=""
}

pods_in_rkt_dir() { find "$rkt_dir/pods" -mindepth 2 -maxdepth 2 2>/dev/null || true; }
mounts_under_work() { findmnt -rn -o TARGET | awk -v dir="$work/" 'index($0, dir) == 1' || true; }
# Processes whose command line names the temp dir (the plugin, executors, pods' supervisors).
# For check 8: prints TITLE and the leftovers TEXT (and fails the check, through the caller's
# `ok`), or CLEAN when there are none.
report_left() {
    local title=$1 clean=$2 text=$3
    if [[ -n "$text" ]]; then
        echo "$title"
        indent <<<"$text"
        ok=1
    else
        echo "$clean"
    fi
}

# Processes of this run: their command line names the temp dir, or they inherited the marker the
# agent is started with (Nomad's logmon plugins name neither, and outlive a stopped agent).
processes_under_work() {
    local dir pid
    for dir in /proc/[0-9]*; do
        pid="${dir#/proc/}"
        [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
        if tr '\0' ' ' 2>/dev/null <"$dir/cmdline" | has -F "$work/" \
            || tr '\0' '\n' 2>/dev/null <"$dir/environ" | has -x -F "RKT_ACCEPTANCE_RUN=$work"; then
            echo "$pid"
        fi
    done
}

purge_jobs() {
    local job
    for job in "${jobs[@]}"; do
        "$nomad_bin" job stop -purge -detach "$job" >/dev/null 2>&1 || true
    done
}

client_gc() { curl -fsS --max-time 30 -X PUT "$NOMAD_ADDR/v1/client/gc" >/dev/null; }

wait_until() { # TIMEOUT COMMAND...: true once COMMAND succeeds, false after TIMEOUT seconds
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 1
    done
}
no_pods() { [[ -z "$(pods_in_rkt_dir)" ]]; }
no_mounts() { [[ -z "$(mounts_under_work)" ]]; }
# Client GC only collects allocations the client already sees as terminal; a stopped job's may
# take a few seconds to get there, so ask again until Nomad's alloc mounts (secrets tmpfs) are gone.
gc_until_unmounted() {
    local deadline=$((SECONDS + $1))
    while true; do
        client_gc || return 1
        sleep 2
        no_mounts && return 0
        ((SECONDS < deadline)) || return 1
    done
}

cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    if agent_alive; then
        say "cleanup: purging jobs, client GC, stopping the agent"
        purge_jobs
        wait_until 60 no_pods
        gc_until_unmounted 60 2>/dev/null
        stop_agent
    fi
    # Anything the agent did not take down (it died, or was killed): stop and remove the pods
    # with the runtime itself, then end our own leftover processes by pid.
    local pod uuid pid
    for pod in $(pods_in_rkt_dir); do
        uuid="${pod##*/}"
        say "cleanup: removing leftover pod $uuid"
        "$release/rkt" --dir="$rkt_dir" stop --force=true "$uuid" >/dev/null 2>&1
        sleep 1
        "$release/rkt" --dir="$rkt_dir" rm "$uuid" >/dev/null 2>&1
    done
    for pid in $(processes_under_work); do
        say "cleanup: killing leftover process $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")"
        kill -KILL "$pid" 2>/dev/null
    done
    local target
    while read -r target; do
        [[ -n "$target" ]] || continue
        say "cleanup: unmounting $target"
        umount "$target" 2>/dev/null || umount -l "$target"
    done < <(mounts_under_work | sort -r)
    if [[ "${KEEP:-0}" == 1 ]]; then
        say "kept $work (agent log: $agent_log)"
    elif [[ -n "$(mounts_under_work)" ]]; then
        say "NOT removing $work: mounts remain under it"
    else
        rm -rf --one-file-system "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- results -------------------------------------------------------------------------------------

results=()
failures=0
pass() {
    results+=("PASS  $1")
    printf 'PASS  %s\n' "$1"
}
fail() {
    results+=("FAIL  $1")
    failures=$((failures + 1))
    printf 'FAIL  %s\n' "$1"
}
check() { # NAME FUNCTION: runs FUNCTION (its output is the evidence), records PASS or FAIL
    local name=$1
    shift
    say "check: $name"
    if "$@"; then pass "$name"; else fail "$name"; fi
}

# --- agent ---------------------------------------------------------------------------------------

cat >"$work/agent.hcl" <<EOF
# Written by scripts/nomad-acceptance.sh: a throwaway agent, everything on loopback.
datacenter           = "dc1"
data_dir             = "$work/data"
plugin_dir           = "$work/plugins"
bind_addr            = "127.0.0.1"
disable_update_check = true
log_level            = "INFO"

ports {
  http = $http_port
  rpc  = $rpc_port
  serf = $serf_port
}

advertise {
  http = "127.0.0.1"
  rpc  = "127.0.0.1"
  serf = "127.0.0.1"
}

server {
  enabled          = true
  bootstrap_expect = 1
}

client {
  enabled           = true
  network_interface = "lo"
  options = {
    "fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean"
    "driver.denylist"      = "docker,qemu,java"
  }
}

consul {
  address          = "127.0.0.1:8500"
  auto_advertise   = false
  server_auto_join = false
  client_auto_join = false
}

plugin "rkt" {
  config {
    volumes_enabled = true
    data_dir        = "$work/rkt-driver"
    rkt_dir         = "$rkt_dir"
  }
}
EOF
ln -s "$release/rkt-driver" "$work/plugins/rkt"

start_agent() {
    RKT_ACCEPTANCE_RUN="$work" setsid "$nomad_bin" agent -config "$work/agent.hcl" >>"$agent_log" 2>&1 &
    agent_pid=$!
}

# "STATUS DETECTED HEALTHY" of this node and its rkt driver.
node_state() {
    "$nomad_bin" node status -self \
        -t '{{.Status}} {{with index .Drivers "rkt"}}{{.Detected}} {{.Healthy}}{{else}}- -{{end}}' 2>/dev/null
}
node_ready() { agent_alive && [[ "$(node_state)" == "ready true true" ]]; }

wait_ready() {
    if ! wait_until 90 node_ready; then
        echo "node not ready with a healthy rkt driver within 90s (state: $(node_state || echo unreachable))"
        echo "last agent log lines:"
        tail -n 30 "$agent_log" | indent
        return 1
    fi
}

say "temp dir $work; agent on 127.0.0.1 ports http=$http_port rpc=$rpc_port serf=$serf_port"
say "nomad: $("$nomad_bin" version | head -n 1); plugin: $release/rkt-driver"
# CNI chains that exist before we start: others (say, a test suite) may be using the runtime too.
iptables-save 2>/dev/null | awk '/^:CNI-/ { print substr($1, 2) }' | sort -u >"$work/cni-chains.before"
start_agent
say "waiting for the node to be ready with the rkt driver healthy (agent log: $agent_log)"
if ! wait_ready; then
    fail "agent started, node ready, rkt driver healthy"
    printf '\nSUMMARY: agent did not come up; no checks ran\n'
    exit 1
fi

# --- helpers for jobs ----------------------------------------------------------------------------

# The newest allocation of a job: "ID CLIENTSTATUS" (the first row of the status' allocation table).
job_alloc() {
    local id
    id="$("$nomad_bin" job status -verbose "$1" 2>/dev/null |
        awk '/^Allocations/ { table = 1; getline; next } NF == 0 { table = 0 } table && id == "" { id = $1 } END { print id }')"
    [[ -n "$id" ]] || return 0
    echo "$id $("$nomad_bin" alloc status -t '{{.ClientStatus}}' "$id" 2>/dev/null)"
}
alloc_status_is() { # JOB STATUS...
    local job=$1 state
    shift
    state="$(job_alloc "$job" | cut -d' ' -f2)"
    [[ " $* " == *" $state "* ]]
}
run_job() { # FILE JOB: submits it and waits up to 90 s for its allocation to leave "pending"
    "$nomad_bin" job run -detach "$1" | grep -v '^[[:space:]]*$' | indent
    if ! wait_until 90 alloc_status_is "$2" running complete failed lost; then
        echo "job $2 has no started allocation after 90s: $(job_alloc "$2")"
        return 1
    fi
}
# Pod UUIDs of this run, kept for the leftover checks at the end: those in the rkt dir now, and
# those named by the given allocations' "rkt pod UUID started" task events.
note_pods() {
    local alloc
    pods_in_rkt_dir | sed 's|.*/||' >>"$work/pods.seen"
    for alloc in "$@"; do
        "$nomad_bin" alloc status "$alloc" 2>/dev/null | grep -oE 'rkt pod [0-9a-f-]{36} started' |
            cut -d' ' -f3 >>"$work/pods.seen" || true
    done
}

fetch_page() { curl -fsS --max-time 5 "http://127.0.0.1:$hello_port/" 2>/dev/null; }
page_ok() { fetch_page | has "Hello from a rkt pod"; }

# --- 1. driver detected and healthy --------------------------------------------------------------

check_driver() {
    local verbose
    verbose="$("$nomad_bin" node status -self -verbose)" || return 1
    grep -E '^(Drivers|Driver Status|Status) ' <<<"$verbose" | indent
    grep -E 'driver\.rkt' <<<"$verbose" | indent
    "$nomad_bin" node status -self \
        -t '{{with index .Drivers "rkt"}}rkt: detected={{.Detected}} healthy={{.Healthy}} ({{.HealthDescription}}){{end}}' | indent
    [[ "$(node_state)" == "ready true true" ]] && grep -qE 'driver\.rkt +=' <<<"$verbose"
}
check "1. rkt driver detected and healthy" check_driver

# --- 2. hello job serves its page ----------------------------------------------------------------

cat >"$work/jobs/hello.nomad" <<EOF
job "acceptance-hello" {
  datacenters = ["dc1"]
  type        = "service"

  group "web" {
    count = 1

    task "httpd" {
      driver = "rkt"

      config {
        image = "$hello_image"
        port_map {
          http = "http"
        }
      }

      env {
        GREETING = "hello from a rkt pod"
      }

      resources {
        cpu    = 200
        memory = 64
        network {
          mbits = 10
          port "http" {
            static = $hello_port
          }
        }
      }

      kill_timeout = "5s"
    }
  }
}
EOF

hello_alloc=""
check_hello() {
    run_job "$work/jobs/hello.nomad" acceptance-hello || return 1
    hello_alloc="$(job_alloc acceptance-hello | cut -d' ' -f1)"
    note_pods "$hello_alloc"
    echo "allocation $hello_alloc: $(job_alloc acceptance-hello | cut -d' ' -f2)"
    if ! wait_until 30 page_ok; then
        echo "no page on 127.0.0.1:$hello_port within 30s; task events:"
        "$nomad_bin" alloc status "$hello_alloc" | tail -n 15 | indent
        return 1
    fi
    echo "curl http://127.0.0.1:$hello_port/:"
    fetch_page | indent
}
check "2. hello job serves its page on 127.0.0.1:$hello_port" check_hello

# --- 3. redis answers PONG -----------------------------------------------------------------------

cat >"$work/jobs/redis.nomad" <<EOF
job "acceptance-redis" {
  datacenters = ["dc1"]
  type        = "service"

  group "cache" {
    count = 1

    task "redis" {
      driver = "rkt"

      config {
        image = "$redis_image"
        port_map {
          db = "redis"
        }
      }

      resources {
        cpu    = 200
        memory = 128
        network {
          mbits = 10
          port "db" {}
        }
      }

      kill_timeout = "5s"
    }
  }
}
EOF

redis_ping() { # PORT: prints the reply to PING
    if command -v redis-cli >/dev/null 2>&1; then
        timeout 5 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null
    else
        python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5) as s:
    s.sendall(b"PING\r\n")
    print(s.recv(64).decode().strip().lstrip("+"))
PY
    fi
}
redis_port=""
pong() { [[ "$(redis_ping "$redis_port")" == PONG ]]; }

check_redis() {
    run_job "$work/jobs/redis.nomad" acceptance-redis || return 1
    local alloc
    alloc="$(job_alloc acceptance-redis | cut -d' ' -f1)"
    note_pods "$alloc"
    redis_port="$("$nomad_bin" alloc status \
        -t '{{range .AllocatedResources.Tasks.redis.Networks}}{{range .DynamicPorts}}{{if eq .Label "db"}}{{.Value}}{{end}}{{end}}{{end}}' \
        "$alloc")"
    echo "allocation $alloc: dynamic port db = ${redis_port:-none}"
    [[ -n "$redis_port" ]] || return 1
    if ! wait_until 30 pong; then
        echo "no PONG from 127.0.0.1:$redis_port within 30s (got: $(redis_ping "$redis_port" || true))"
        return 1
    fi
    echo "PING 127.0.0.1:$redis_port -> $(redis_ping "$redis_port")"
}
check "3. redis job answers PONG" check_redis

# --- 4. alloc exec -------------------------------------------------------------------------------

check_exec() {
    [[ -n "$hello_alloc" ]] || {
        echo "no hello allocation"
        return 1
    }
    local output status=0
    output="$("$nomad_bin" alloc exec -i=false -t=false -task httpd "$hello_alloc" \
        /bin/sh -c 'echo hi; exit 3' 2>&1)" || status=$?
    echo "nomad alloc exec -task httpd $hello_alloc /bin/sh -c 'echo hi; exit 3'"
    echo "output: ${output}"
    echo "exit code: $status"
    [[ "$output" == hi && "$status" == 3 ]]
}
check "4. nomad alloc exec prints hi and exits 3" check_exec

# --- 5. alloc logs -------------------------------------------------------------------------------

httpd_logs() { "$nomad_bin" alloc logs -stderr -task httpd "$hello_alloc" 2>/dev/null; }
# busybox httpd -v logs one "[client]:port: response:200" line per request, on stderr.
request_logged() { httpd_logs | has 'response:200'; }
check_logs() {
    [[ -n "$hello_alloc" ]] || {
        echo "no hello allocation"
        return 1
    }
    fetch_page >/dev/null || true
    local ok=0
    wait_until 15 request_logged || ok=1
    echo "nomad alloc logs -stderr -task httpd $hello_alloc (last lines):"
    httpd_logs | tail -n 4 | indent
    return "$ok"
}
check "5. nomad alloc logs -stderr shows httpd's request lines" check_logs

# --- 6. batch job exit code ----------------------------------------------------------------------

cat >"$work/jobs/exit3.nomad" <<EOF
job "acceptance-exit3" {
  datacenters = ["dc1"]
  type        = "batch"

  group "g" {
    restart {
      attempts = 0
      mode     = "fail"
    }
    reschedule {
      attempts  = 0
      unlimited = false
    }

    task "t" {
      driver = "rkt"

      config {
        image   = "$hello_image"
        command = "/bin/busybox"
        args    = ["sh", "-c", "echo batch-out; echo batch-err >&2; exit 3"]
      }

      resources {
        cpu    = 100
        memory = 32
      }
    }
  }
}
EOF

check_exit3() {
    "$nomad_bin" job run -detach "$work/jobs/exit3.nomad" | grep -v '^[[:space:]]*$' | indent
    if ! wait_until 90 alloc_status_is acceptance-exit3 complete failed lost; then
        echo "batch allocation did not finish within 90s: $(job_alloc acceptance-exit3)"
        return 1
    fi
    local alloc status
    alloc="$(job_alloc acceptance-exit3 | cut -d' ' -f1)"
    note_pods "$alloc"
    status="$("$nomad_bin" alloc status "$alloc")"
    echo "allocation $alloc: $(job_alloc acceptance-exit3 | cut -d' ' -f2); events:"
    grep -E 'Terminated|Exit Code' <<<"$status" | indent
    grep -q 'Exit Code: 3' <<<"$status"
}
check "6. batch task exiting 3 is reported with Exit Code: 3" check_exit3

# --- 7. agent restart, task recovered ------------------------------------------------------------

recovered_logged() { tail -n "+$1" "$agent_log" | grep 'task recovered' | has "task.id=$hello_alloc/"; }
check_recovery() {
    [[ -n "$hello_alloc" ]] || {
        echo "no hello allocation"
        return 1
    }
    local ok=0 from pod
    pod="$("$nomad_bin" alloc status "$hello_alloc" | grep -oE 'rkt pod [0-9a-f-]{36} started' | tail -n 1 | cut -d' ' -f3)"
    echo "hello runs in pod ${pod:-?} (task event 'rkt pod ... started')"
    echo "stopping the agent with SIGINT (pid $agent_pid)"
    stop_agent
    if page_ok; then echo "agent down: hello still answers on 127.0.0.1:$hello_port"; else
        echo "agent down: hello does NOT answer on 127.0.0.1:$hello_port"
        ok=1
    fi
    from=$(($(wc -l <"$agent_log") + 1))
    echo "starting the agent again"
    start_agent
    wait_ready || return 1
    if wait_until 60 recovered_logged "$from"; then
        echo "plugin log after restart:"
        tail -n "+$from" "$agent_log" | grep 'task recovered' | grep "task.id=$hello_alloc/" | indent
        if ! tail -n "+$from" "$agent_log" | grep 'task recovered' | grep "task.id=$hello_alloc/" |
            has "pod.id=$pod"; then
            echo "the recovered task is not in pod ${pod:-?}"
            ok=1
        fi
    else
        echo "no 'task recovered' for allocation $hello_alloc in the agent log within 60s"
        ok=1
    fi
    echo "job allocation now: $(job_alloc acceptance-hello) (before: $hello_alloc running)"
    [[ "$(job_alloc acceptance-hello)" == "$hello_alloc running" ]] || ok=1
    echo "task events:"
    "$nomad_bin" alloc status "$hello_alloc" | grep -i 'recovered' | indent || true
    if wait_until 15 page_ok; then echo "page still answers after the restart"; else
        echo "page does NOT answer after the restart"
        ok=1
    fi
    return "$ok"
}
check "7. agent restart: hello keeps serving and is recovered" check_recovery

# --- 8. stop -purge, client GC, nothing left -----------------------------------------------------

uuid_pattern() { sort -u "$work/pods.seen" 2>/dev/null | grep -E '^[0-9a-f-]{36}$' | paste -sd'|' -; }
check_clean() {
    local ok=0 pattern leftovers job pid
    note_pods
    for job in "${jobs[@]}"; do
        echo "nomad job stop -purge $job: $("$nomad_bin" job stop -purge -detach "$job" 2>&1 | tail -n 1)"
    done
    wait_until 60 no_pods || echo "pods still in $rkt_dir after 60s"
    if gc_until_unmounted 60; then echo "PUT /v1/client/gc: ok, Nomad's alloc mounts are gone"; else
        echo "PUT /v1/client/gc failed, or mounts still under $work after 60s of it"
        ok=1
    fi
    echo "stopping the agent"
    stop_agent

    pattern="$(uuid_pattern)"
    echo "pods of this run: ${pattern//|/ }"
    [[ -n "$pattern" ]] || {
        echo "no pod UUIDs were recorded"
        ok=1
        pattern='^$'
    }

    report_left "pods left in $rkt_dir:" "no pods in $rkt_dir/pods" "$(pods_in_rkt_dir)"

    report_left "netns left:" "no netns of this run (ip netns list: $(ip netns list | wc -l) in all, from others)" "$(ip netns list | grep -E "$pattern" || true)"

    report_left "runc containers left:" "no runc containers of this run under /run/rkt/runc" "$(runc --root /run/rkt/runc list 2>/dev/null | grep -E "$pattern|$work/" || true)"

    # CNI: no rule may name one of our pods, and no chain may be new unless someone else's pod
    # (a UUID not ours) owns it.
    local rules chain new_chains=""
    rules="$(iptables-save 2>/dev/null)"
    leftovers="$(grep -E "$pattern" <<<"$rules" || true)"
    if [[ -n "$leftovers" ]]; then
        echo "iptables rules of this run left:"
        indent <<<"$leftovers"
        ok=1
    fi
    while read -r chain; do
        [[ -n "$chain" && "$chain" != CNI-HOSTPORT-* ]] || continue
        grep -qxF "$chain" "$work/cni-chains.before" && continue
        if grep -E -- "(-A|-j) $chain( |\$)" <<<"$rules" | grep -oE '[0-9a-f]{8}-[0-9a-f-]{27}' |
            has -vE "$pattern"; then
            continue
        fi
        new_chains+="$chain "
    done < <(awk '/^:CNI-/ { print substr($1, 2) }' <<<"$rules" | sort -u)
    if [[ -n "$new_chains" ]]; then
        echo "CNI chains left that no other pod owns: $new_chains"
        ok=1
    elif [[ -z "$leftovers" ]]; then
        echo "no CNI chains or rules of this run (CNI chains now: $(awk '/^:CNI-/ { printf "%s ", substr($1, 2) }' <<<"$rules"))"
    fi

    report_left "mounts left under $work:" "no mounts under $work" "$(mounts_under_work)"

    # Nomad leaves its logmon plugins running when the agent stops (so a restarted agent can
    # reattach); they are Nomad's, not the driver's: end them and say so.
    local logmons=()
    for pid in $(processes_under_work); do
        if [[ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" == "$nomad_bin logmon " ]]; then
            logmons+=("$pid")
        fi
    done
    if ((${#logmons[@]})); then
        echo "ending ${#logmons[@]} logmon process(es) Nomad left after the agent stopped: ${logmons[*]}"
        kill "${logmons[@]}" 2>/dev/null || true
        sleep 1
    fi

    leftovers="$(processes_under_work)"
    if [[ -n "$leftovers" ]]; then
        echo "processes left:"
        for pid in $leftovers; do echo "      $pid $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")"; done
        ok=1
    else echo "no processes of this run left"; fi
    return "$ok"
}
check "8. job stop -purge + client GC leave nothing behind" check_clean

# --- summary -------------------------------------------------------------------------------------

printf '\nSUMMARY (nomad %s, plugin %s)\n' "$("$nomad_bin" version | head -n 1 | cut -d' ' -f2)" "$release/rkt-driver"
printf '  %s\n' "${results[@]}"
if ((failures)); then
    printf '%d of %d checks FAILED (agent log: %s%s)\n' "$failures" "${#results[@]}" "$agent_log" \
        "$([[ "${KEEP:-0}" == 1 ]] || echo ', removed; rerun with KEEP=1 to keep it')"
    exit 1
fi
printf 'all %d checks passed\n' "${#results[@]}"
