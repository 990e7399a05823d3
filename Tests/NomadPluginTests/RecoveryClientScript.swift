/// The grpcio client of the restart-recovery test: `recovery.py SOCKET DATA_DIR PHASE IMAGE ALLOC_DIR HANDLE_FILE`.
/// Phase `start` starts a task and saves its handle (what Nomad persists); phase `recover` hands the saved
/// handle to a new plugin process and takes the task through inspect, stop, wait and destroy.
enum RecoveryClientScript {
    static let source = #"""
        import sys, time
        import grpc
        import base_pb2, driver_pb2, driver_pb2_grpc

        from plugincommon import check, mp

        socket, data_dir, phase, image, alloc_dir, handle_file = sys.argv[1:7]
        channel = grpc.insecure_channel("unix://" + socket, options=[("grpc.enable_http_proxy", 0)])
        driver = driver_pb2_grpc.DriverStub(channel)
        config = {"data_dir": data_dir, "rkt": None, "rkt_dir": None, "volumes_enabled": False}
        base = __import__("base_pb2_grpc").BasePluginStub(channel)
        base.SetConfig(base_pb2.SetConfigRequest(msgpack_config=mp(config), plugin_api_version="v0.1.0"), timeout=10)
        task_id = "c0ffee00-0000-4000-8000-000000000002/db/5e6f7a8b"

        if phase == "start":
            task_config = {"image": image, "command": "/bin/sh", "args": ["-c", "while true; do sleep 1; done"],
                           "net": ["none"], "debug": False, "no_overlay": False, "port_map": None, "volumes": None,
                           "dns_servers": None, "dns_search_domains": None, "insecure_options": None,
                           "trust_prefix": None, "group": None}
            task = driver_pb2.TaskConfig(id=task_id, name="db", msgpack_driver_config=mp(task_config),
                env={"NOMAD_TASK_NAME": "db"}, alloc_dir=alloc_dir, task_group_name="g", job_name="recovery-e2e",
                alloc_id="c0ffee00-0000-4000-8000-000000000002")
            handle = driver.StartTask(driver_pb2.StartTaskRequest(task=task), timeout=120).handle
            check(handle.state == 1 and b'"podUUID"' in handle.driver_state, "StartTask in the first plugin")
            with open(handle_file, "wb") as saved:
                saved.write(handle.SerializeToString())
        else:
            handle = driver_pb2.TaskHandle()
            with open(handle_file, "rb") as saved:
                handle.ParseFromString(saved.read())
            # What Nomad persists: the config without its msgpack driver config (an unexported Go field).
            handle.config.ClearField("msgpack_driver_config")
            try:
                driver.InspectTask(driver_pb2.TaskIDRequest(task_id=task_id), timeout=10)
                check(False, "a new plugin process knows no tasks before RecoverTask")
            except grpc.RpcError as error:
                check(error.code() == grpc.StatusCode.UNKNOWN, "unknown before RecoverTask")
            driver.RecoverTask(driver_pb2.RecoverTaskRequest(handle=handle), timeout=30)
            check(True, "RecoverTask in the second plugin")
            inspect = driver.InspectTask(driver_pb2.TaskIDRequest(task_id=task_id), timeout=10)
            check(inspect.task.state == 1 and inspect.task.started_at.seconds > 0, "InspectTask after recovery: running")
            stats = next(driver.TaskStats(driver_pb2.TaskStatsRequest(task_id=task_id,
                collection_interval=driver_pb2.Duration(seconds=1)), timeout=20))
            check(stats.stats.timestamp.seconds > 0, "TaskStats after recovery")
            run = driver.ExecTask(driver_pb2.ExecTaskRequest(task_id=task_id, command=["/bin/sh", "-c", "echo inside"],
                timeout=driver_pb2.Duration(seconds=30)), timeout=60)
            check(run.result.exit_code == 0 and run.stdout == b"inside\n", "ExecTask after recovery: %r" % run.stdout)
            waiter = driver.WaitTask.future(driver_pb2.TaskIDRequest(task_id=task_id))
            time.sleep(0.5)
            check(not waiter.done(), "WaitTask blocks while the recovered task runs")
            driver.StopTask(driver_pb2.StopTaskRequest(task_id=task_id, timeout=driver_pb2.Duration(seconds=3),
                signal="SIGTERM"), timeout=60)
            result = waiter.result(timeout=30).result
            check(result.exit_code != 0 or result.signal != 0, "WaitTask returns after StopTask: %s" % str(result).replace("\n", " "))
            driver.DestroyTask(driver_pb2.DestroyTaskRequest(task_id=task_id, force=True), timeout=60)
            try:
                driver.InspectTask(driver_pb2.TaskIDRequest(task_id=task_id), timeout=10)
                check(False, "destroyed task is gone")
            except grpc.RpcError as error:
                check(error.code() == grpc.StatusCode.UNKNOWN, "DestroyTask forgot the recovered task")
            try:
                driver.RecoverTask(driver_pb2.RecoverTaskRequest(handle=handle), timeout=30)
                check(False, "RecoverTask of a destroyed task must fail")
            except grpc.RpcError as error:
                check(error.code() == grpc.StatusCode.UNKNOWN, "RecoverTask of a destroyed task: %s" % error.details())
        print("OK", flush=True)
        """#
}
