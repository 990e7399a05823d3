import Testing

@testable import TaskModel

@Suite struct TaskEnvironmentTests {
    static let node = NodeContext(
        datacenter: "dc1", properties: ["unique.id": "node-1", "unique.name": "worker"],
        attributes: ["kernel.name": "linux"], meta: ["rack": "r1"])

    static func input(env: [String: String] = [:], containerPorts: [String: Int] = [:]) -> TaskEnvironmentInput {
        let network = NetworkResource(
            reservedPorts: [Port(label: "admin", value: 8080)], dynamicPorts: [Port(label: "db-main", value: 23456)])
        let task = Task(
            name: "redis", env: env, meta: ["tier": "gold", "9lives": "x"],
            resources: Resources(cpu: 500, memoryMB: 256, networks: [network]))
        let group = TaskGroup(name: "cache", meta: ["zone": "a"], tasks: [task])
        let job = Job(id: "example", name: "Example", region: "eu", meta: ["owner": "ops"], taskGroups: [group])
        return TaskEnvironmentInput(
            job: job, group: group, task: task, allocID: "a1b2", allocIndex: 3, node: node, hostIP: "10.0.0.5",
            containerPorts: containerPorts)
    }

    @Test func buildsTheNomadSet() throws {
        let environment = try TaskEnvironment.build(Self.input())
        let expected: [String: String] = [
            "NOMAD_ALLOC_DIR": "/alloc", "NOMAD_TASK_DIR": "/local", "NOMAD_SECRETS_DIR": "/secrets",
            "NOMAD_MEMORY_LIMIT": "256", "NOMAD_CPU_LIMIT": "500", "NOMAD_ALLOC_ID": "a1b2",
            "NOMAD_ALLOC_NAME": "example.cache[3]", "NOMAD_ALLOC_INDEX": "3", "NOMAD_TASK_NAME": "redis",
            "NOMAD_GROUP_NAME": "cache", "NOMAD_JOB_NAME": "Example", "NOMAD_DC": "dc1", "NOMAD_REGION": "eu",
            "NOMAD_NAMESPACE": "default",
            "NOMAD_META_owner": "ops", "NOMAD_META_OWNER": "ops", "NOMAD_META_zone": "a", "NOMAD_META_ZONE": "a",
            "NOMAD_META_tier": "gold", "NOMAD_META_TIER": "gold", "NOMAD_META__lives": "x", "NOMAD_META__LIVES": "x",
            "NOMAD_IP_admin": "10.0.0.5", "NOMAD_PORT_admin": "8080", "NOMAD_HOST_PORT_admin": "8080",
            "NOMAD_ADDR_admin": "10.0.0.5:8080",
            "NOMAD_IP_db_main": "10.0.0.5", "NOMAD_PORT_db_main": "23456", "NOMAD_HOST_PORT_db_main": "23456",
            "NOMAD_ADDR_db_main": "10.0.0.5:23456",
        ]
        #expect(environment.variables == expected)
    }

    @Test func containerPortMapChangesOnlyNomadPort() throws {
        let environment = try TaskEnvironment.build(Self.input(containerPorts: ["db-main": 6379]))
        #expect(environment.variables["NOMAD_PORT_db_main"] == "6379")
        #expect(environment.variables["NOMAD_HOST_PORT_db_main"] == "23456")
        #expect(environment.variables["NOMAD_ADDR_db_main"] == "10.0.0.5:23456")
        #expect(environment.variables["NOMAD_PORT_admin"] == "8080")
    }

    @Test func userEnvIsSanitisedInterpolatedAndOverrides() throws {
        let env = [
            "REDIS": "${NOMAD_ADDR_db_main}", "my-key": "${attr.kernel.name}", "NOMAD_DC": "override",
            "1ST": "${node.unique.id}/${meta.rack}/${node.datacenter}/${unknown}",
        ]
        let environment = try TaskEnvironment.build(Self.input(env: env))
        #expect(environment.variables["REDIS"] == "10.0.0.5:23456")
        #expect(environment.variables["my_key"] == "linux")
        #expect(environment.variables["NOMAD_DC"] == "override")
        #expect(environment.variables["_ST"] == "node-1/r1/dc1/${unknown}")
    }

    @Test func newlineValuesAreRejectedNamingTheKey() {
        let expected = SpecError([
            SpecIssue(
                path: [#"group "cache""#, #"task "redis""#, "env"],
                #"value of "MOTD" contains a newline, which rkt cannot pass"#)
        ])
        #expect(throws: expected) { try TaskEnvironment.build(Self.input(env: ["MOTD": "a\nb"])) }
    }

    @Test(arguments: [
        ("${NOMAD_TASK_NAME}-x", "redis-x"),
        ("${a}${b}", "12"),
        ("no vars", "no vars"),
        ("${missing} and ${a}", "${missing} and 1"),
        ("unclosed ${a", "unclosed ${a"),
        ("${attr.kernel.name}", "linux"),
        ("${node.unique.name}", "worker"),
        ("${meta.rack}", "r1"),
        ("${meta.none}", "${meta.none}"),
        ("$a ${}", "$a ${}"),
    ])
    func interpolates(text: String, expected: String) {
        let environment = TaskEnvironment(variables: ["NOMAD_TASK_NAME": "redis", "a": "1", "b": "2"], node: Self.node)
        #expect(environment.interpolate(text) == expected)
    }

    @Test(arguments: [
        ("NOMAD_META_a-b", "NOMAD_META_a_b"), ("9lives", "_lives"), ("a.b_c", "a.b_c"), ("sp ace", "sp_ace"),
        ("é", "_"), ("", ""),
    ])
    func sanitisesKeys(key: String, expected: String) {
        #expect(TaskEnvironment.sanitizeKey(key) == expected)
    }

    @Test func joinsIPv6WithBrackets() {
        #expect(TaskEnvironment.joinHostPort("::1", 80) == "[::1]:80")
        #expect(TaskEnvironment.joinHostPort("10.0.0.1", 80) == "10.0.0.1:80")
    }
}
