import GRPC
import Protobuf

extension RktDriverPlugin {
    static let basePath = "/hashicorp.nomad.plugins.base.proto.BasePlugin/"
    static let driverPath = "/hashicorp.nomad.plugins.drivers.proto.Driver/"

    /// Every served method. Paths not listed (e.g. `/plugin.GRPCStdio/StreamStdio`, CreateNetwork) get
    /// UNIMPLEMENTED, which Nomad tolerates.
    public func router() -> GRPCRouter {
        var router = GRPCRouter()
        router.unary("/grpc.health.v1.Health/Check") { (_: EmptyMessage, _) in HealthCheckResponse() }
        router.unary("/plugin.GRPCController/Shutdown") { [self] (_: EmptyMessage, _) in
            shutdown()
            return EmptyMessage()
        }
        // The broker stream is opened on every connection and never used by drivers: leave it open.
        router.serverStreaming("/plugin.GRPCBroker/StartStream") { (_: EmptyMessage, context, _) in
            while !context.isCancelled { Self.sleep(.seconds(1), unless: context) }
        }
        registerBase(&router)
        registerInformation(&router)
        registerLifecycle(&router)
        return router
    }

    private func registerBase(_ router: inout GRPCRouter) {
        router.unary(Self.basePath + "PluginInfo") { [self] (_: EmptyMessage, _) in pluginInfo() }
        router.unary(Self.basePath + "ConfigSchema") { (_: EmptyMessage, _) in
            SchemaResponse(spec: RktSchemas.pluginConfig)
        }
        router.unary(Self.basePath + "SetConfig") { [self] (request: SetConfigRequest, _) throws(GRPCStatus) in
            try setConfig(request)
            return EmptyMessage()
        }
    }

    private func registerInformation(_ router: inout GRPCRouter) {
        router.unary(Self.driverPath + "TaskConfigSchema") { (_: EmptyMessage, _) in
            SchemaResponse(spec: RktSchemas.taskConfig)
        }
        router.unary(Self.driverPath + "Capabilities") { [self] (_: EmptyMessage, _) in capabilities() }
        router.serverStreaming(Self.driverPath + "Fingerprint") {
            [self] (_: EmptyMessage, context, writer) throws(GRPCStatus) in
            try streamFingerprints(context, writer)
        }
        router.serverStreaming(Self.driverPath + "TaskEvents") {
            [self] (_: EmptyMessage, context, writer) throws(GRPCStatus) in
            try streamTaskEvents(context, writer)
        }
    }

    private func registerLifecycle(_ router: inout GRPCRouter) {
        router.register(
            Self.driverPath + "StartTask",
            .unary { [self] (bytes, _) throws(GRPCStatus) in
                try startTask(try Self.field1(bytes)).serialized()
            })
        router.unary(Self.driverPath + "RecoverTask") { [self] (request: RecoverTaskRequest, _) throws(GRPCStatus) in
            try recoverTask(request)
            return EmptyMessage()
        }
        router.unary(Self.driverPath + "WaitTask") { [self] (request: TaskRequest, context) throws(GRPCStatus) in
            try waitTask(request.taskID, context)
        }
        register(&router, "StopTask", .stop) { [self] request throws(GRPCStatus) in
            try stopTask(request)
            return EmptyMessage().serialized()
        }
        register(&router, "DestroyTask", .destroy) { [self] request throws(GRPCStatus) in
            try destroyTask(request)
            return EmptyMessage().serialized()
        }
        router.unary(Self.driverPath + "InspectTask") { [self] (request: TaskRequest, _) throws(GRPCStatus) in
            try inspectTask(request.taskID)
        }
        register(&router, "SignalTask", .signal) { [self] request throws(GRPCStatus) in
            try signalTask(request)
            return EmptyMessage().serialized()
        }
        register(&router, "ExecTask", .exec) { [self] request throws(GRPCStatus) in
            try execTask(request).serialized()
        }
        router.bidirectionalStreaming(Self.driverPath + "ExecTaskStreaming") {
            [self] (requests, context, writer) throws(GRPCStatus) in
            try execStreaming(requests, context, writer)
        }
        router.register(
            Self.driverPath + "TaskStats",
            .serverStreaming { [self] (bytes, context, writer) throws(GRPCStatus) in
                try streamTaskStats(try Self.decode(bytes, .stats), context, writer)
            })
    }

    /// A unary method whose request is a `TaskRequest` of the given shape.
    private func register(
        _ router: inout GRPCRouter, _ method: String, _ shape: TaskRequest.Shape,
        _ handler: @escaping @Sendable (TaskRequest) throws(GRPCStatus) -> [UInt8]
    ) {
        router.register(
            Self.driverPath + method,
            .unary { (bytes, _) throws(GRPCStatus) in try handler(try Self.decode(bytes, shape)) })
    }

    static func decode(_ bytes: [UInt8], _ shape: TaskRequest.Shape) throws(GRPCStatus) -> TaskRequest {
        do {
            return try TaskRequest.decode(bytes, shape: shape)
        } catch {
            throw GRPCStatus(.internal, "cannot decode the request message: \(error)")
        }
    }

    /// The bytes of field 1 (StartTaskRequest's `task`).
    static func field1(_ bytes: [UInt8]) throws(GRPCStatus) -> [UInt8] {
        do {
            var reader = ProtobufReader(bytes)
            var task: [UInt8] = []
            while let field = try reader.nextField() {
                if field == 1 { task = try reader.readBytes() } else { try reader.skip() }
            }
            return task
        } catch {
            throw GRPCStatus(.internal, "cannot decode the request message: \(error)")
        }
    }
}
