/// The field names accepted in each object of the job JSON. "decoded" fields are read; "accepted"
/// fields are valid Nomad API fields that `nomad job run -output` prints but this driver does not
/// use. Anything else is reported as an invalid field.
enum JobFields {
    static let job: Set<String> = [
        "ID", "Name", "Type", "Region", "Namespace", "Datacenters", "Meta", "TaskGroups",
    ]
    static let jobAccepted: Set<String> = [
        "Stop", "ParentID", "Priority", "AllAtOnce", "Constraints", "Affinities", "Spreads", "Update",
        "Multiregion", "Periodic", "ParameterizedJob", "Dispatched", "Payload", "Reschedule", "Migrate",
        "ConsulToken", "ConsulNamespace", "VaultToken", "VaultNamespace", "NomadTokenID", "Status",
        "StatusDescription", "Stable", "Version", "SubmitTime", "CreateIndex", "ModifyIndex",
        "JobModifyIndex",
    ]

    static let group: Set<String> = ["Name", "Count", "Meta", "Tasks"]
    static let groupAccepted: Set<String> = [
        "Constraints", "Affinities", "Spreads", "Volumes", "RestartPolicy", "ReschedulePolicy",
        "EphemeralDisk", "Update", "Migrate", "Networks", "Services", "ShutdownDelay",
        "StopAfterClientDisconnect", "MaxClientDisconnect", "Scaling", "Consul",
    ]

    static let task: Set<String> = [
        "Name", "Driver", "User", "Config", "Env", "Meta", "KillTimeout", "KillSignal", "LogConfig",
        "Resources", "Services",
    ]
    static let taskAccepted: Set<String> = [
        "Lifecycle", "Constraints", "Affinities", "RestartPolicy", "Artifacts", "Vault", "Templates",
        "DispatchPayload", "VolumeMounts", "CSIPluginConfig", "Leader", "ShutdownDelay", "Kind",
        "ScalingPolicies",
    ]

    static let logConfig: Set<String> = ["MaxFiles", "MaxFileSizeMB"]
    static let resources: Set<String> = ["CPU", "MemoryMB", "Networks"]
    static let resourcesAccepted: Set<String> = ["Cores", "MemoryMaxMB", "DiskMB", "IOPS", "Devices"]
    static let network: Set<String> = ["IP", "MBits", "ReservedPorts", "DynamicPorts"]
    static let networkAccepted: Set<String> = ["Mode", "Device", "CIDR", "DNS", "Hostname"]
    static let port: Set<String> = ["Label", "Value"]
    static let portAccepted: Set<String> = ["To", "HostNetwork"]

    static let service: Set<String> = ["Name", "PortLabel", "Tags", "AddressMode", "Checks"]
    static let serviceAccepted: Set<String> = [
        "Id", "CanaryTags", "EnableTagOverride", "CheckRestart", "Connect", "Meta", "CanaryMeta",
        "TaggedAddresses", "TaskName", "OnUpdate", "Provider",
    ]
    static let check: Set<String> = [
        "Name", "Type", "PortLabel", "Path", "Interval", "Timeout", "AddressMode", "Command", "Args",
    ]
    static let checkAccepted: Set<String> = [
        "Id", "Protocol", "Expose", "InitialStatus", "TLSSkipVerify", "Header", "Method", "CheckRestart",
        "GRPCService", "GRPCUseTLS", "TaskName", "SuccessBeforePassing", "FailuresBeforeCritical", "Body",
        "OnUpdate",
    ]
}
