import Driver
import TaskModel

/// A base task and the argv pieces every prepare/run-prepared line shares.
enum RktCommandFixtures {
    static let allocID = "a1b2c3"
    static let image = "docker://redis:3.2-alpine"
    static let paths = TaskPaths(
        allocDir: "/nomad/alloc/a1b2c3/alloc", localDir: "/nomad/alloc/a1b2c3/redis_cache/local",
        secretsDir: "/nomad/alloc/a1b2c3/redis_cache/secrets")
    static let environment = TaskEnvironment(
        variables: ["NOMAD_PORT_db": "6379", "B": "2", "A": "1"], node: NodeContext(datacenter: "dc1"))

    static func input(_ edit: (inout RktCommandInput) -> Void = { _ in }) -> RktCommandInput {
        let task = Task(name: "redis_cache", resources: Resources(cpu: 500, memoryMB: 256))
        var input = RktCommandInput(
            allocID: allocID, task: task, config: RktTaskConfig(image: image), environment: environment, paths: paths)
        edit(&input)
        return input
    }

    static func withPorts(_ input: inout RktCommandInput) {
        input.task.resources.networks = [
            NetworkResource(
                reservedPorts: [Port(label: "admin", value: 8080)], dynamicPorts: [Port(label: "db", value: 23456)])
        ]
    }

    static let mounts = [
        "--volume=a1b2c3-redis-cache-alloc,kind=host,source=/nomad/alloc/a1b2c3/alloc",
        "--mount=volume=a1b2c3-redis-cache-alloc,target=/alloc",
        "--volume=a1b2c3-redis-cache-local,kind=host,source=/nomad/alloc/a1b2c3/redis_cache/local",
        "--mount=volume=a1b2c3-redis-cache-local,target=/local",
        "--volume=a1b2c3-redis-cache-secrets,kind=host,source=/nomad/alloc/a1b2c3/redis_cache/secrets",
        "--mount=volume=a1b2c3-redis-cache-secrets,target=/secrets",
    ]
    static let setEnv = ["--set-env=A=1", "--set-env=B=2", "--set-env=NOMAD_PORT_db=6379"]
    static let isolators = ["--memory=256M", "--cpu=500m"]
    static let insecureGlobal = ["--insecure-options=all", "--debug=false"]

    /// The prepare argv with the default globals and mounts, and `extra` pieces spliced in.
    static func prepare(
        global: [String] = insecureGlobal, afterPrepare: [String] = [], volumes: [String] = [],
        afterImage: [String] = [], tail: [String] = []
    ) -> [String] {
        global + ["prepare"] + afterPrepare + mounts + volumes + setEnv + [image] + afterImage + isolators + tail
    }

    static func run(global: [String] = insecureGlobal, _ flags: [String] = []) -> [String] {
        global + ["run-prepared"] + flags
    }
}
