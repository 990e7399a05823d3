/// The schemas the rkt plugin publishes: its agent-side `plugin "rkt-driver" { config {} }` block and the
/// task-side `config {}` block of `driver = "rkt"` tasks.
public enum RktSchemas {
    /// The agent config. Unset attributes keep what the plugin's command line (or its defaults) chose.
    ///
    /// * `volumes_enabled` (bool, default true): whether tasks may mount host paths with `volumes`.
    /// * `data_dir`: the driver's own state (task handles, executor sockets).
    /// * `rkt`: the rkt binary; `rkt_dir`: rkt's `--dir` (a private store instead of /var/lib/rkt).
    public static let pluginConfig = HCLSpec.object([
        HCLSpec.withDefault("volumes_enabled", "bool", "true"),
        HCLSpec.optional("data_dir", "string"),
        HCLSpec.optional("rkt", "string"),
        HCLSpec.optional("rkt_dir", "string"),
    ])

    /// Every option of `RktTaskConfig`. Maps arrive from Nomad wrapped in a list, hence `list(map(string))`.
    public static let taskConfig = HCLSpec.object([
        ("image", .attr(name: "image", type: "string", required: true)),
        HCLSpec.optional("command", "string"),
        HCLSpec.optional("args", "list(string)"),
        HCLSpec.optional("trust_prefix", "string"),
        HCLSpec.optional("insecure_options", "list(string)"),
        HCLSpec.optional("dns_servers", "list(string)"),
        HCLSpec.optional("dns_search_domains", "list(string)"),
        HCLSpec.optional("net", "list(string)"),
        HCLSpec.optional("port_map", "list(map(string))"),
        HCLSpec.optional("volumes", "list(string)"),
        HCLSpec.withDefault("no_overlay", "bool", "false"),
        HCLSpec.withDefault("debug", "bool", "false"),
        HCLSpec.optional("group", "string"),
    ])
}
