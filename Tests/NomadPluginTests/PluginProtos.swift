/// Proto3 descriptions of the plugin services, written from the field tables of the reference (only the
/// messages and fields the tests use, with the protocol's package names, field numbers and types).
enum PluginProtos {
    static let files: [String: String] = [
        "hclspec.proto": hclspec, "base.proto": base, "driver.proto": driver, "health.proto": health,
    ]

    static let hclspec = """
        syntax = "proto3";
        package hashicorp.nomad.plugins.shared.hclspec;
        message Spec {
          oneof block {
            Object object = 1; Array array = 2; Attr Attr = 3; Block block_value = 4; BlockAttrs block_attrs = 5;
            BlockList block_list = 6; BlockSet block_set = 7; BlockMap block_map = 8; Default default = 9;
            Literal literal = 10;
          }
        }
        message Attr { string name = 1; string type = 2; bool required = 3; }
        message Block { string name = 1; bool required = 2; Spec nested = 3; }
        message BlockAttrs { string name = 1; string type = 2; bool required = 3; }
        message BlockList { string name = 1; uint64 min_items = 2; uint64 max_items = 3; Spec nested = 4; }
        message BlockSet { string name = 1; uint64 min_items = 2; uint64 max_items = 3; Spec nested = 4; }
        message BlockMap { string name = 1; repeated string labels = 2; Spec nested = 3; }
        message Literal { string value = 1; }
        message Default { Spec primary = 1; Spec default = 2; }
        message Object { map<string, Spec> attributes = 1; }
        message Array { repeated Spec values = 1; }
        """

    static let base = """
        syntax = "proto3";
        package hashicorp.nomad.plugins.base.proto;
        import "hclspec.proto";
        service BasePlugin {
          rpc PluginInfo(PluginInfoRequest) returns (PluginInfoResponse);
          rpc ConfigSchema(ConfigSchemaRequest) returns (ConfigSchemaResponse);
          rpc SetConfig(SetConfigRequest) returns (SetConfigResponse);
        }
        message PluginInfoRequest {}
        message PluginInfoResponse {
          int32 type = 1; repeated string plugin_api_versions = 2; string plugin_version = 3; string name = 4;
        }
        message ConfigSchemaRequest {}
        message ConfigSchemaResponse { hashicorp.nomad.plugins.shared.hclspec.Spec spec = 1; }
        message SetConfigRequest { bytes msgpack_config = 1; NomadConfig nomad_config = 2; string plugin_api_version = 3; }
        message NomadConfig { NomadDriverConfig driver = 1; }
        message NomadDriverConfig { uint32 ClientMaxPort = 1; uint32 ClientMinPort = 2; }
        message SetConfigResponse {}
        """

    static let driver = """
        syntax = "proto3";
        package hashicorp.nomad.plugins.drivers.proto;
        import "hclspec.proto";
        message Duration { int64 seconds = 1; int32 nanos = 2; }
        message Timestamp { int64 seconds = 1; int32 nanos = 2; }
        service Driver {
          rpc TaskConfigSchema(Empty) returns (TaskConfigSchemaResponse);
          rpc Capabilities(Empty) returns (CapabilitiesResponse);
          rpc Fingerprint(Empty) returns (stream FingerprintResponse);
          rpc StartTask(StartTaskRequest) returns (StartTaskResponse);
          rpc WaitTask(TaskIDRequest) returns (WaitTaskResponse);
          rpc StopTask(StopTaskRequest) returns (Empty);
          rpc DestroyTask(DestroyTaskRequest) returns (Empty);
          rpc InspectTask(TaskIDRequest) returns (InspectTaskResponse);
          rpc TaskStats(TaskStatsRequest) returns (stream TaskStatsResponse);
          rpc SignalTask(SignalTaskRequest) returns (Empty);
          rpc ExecTask(ExecTaskRequest) returns (ExecTaskResponse);
          rpc RecoverTask(RecoverTaskRequest) returns (Empty);
          rpc ExecTaskStreaming(stream ExecTaskStreamingRequest) returns (stream ExecTaskStreamingResponse);
          rpc TaskEvents(Empty) returns (stream DriverTaskEvent);
        }
        message Empty {}
        message TaskConfigSchemaResponse { hashicorp.nomad.plugins.shared.hclspec.Spec spec = 1; }
        message DriverCapabilities {
          bool send_signals = 1; bool exec = 2; int32 fs_isolation = 3; repeated int32 network_isolation_modes = 4;
          bool must_create_network = 5; int32 mount_configs = 6;
        }
        message CapabilitiesResponse { DriverCapabilities capabilities = 1; }
        message Attribute {
          oneof value { double float_val = 1; int64 int_val = 2; string string_val = 3; bool bool_val = 4; }
          string unit = 5;
        }
        message FingerprintResponse { map<string, Attribute> attributes = 1; int32 health = 2; string health_description = 3; }
        message NetworkPort { string label = 1; int32 value = 2; }
        message NetworkResource {
          string device = 1; string cidr = 2; string ip = 3; int32 mbits = 4;
          repeated NetworkPort reserved_ports = 5; repeated NetworkPort dynamic_ports = 6;
        }
        message AllocatedCpu { int64 cpu_shares = 1; }
        message AllocatedMemory { int64 memory_mb = 2; }
        message AllocatedTaskResources { AllocatedCpu cpu = 1; AllocatedMemory memory = 2; repeated NetworkResource networks = 5; }
        message PortMapping { string label = 1; int32 value = 2; int32 to = 3; string host_ip = 4; }
        message Resources { AllocatedTaskResources allocated_resources = 1; repeated PortMapping ports = 3; }
        message TaskConfig {
          string id = 1; string name = 2; bytes msgpack_driver_config = 3; map<string, string> env = 4;
          Resources resources = 6; string user = 9; string alloc_dir = 10; string stdout_path = 11;
          string stderr_path = 12; string task_group_name = 13; string job_name = 14; string alloc_id = 15;
        }
        message TaskHandle { int32 version = 1; TaskConfig config = 2; int32 state = 3; bytes driver_state = 4; }
        message NetworkOverride { map<string, int32> port_map = 1; string addr = 2; bool auto_advertise = 3; }
        message ExitResult { int32 exit_code = 1; int32 signal = 2; bool oom_killed = 3; }
        message StartTaskRequest { TaskConfig task = 1; }
        message StartTaskResponse { int32 result = 1; string driver_error_msg = 2; TaskHandle handle = 3; NetworkOverride network_override = 4; }
        message TaskIDRequest { string task_id = 1; }
        message WaitTaskResponse { ExitResult result = 1; string err = 2; }
        message StopTaskRequest { string task_id = 1; Duration timeout = 2; string signal = 3; }
        message DestroyTaskRequest { string task_id = 1; bool force = 2; }
        message TaskStatus {
          string id = 1; string name = 2; int32 state = 3; Timestamp started_at = 4; Timestamp completed_at = 5;
          ExitResult result = 6;
        }
        message TaskDriverStatus { map<string, string> attributes = 1; }
        message InspectTaskResponse { TaskStatus task = 1; TaskDriverStatus driver = 2; NetworkOverride network_override = 3; }
        message TaskStatsRequest { string task_id = 1; Duration collection_interval = 2; }
        message CPUUsage {
          double system_mode = 1; double user_mode = 2; double total_ticks = 3; uint64 throttled_periods = 4;
          uint64 throttled_time = 5; double percent = 6; repeated int32 measured = 7;
        }
        message MemoryUsage {
          uint64 rss = 1; uint64 cache = 2; uint64 max_usage = 3; uint64 kernel_usage = 4;
          uint64 kernel_max_usage = 5; repeated int32 measured = 6; uint64 usage = 7; uint64 swap = 8;
        }
        message TaskResourceUsage { CPUUsage cpu = 1; MemoryUsage memory = 2; }
        message TaskStats { string id = 1; Timestamp timestamp = 2; TaskResourceUsage agg_resource_usage = 3; }
        message TaskStatsResponse { TaskStats stats = 1; }
        message SignalTaskRequest { string task_id = 1; string signal = 2; }
        message ExecTaskRequest { string task_id = 1; repeated string command = 2; Duration timeout = 3; }
        message ExecTaskResponse { bytes stdout = 1; bytes stderr = 2; ExitResult result = 3; }
        message RecoverTaskRequest { string task_id = 1; TaskHandle handle = 2; }
        message DriverTaskEvent {
          string task_id = 1; string alloc_id = 2; string task_name = 3; Timestamp timestamp = 4; string message = 5;
          map<string, string> annotations = 6;
        }
        message ExecTaskStreamingIOOperation { bytes data = 1; bool close = 2; }
        message ExecTaskStreamingRequest {
          message Setup { string task_id = 1; repeated string command = 2; bool tty = 3; }
          message TerminalSize { int32 height = 1; int32 width = 2; }
          Setup setup = 1; TerminalSize tty_size = 2; ExecTaskStreamingIOOperation stdin = 3;
        }
        message ExecTaskStreamingResponse {
          ExecTaskStreamingIOOperation stdout = 1; ExecTaskStreamingIOOperation stderr = 2; bool exited = 3;
          ExitResult result = 4;
        }
        """

    static let health = """
        syntax = "proto3";
        package grpc.health.v1;
        service Health { rpc Check(HealthCheckRequest) returns (HealthCheckResponse); }
        message HealthCheckRequest { string service = 1; }
        message HealthCheckResponse { int32 status = 1; }
        """
}
