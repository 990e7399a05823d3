/// The two networks rkt's stage1 shipped in `/etc/rkt/net.d` (reference §3.2), embedded because a
/// runc-based runtime has no stage1 image to read them from.
///
/// Deviation from rkt: both are declared `cniVersion` `0.4.0` instead of `0.1.0`. The `portmap`
/// plugin that implements `--port` only works with confs of version 0.3.0 or later and needs the
/// main plugin's result as `prevResult`; with 0.4.0 the `default` result can be handed to it as it
/// is. Nothing else changes: the plugins, subnets, routes and masquerading are rkt's.
enum BuiltinNetworks {
    static let defaultConf = """
        {"cniVersion":"0.4.0","name":"default","type":"ptp","ipMasq":true,\
        "ipam":{"type":"host-local","subnet":"172.16.28.0/24","routes":[{"dst":"0.0.0.0/0"}]}}
        """

    static let restrictedConf = """
        {"cniVersion":"0.4.0","name":"default-restricted","type":"ptp","ipMasq":false,\
        "ipam":{"type":"host-local","subnet":"172.31.0.0/16"}}
        """

    /// Both builtin confs, parsed; the embedded text is known to be valid.
    static func all() throws -> [NetConf] {
        [
            try NetConf(bytes: Array(defaultConf.utf8), fileName: "99-default.conf", origin: "builtin"),
            try NetConf(bytes: Array(restrictedConf.utf8), fileName: "99-default-restricted.conf", origin: "builtin"),
        ]
    }
}
