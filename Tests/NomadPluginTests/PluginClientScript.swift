/// The Python grpcio client that drives `rkt-driver plugin`: `client.py SOCKET DATA_DIR [IMAGE ALLOC_DIR]`.
/// Without an image it checks the information methods; with one it also runs a task's whole lifecycle.
enum PluginClientScript {
    static let source = #"""
        import sys, time
        import grpc
        import base_pb2, base_pb2_grpc, driver_pb2, driver_pb2_grpc, health_pb2, health_pb2_grpc

        from plugincommon import check, mp

        class ExecCall:
            """An ExecTaskStreaming call driven like Nomad: setup first, never half-closed until we are done."""
            def __init__(self, driver, task_id, command, tty=False):
                import queue, threading
                self.outbox = queue.Queue()
                setup = driver_pb2.ExecTaskStreamingRequest(setup=driver_pb2.ExecTaskStreamingRequest.Setup(
                    task_id=task_id, command=command, tty=tty))
                if tty:
                    setup.tty_size.height, setup.tty_size.width = 24, 80
                self.outbox.put(setup)
                self.call = driver.ExecTaskStreaming(self.requests(), timeout=60)
                self.stdout, self.stderr, self.closed, self.result = b"", b"", set(), None

            def requests(self):
                while True:
                    item = self.outbox.get()
                    if item is None:
                        return
                    yield item

            def send(self, data=b"", close=False):
                self.outbox.put(driver_pb2.ExecTaskStreamingRequest(
                    stdin=driver_pb2.ExecTaskStreamingIOOperation(data=data, close=close)))

            def heartbeat(self):
                self.outbox.put(driver_pb2.ExecTaskStreamingRequest())

            def read_until(self, predicate):
                for message in self.call:
                    if message.HasField("stdout"):
                        self.stdout += message.stdout.data
                        if message.stdout.close: self.closed.add("stdout")
                    if message.HasField("stderr"):
                        self.stderr += message.stderr.data
                        if message.stderr.close: self.closed.add("stderr")
                    if message.exited:
                        self.result = message.result
                    if predicate(self):
                        return True
                return False

            def finish(self):
                self.read_until(lambda call: False)
                self.outbox.put(None)
                return self

        def exec_streaming_checks(driver, task_id):
            run = ExecCall(driver, task_id, ["/bin/sh", "-c", "echo hi; echo oops >&2; exit 3"])
            run.send(close=True)
            run.finish()
            check(run.stdout == b"hi\n" and run.stderr == b"oops\n" and run.result.exit_code == 3
                  and run.closed == {"stdout", "stderr"} and run.call.code() == grpc.StatusCode.OK,
                  "ExecTaskStreaming echo: %r %r exit %s, closed %s" % (run.stdout, run.stderr, run.result, run.closed))

            cat = ExecCall(driver, task_id, ["/bin/cat"])
            cat.heartbeat()
            cat.send(b"ping\n")
            check(cat.read_until(lambda call: call.stdout == b"ping\n"), "ExecTaskStreaming cat echoes ping")
            cat.send(b"pong\n")
            check(cat.read_until(lambda call: call.stdout == b"ping\npong\n"), "ExecTaskStreaming cat echoes pong")
            cat.send(close=True)
            cat.finish()
            check(cat.result.exit_code == 0 and cat.stdout == b"ping\npong\n", "cat exits 0 on stdin close: %s" % cat.result)

            tty = ExecCall(driver, task_id, ["/bin/sh", "-c", "[ -t 0 ] && [ -t 1 ] && echo is-a-tty; exit 5"], tty=True)
            tty.finish()
            check(b"is-a-tty" in tty.stdout and tty.result.exit_code == 5 and tty.stderr == b"",
                  "ExecTaskStreaming with a tty: %r exit %s" % (tty.stdout, tty.result))

            # A resize after the start reaches the command's terminal (Nomad sends one whenever the
            # user's terminal changes size): each line read makes the shell print its size again.
            import re
            sizes = lambda call: re.findall(rb"(\d+) (\d+)\r\n", call.stdout)
            resized = ExecCall(driver, task_id, ["/bin/sh", "-c", "stty size; while read line; do stty size; done"], tty=True)
            check(resized.read_until(lambda call: len(sizes(call)) == 1), "tty exec prints its size: %r" % resized.stdout)
            check(sizes(resized)[0] == (b"24", b"80"), "a tty exec starts at 24x80: %r" % resized.stdout)
            resize = driver_pb2.ExecTaskStreamingRequest()
            resize.tty_size.height, resize.tty_size.width = 50, 132
            resized.outbox.put(resize)
            for attempt in range(20):
                seen = len(sizes(resized))
                resized.send(b"\n")
                resized.read_until(lambda call: len(sizes(call)) > seen)
                if sizes(resized)[-1] == (b"50", b"132"):
                    break
                time.sleep(0.1)
            check(sizes(resized)[-1] == (b"50", b"132"), "a resized tty exec reports 50x132: %r" % resized.stdout)
            resized.send(close=True)
            resized.finish()
            check(resized.result.exit_code == 0, "the resized tty exec ends on EOF: %s" % resized.result)

            sleeper = ExecCall(driver, task_id, ["/bin/sh", "-c", "echo $$ > /tmp/exec-cancel.pid; echo started; exec sleep 1000"])
            check(sleeper.read_until(lambda call: b"started" in call.stdout), "ExecTaskStreaming sleeper started")
            sleeper.call.cancel()
            sleeper.outbox.put(None)
            state = b""
            for _ in range(50):
                probe = driver.ExecTask(driver_pb2.ExecTaskRequest(task_id=task_id, command=["/bin/sh", "-c",
                    "kill -0 $(cat /tmp/exec-cancel.pid) 2>/dev/null && echo alive || echo gone"],
                    timeout=driver_pb2.Duration(seconds=10)), timeout=30)
                state = probe.stdout.strip()
                if state == b"gone":
                    break
                time.sleep(0.2)
            check(state == b"gone", "a cancelled ExecTaskStreaming stops its command (%r)" % state)

            try:
                bad = ExecCall(driver, "no/such/task", ["/bin/true"])
                bad.finish()
                check(False, "exec into an unknown task must fail")
            except grpc.RpcError as error:
                check(error.code() == grpc.StatusCode.UNKNOWN, "exec into an unknown task: %s" % error.details())

        socket, data_dir = sys.argv[1], sys.argv[2]
        channel = grpc.insecure_channel("unix://" + socket, options=[("grpc.enable_http_proxy", 0)])
        base = base_pb2_grpc.BasePluginStub(channel)
        driver = driver_pb2_grpc.DriverStub(channel)

        info = base.PluginInfo(base_pb2.PluginInfoRequest(), timeout=10)
        check(info.type == 2 and info.name == "rkt", "PluginInfo: %s" % str(info).replace("\n", " "))
        check(list(info.plugin_api_versions) == ["v0.1.0"] and info.plugin_version == "0.1.0", "PluginInfo versions")

        schema = base.ConfigSchema(base_pb2.ConfigSchemaRequest(), timeout=10).spec
        attributes = schema.object.attributes
        check(sorted(attributes) == ["data_dir", "rkt", "rkt_dir", "volumes_enabled"], "ConfigSchema keys %s" % sorted(attributes))
        volumes = attributes["volumes_enabled"].default
        check(volumes.primary.Attr.name == "volumes_enabled" and volumes.default.literal.value == "true",
              "volumes_enabled defaults to true")

        config = {"data_dir": data_dir, "rkt": None, "rkt_dir": None, "volumes_enabled": False}
        base.SetConfig(base_pb2.SetConfigRequest(msgpack_config=mp(config), plugin_api_version="v0.1.0",
            nomad_config=base_pb2.NomadConfig(driver=base_pb2.NomadDriverConfig(ClientMaxPort=14512, ClientMinPort=14000))),
            timeout=10)
        check(True, "SetConfig accepted")
        try:
            base.SetConfig(base_pb2.SetConfigRequest(msgpack_config=mp({"volumes_enabled": "yes"})), timeout=10)
            check(False, "SetConfig must reject a non-bool volumes_enabled")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.INVALID_ARGUMENT, "bad SetConfig: %s %s" % (error.code(), error.details()))
        base.SetConfig(base_pb2.SetConfigRequest(msgpack_config=mp(config)), timeout=10)

        health = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service="plugin"), timeout=10)
        check(health.status == 1, "Health SERVING")

        caps = driver.Capabilities(driver_pb2.Empty(), timeout=10).capabilities
        check(caps.send_signals and caps.exec and caps.fs_isolation == 2, "Capabilities %s" % str(caps).replace("\n", " "))

        task_schema = driver.TaskConfigSchema(driver_pb2.Empty(), timeout=10).spec.object.attributes
        check("image" in task_schema and task_schema["image"].Attr.required, "TaskConfigSchema requires image")
        check(task_schema["port_map"].Attr.type == "list(map(string))", "port_map is a list of maps")

        stream = driver.Fingerprint(driver_pb2.Empty())
        first = next(stream)
        check(first.health in (0, 2) and first.health_description != "", "first Fingerprint: %d %r %s" % (
            first.health, first.health_description, dict((k, str(v).strip()) for k, v in first.attributes.items())))
        stream.cancel()

        try:
            channel.unary_unary("/plugin.GRPCStdio/StreamStdio")(b"", timeout=10)
            check(False, "StreamStdio must be unimplemented")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.UNIMPLEMENTED, "StreamStdio UNIMPLEMENTED")

        try:
            driver.WaitTask(driver_pb2.TaskIDRequest(task_id="no/such/task"), timeout=10)
            check(False, "WaitTask of an unknown task must fail")
        except grpc.RpcError as error:
            check(error.code() == grpc.StatusCode.UNKNOWN, "WaitTask unknown task: %s" % error.details())
        driver.DestroyTask(driver_pb2.DestroyTaskRequest(task_id="no/such/task", force=True), timeout=10)
        check(True, "DestroyTask of an unknown task is OK")

        if len(sys.argv) > 3:
            image, alloc_dir = sys.argv[3], sys.argv[4]
            task_id = "c0ffee00-0000-4000-8000-000000000001/web/1a2b3c4d"
            import os, threading
            logs = alloc_dir + "/alloc/logs"
            fifo_out, fifo_err = logs + "/.web.stdout.fifo", logs + "/.web.stderr.fifo"
            os.mkfifo(fifo_out)
            os.mkfifo(fifo_err)
            captured = {"out": b"", "err": b""}
            def read_fifo(path, key):  # like Nomad's logmon: read until every writer closed
                with open(path, "rb", buffering=0) as fifo:
                    while True:
                        chunk = fifo.read(65536)
                        if not chunk:
                            return
                        captured[key] += chunk
            readers = [threading.Thread(target=read_fifo, args=(path, key), daemon=True)
                       for path, key in ((fifo_out, "out"), (fifo_err, "err"))]
            for reader in readers:
                reader.start()
            def wait_captured(key, text):
                for _ in range(100):
                    if text in captured[key]:
                        return True
                    time.sleep(0.1)
                return False

            script = "echo task-started; echo task-err >&2; trap 'echo got-hup' HUP; while true; do sleep 1; done"
            task_config = {"image": image, "command": "/bin/sh", "args": ["-c", script],
                           "net": ["none"], "debug": False, "no_overlay": False, "port_map": None, "volumes": None,
                           "dns_servers": None, "dns_search_domains": None, "insecure_options": None,
                           "trust_prefix": None, "group": None}
            task = driver_pb2.TaskConfig(id=task_id, name="web", msgpack_driver_config=mp(task_config),
                env={"NOMAD_TASK_NAME": "web", "GREETING": "hello"}, alloc_dir=alloc_dir,
                task_group_name="g", job_name="plugin-e2e", alloc_id="c0ffee00-0000-4000-8000-000000000001",
                stdout_path=fifo_out, stderr_path=fifo_err,
                resources=driver_pb2.Resources(allocated_resources=driver_pb2.AllocatedTaskResources(
                    cpu=driver_pb2.AllocatedCpu(cpu_shares=100), memory=driver_pb2.AllocatedMemory(memory_mb=64))))
            events = []
            event_stream = driver.TaskEvents(driver_pb2.Empty())
            def collect_events():
                try:
                    for event in event_stream:
                        events.append(event)
                except grpc.RpcError:
                    pass  # cancelled at the end
            threading.Thread(target=collect_events, daemon=True).start()
            time.sleep(0.3)  # the stream is open before the task starts
            def wait_event(*words):
                for _ in range(100):
                    found = [e for e in events if any(word in e.message for word in words)]
                    if found:
                        return found[0]
                    time.sleep(0.1)
                return None
            started = driver.StartTask(driver_pb2.StartTaskRequest(task=task), timeout=120)
            import atexit
            atexit.register(lambda: driver.DestroyTask(driver_pb2.DestroyTaskRequest(task_id=task_id, force=True), timeout=60))
            handle = started.handle
            check(handle.version == 1 and handle.config.id == task_id and b'"podUUID"' in handle.driver_state,
                  "StartTask handle (state %d, %d bytes of driver state)" % (handle.state, len(handle.driver_state)))

            # Right after StartTask: `rkt enter` waits for the pod's app container.
            run = driver.ExecTask(driver_pb2.ExecTaskRequest(task_id=task_id, command=["/bin/sh", "-c", "echo $GREETING; exit 3"],
                timeout=driver_pb2.Duration(seconds=30)), timeout=60)
            check(run.result.exit_code == 3 and b"hello" in run.stdout, "ExecTask right after StartTask: %r exit %d" % (run.stdout, run.result.exit_code))

            event = wait_event("started")
            check(event is not None and event.task_id == task_id and event.task_name == "web"
                  and event.alloc_id == "c0ffee00-0000-4000-8000-000000000001" and event.timestamp.seconds > 0
                  and event.annotations["pod.uuid"] != "", "TaskEvents: %s" % str(event).replace("\n", " "))
            check(wait_captured("out", b"task-started\n") and wait_captured("err", b"task-err\n"),
                  "the task's output reaches the log FIFOs: %r %r" % (captured["out"], captured["err"]))
            check(not [name for name in os.listdir(logs) if not name.endswith(".fifo")],
                  "no rotated log files next to the FIFOs: %s" % os.listdir(logs))

            inspect = driver.InspectTask(driver_pb2.TaskIDRequest(task_id=task_id), timeout=10)
            check(inspect.task.state == 1 and inspect.task.started_at.seconds > 0 and inspect.task.completed_at.seconds < 0,
                  "InspectTask running, pod %s" % inspect.driver.attributes["pod.uuid"])

            samples = driver.TaskStats(driver_pb2.TaskStatsRequest(task_id=task_id,
                collection_interval=driver_pb2.Duration(seconds=1)), timeout=20)
            for index in range(2):
                stats = next(samples)
                memory = stats.stats.agg_resource_usage.memory
                check(stats.stats.timestamp.seconds > 0 and memory.rss > 0 and 0 in memory.measured,
                      "TaskStats sample %d has the pod's RSS: %d bytes" % (index, memory.rss))
            samples.cancel()

            exec_streaming_checks(driver, task_id)

            driver.RecoverTask(driver_pb2.RecoverTaskRequest(handle=handle), timeout=10)
            check(True, "RecoverTask of a known task is OK")

            time.sleep(1)
            driver.SignalTask(driver_pb2.SignalTaskRequest(task_id=task_id, signal="SIGHUP"), timeout=10)
            check(wait_captured("out", b"got-hup\n"), "SignalTask SIGHUP reached the app (%r)" % captured["out"])

            waiter = driver.WaitTask.future(driver_pb2.TaskIDRequest(task_id=task_id))
            driver.StopTask(driver_pb2.StopTaskRequest(task_id=task_id, timeout=driver_pb2.Duration(seconds=2), signal="SIGTERM"), timeout=60)
            check(True, "StopTask")
            result = waiter.result(timeout=30)
            check(result.result.exit_code != 0 or result.result.signal != 0, "WaitTask after stop: %s" % str(result.result).replace("\n", " "))
            event = wait_event("exited", "killed by signal")
            check(event is not None and event.task_id == task_id, "TaskEvents exit: %r" % (event and event.message))
            event_stream.cancel()
            again = driver.WaitTask(driver_pb2.TaskIDRequest(task_id=task_id), timeout=10)
            check(again.result == result.result, "WaitTask after exit returns at once")
            driver.StopTask(driver_pb2.StopTaskRequest(task_id=task_id), timeout=10)
            check(True, "StopTask of an exited task is OK")
            for reader in readers:
                reader.join(timeout=10)
            check(not any(reader.is_alive() for reader in readers), "the FIFO readers see end of file after the exit")
            driver.DestroyTask(driver_pb2.DestroyTaskRequest(task_id=task_id, force=True), timeout=60)
            try:
                driver.InspectTask(driver_pb2.TaskIDRequest(task_id=task_id), timeout=10)
                check(False, "destroyed task is gone")
            except grpc.RpcError as error:
                check(error.code() == grpc.StatusCode.UNKNOWN, "DestroyTask forgot the task")
        try:
            channel.unary_unary("/plugin.GRPCController/Shutdown")(b"", timeout=5)
        except grpc.RpcError:
            pass  # the host ignores the outcome: the plugin may exit before answering
        print("OK", flush=True)
        """#
}
