"""Client half of bench/plugin-latency.sh: drives a running `rkt-driver plugin` over its unix socket.

  plugin-latency.py WORK SOCKET PLUGIN_STDERR IMAGE UNARY_N START_N

The protos come from Tests/NomadPluginTests/PluginProtos.swift (the Swift string literals the plugin tests
compile at run time), extracted and compiled with grpc_tools.protoc into WORK/proto.
Prints `a=<ms>`, `b=<ms>`, `c=<ms>` medians (and the samples) on stdout.
"""
import json, os, re, statistics, sys, threading, time, uuid

here = os.path.dirname(os.path.abspath(__file__))
PROTOS_SWIFT = os.path.join(here, "..", "Tests", "NomadPluginTests", "PluginProtos.swift")
COMMON_SWIFT = os.path.join(here, "..", "Tests", "NomadPluginTests", "PluginClientCommon.swift")
JOB = "pbench"


def compile_protos(out):
    """Each `static let NAME = \"\"\" ... \"\"\"` block named in `files` becomes OUT/NAME.proto."""
    from grpc_tools import protoc
    source = open(PROTOS_SWIFT).read()
    files = dict(re.findall(r'"(\w+\.proto)":\s*(\w+)', source))
    blocks = {name: text for name, text in re.findall(r'static let (\w+) = """\n(.*?)\n\s*"""', source, re.S)}
    if not files or set(files.values()) - set(blocks):
        sys.exit("plugin-latency: cannot find the protos in " + PROTOS_SWIFT)
    os.makedirs(out, exist_ok=True)
    for file_name, block in files.items():
        lines = blocks[block].split("\n")
        indent = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
        with open(os.path.join(out, file_name), "w") as f:
            f.write("\n".join(l[indent:] for l in lines) + "\n")
    args = ["protoc", "-I" + out, "--python_out=" + out, "--grpc_python_out=" + out]
    if protoc.main(args + [os.path.join(out, name) for name in sorted(files)]) != 0:
        sys.exit("plugin-latency: protoc failed")
    # The tests' shared Python (cty msgpack for the task config) becomes OUT/plugincommon.py.
    common = re.search(r'static let source = #"""\n(.*?)\n\s*"""#', open(COMMON_SWIFT).read(), re.S)
    if not common:
        sys.exit("plugin-latency: cannot find the shared client code in " + COMMON_SWIFT)
    lines = common.group(1).split("\n")
    indent = min(len(l) - len(l.lstrip()) for l in lines if l.strip())
    with open(os.path.join(out, "plugincommon.py"), "w") as f:
        f.write("\n".join(l[indent:] for l in lines) + "\n")
    sys.path.insert(0, out)


def ms(ns):
    return ns / 1e6


def main():
    work, socket, plugin_stderr, image, unary_n, start_n = sys.argv[1:7]
    unary_n, start_n = int(unary_n), int(start_n)
    compile_protos(os.path.join(work, "proto"))
    import grpc, base_pb2, base_pb2_grpc, driver_pb2, driver_pb2_grpc
    from plugincommon import mp

    channel = grpc.insecure_channel("unix://" + socket, options=[("grpc.enable_http_proxy", 0)])
    base = base_pb2_grpc.BasePluginStub(channel)
    driver = driver_pb2_grpc.DriverStub(channel)
    # Like an agent without a plugin block: the settings stay those of the CLI globals.
    base.SetConfig(base_pb2.SetConfigRequest(msgpack_config=b"", plugin_api_version="v0.1.0"), timeout=10)

    # (a) unary no-op round trip.
    empty = driver_pb2.Empty()
    for _ in range(50):
        driver.Capabilities(empty, timeout=10)
    unary = []
    for _ in range(unary_n):
        t0 = time.perf_counter_ns()
        driver.Capabilities(empty, timeout=10)
        unary.append(time.perf_counter_ns() - t0)

    # (b) StartTask round trip, (c) the plugin's own `start.ms` log field for that same start.
    live = set()
    stderr_offset = [0]

    def start_ms(task_id):
        with open(plugin_stderr) as f:
            f.seek(stderr_offset[0])
            text = f.read()
            stderr_offset[0] = f.tell()
        for line in text.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if record.get("@message") == "task start duration" and record.get("task.id") == task_id:
                return float(record["start.ms"])
        sys.exit("plugin-latency: no `task start duration` log line with start.ms for " + task_id)

    def one_start():
        alloc_id = str(uuid.uuid4())
        alloc_dir = os.path.join(work, "alloc", alloc_id)
        logs = alloc_dir + "/alloc/logs"
        for path in (logs, alloc_dir + "/sleep/local", alloc_dir + "/sleep/secrets"):
            os.makedirs(path)
        fifos = (logs + "/.sleep.stdout.fifo", logs + "/.sleep.stderr.fifo")
        readers = []
        for fifo in fifos:  # like logmon: a reader on each FIFO until every writer closed it
            os.mkfifo(fifo)
            readers.append(threading.Thread(target=lambda p=fifo: [None for _ in open(p, "rb")], daemon=True))
            readers[-1].start()
        config = {"image": image, "command": "/bin/sleep", "args": ["3600"], "net": ["none"], "debug": False,
                  "no_overlay": False, "port_map": None, "volumes": None, "dns_servers": None,
                  "dns_search_domains": None, "insecure_options": None, "trust_prefix": None, "group": None}
        task_id = "%s/sleep/%s" % (alloc_id, uuid.uuid4().hex[:8])
        task = driver_pb2.TaskConfig(
            id=task_id, name="sleep", msgpack_driver_config=mp(config), env={"NOMAD_TASK_NAME": "sleep"},
            alloc_dir=alloc_dir, task_group_name="g", job_name=JOB, alloc_id=alloc_id,
            stdout_path=fifos[0], stderr_path=fifos[1],
            resources=driver_pb2.Resources(allocated_resources=driver_pb2.AllocatedTaskResources(
                cpu=driver_pb2.AllocatedCpu(cpu_shares=100), memory=driver_pb2.AllocatedMemory(memory_mb=64))))
        request = driver_pb2.StartTaskRequest(task=task)
        t0 = time.perf_counter_ns()
        response = driver.StartTask(request, timeout=120)
        elapsed = time.perf_counter_ns() - t0
        live.add(task_id)
        if response.result != 0 or not response.handle.driver_state:
            sys.exit("plugin-latency: StartTask failed: %s" % response.driver_error_msg)
        own = start_ms(task_id)
        driver.StopTask(driver_pb2.StopTaskRequest(
            task_id=task_id, timeout=driver_pb2.Duration(seconds=2), signal="SIGKILL"), timeout=60)
        driver.DestroyTask(driver_pb2.DestroyTaskRequest(task_id=task_id, force=True), timeout=60)
        live.discard(task_id)
        for reader in readers:
            reader.join(timeout=10)
        return ms(elapsed), own

    starts, owns = [], []
    try:
        one_start()  # warm-up: image fetch into the store, page cache
        for _ in range(start_n):
            b, c = one_start()
            starts.append(b)
            owns.append(c)
    finally:
        for task_id in list(live):
            try:
                driver.DestroyTask(driver_pb2.DestroyTaskRequest(task_id=task_id, force=True), timeout=60)
            except grpc.RpcError as error:
                print("plugin-latency: DestroyTask %s: %s" % (task_id, error.details()), file=sys.stderr)
        try:
            channel.unary_unary("/plugin.GRPCController/Shutdown")(b"", timeout=5)
        except grpc.RpcError:
            pass  # the plugin may exit before answering

    diffs = [b - c for b, c in zip(starts, owns)]
    print("a=%.3f" % ms(statistics.median(unary)))
    print("b=%.3f" % statistics.median(starts))
    print("c=%.3f" % statistics.median(owns))
    print("d=%.3f" % statistics.median(diffs))
    print("b_samples=" + " ".join("%.1f" % v for v in starts))
    print("c_samples=" + " ".join("%.1f" % v for v in owns))
    print("d_samples=" + " ".join("%.2f" % v for v in diffs))
    print("a_p90=%.3f" % ms(sorted(unary)[int(len(unary) * 0.9)]))


if __name__ == "__main__":
    main()
