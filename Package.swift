// swift-tools-version: 6.0
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "rkt-driver",
    products: [
        .executable(name: "rkt-driver", targets: ["RktDriverMain"]),
        .executable(name: "rkt", targets: ["RktMain"]),
        .executable(name: "rkt-init", targets: ["rkt-init"]),
        .executable(name: "rkt-executor", targets: ["RktExecutorMain"]),
    ],
    targets: [
        .target(name: "CShim", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "RktError", swiftSettings: strictSwift),
        .target(name: "RktSys", dependencies: ["CShim", "RktError", "JSONCore"], swiftSettings: strictSwift),
        .target(name: "JSONCore", swiftSettings: strictSwift),
        .target(name: "Images", dependencies: ["RktSys", "CShim", "JSONCore"], swiftSettings: strictSwift),
        .target(name: "Network", dependencies: ["RktSys", "CShim"], swiftSettings: strictSwift),
        .target(name: "Cgroups", dependencies: ["RktSys"], swiftSettings: strictSwift),
        .target(
            name: "PodRuntime", dependencies: ["Images", "Network", "Cgroups", "JSONCore", "RktSys"],
            swiftSettings: strictSwift),
        .target(name: "TaskModel", dependencies: ["RktSys", "JSONCore"], swiftSettings: strictSwift),
        .target(
            name: "Driver", dependencies: ["TaskModel", "Images", "Executor", "Cgroups", "RktSys"],
            swiftSettings: strictSwift),
        .target(name: "Executor", dependencies: ["CShim", "JSONCore"], swiftSettings: strictSwift),
        .target(name: "Services", dependencies: ["Driver", "TaskModel", "RktSys"], swiftSettings: strictSwift),
        .target(
            name: "RktCLI", dependencies: ["PodRuntime", "Images", "Network", "RktSys"], swiftSettings: strictSwift),
        .target(
            name: "DriverCLI",
            dependencies: ["Driver", "Services", "NomadPlugin", "Images", "TaskModel", "Cgroups", "RktSys"],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "RktMain", dependencies: ["RktCLI", "PodRuntime", "RktSys"], swiftSettings: strictSwift),
        .executableTarget(name: "RktDriverMain", dependencies: ["DriverCLI", "RktSys"], swiftSettings: strictSwift),
        .executableTarget(name: "RktExecutorMain", dependencies: ["Executor"], swiftSettings: strictSwift),
        .executableTarget(name: "rkt-init", linkerSettings: [.unsafeFlags(["-static-executable"])]),
        .target(
            name: "NomadPlugin",
            dependencies: [
                "GRPC", "HTTP2", "Protobuf", "MsgPack", "Driver", "TaskModel", "Executor", "Cgroups", "RktSys",
            ],
            swiftSettings: strictSwift),
        .target(name: "HPACK", swiftSettings: strictSwift),
        .target(name: "HTTP2", dependencies: ["HPACK"], swiftSettings: strictSwift),
        .target(name: "Protobuf", swiftSettings: strictSwift),
        .target(name: "MsgPack", swiftSettings: strictSwift),
        .target(name: "GRPC", dependencies: ["HTTP2", "Protobuf"], swiftSettings: strictSwift),
        .testTarget(
            name: "NomadPluginTests",
            dependencies: [
                "NomadPlugin", "GRPC", "Protobuf", "MsgPack", "Driver", "TaskModel", "RktSys", "WireTestSupport",
            ],
            swiftSettings: strictSwift),
        .target(name: "WireTestSupport", path: "Tests/WireTestSupport", swiftSettings: strictSwift),
        .testTarget(name: "HPACKTests", dependencies: ["HPACK", "WireTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "HTTP2Tests", dependencies: ["HTTP2", "HPACK"], swiftSettings: strictSwift),
        .testTarget(name: "ProtobufTests", dependencies: ["Protobuf", "WireTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "MsgPackTests", dependencies: ["MsgPack", "WireTestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "GRPCTests", dependencies: ["GRPC", "HTTP2", "Protobuf", "WireTestSupport"],
            swiftSettings: strictSwift),
        .testTarget(name: "SysTests", dependencies: ["RktSys"], swiftSettings: strictSwift),
        .testTarget(name: "ImagesTests", dependencies: ["Images", "RktSys", "JSONCore"], swiftSettings: strictSwift),
        .testTarget(name: "NetworkTests", dependencies: ["Network", "RktSys"], swiftSettings: strictSwift),
        .testTarget(
            name: "PodRuntimeTests", dependencies: ["PodRuntime", "RktCLI", "Images", "Network", "JSONCore", "RktSys"],
            swiftSettings: strictSwift),
        .testTarget(name: "TaskModelTests", dependencies: ["TaskModel", "JSONCore"], swiftSettings: strictSwift),
        .testTarget(name: "ExecutorTests", dependencies: ["Executor", "JSONCore"], swiftSettings: strictSwift),
        .testTarget(
            name: "ServicesTests", dependencies: ["Services", "Driver", "TaskModel"], swiftSettings: strictSwift),
        .testTarget(name: "DriverTests", dependencies: ["Driver", "TaskModel", "Cgroups"], swiftSettings: strictSwift),
        .testTarget(name: "CgroupsTests", dependencies: ["Cgroups", "RktSys"], swiftSettings: strictSwift),
        .testTarget(
            name: "IntegrationTests", dependencies: ["Driver", "TaskModel", "Images", "RktSys"],
            swiftSettings: strictSwift),
    ]
)
