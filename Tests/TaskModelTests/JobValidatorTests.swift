import Testing

@testable import TaskModel

@Suite struct JobValidatorTests {
    static func job(_ edit: (inout Job) -> Void = { _ in }) -> Job {
        let network = NetworkResource(
            reservedPorts: [Port(label: "admin", value: 8080)], dynamicPorts: [Port(label: "db")])
        let task = Task(
            name: "redis", resources: Resources(cpu: 500, memoryMB: 256, networks: [network]),
            services: [Service(name: "cache", portLabel: "db", checks: [ServiceCheck(name: "alive", type: "tcp")])])
        var job = Job(id: "example", taskGroups: [TaskGroup(name: "cache", tasks: [task])])
        edit(&job)
        return job
    }

    @Test func validJobHasNoIssues() {
        #expect(JobValidator.issues(in: Self.job()).isEmpty)
    }

    @Test(arguments: [
        (
            job {
                $0.id = ""
                $0.name = ""
                $0.datacenters = []
                $0.type = "daemon"
            },
            [
                #"field "ID" is required"#, #"field "Name" is required"#,
                #"job type must be "service", "batch", or "system"; not "daemon""#,
                #"field "Datacenters" must list at least one datacenter"#,
            ]
        ),
        (job { $0.taskGroups = [] }, ["job must have at least one task group"]),
        (job { $0.id = "a b" }, [#"job ID "a b" must not contain spaces"#]),
        (
            job {
                $0.taskGroups[0].count = 0
                $0.taskGroups.append($0.taskGroups[0])
            },
            [
                #"group "cache" is defined more than once"#,
                #"group "cache": field "Count" must be at least 1; got 0"#,
                #"group "cache": field "Count" must be at least 1; got 0"#,
            ]
        ),
        (
            job {
                $0.taskGroups[0].tasks[0].name = ""
                $0.taskGroups[0].tasks[0].driver = ""
            },
            [
                #"group "cache" -> task[0]: field "Name" is required"#,
                #"group "cache" -> task[0]: field "Driver" is required"#,
            ]
        ),
        (
            job { $0.taskGroups[0].tasks[0].services[0].addressMode = "bridge" },
            [
                #"group "cache" -> task "redis" -> service "cache": service address_mode must be "auto", "host", or "driver"; not "bridge""#
            ]
        ),
        (
            job { $0.taskGroups[0].tasks[0].resources.networks[0].dynamicPorts.append(Port(label: "admin")) },
            [#"group "cache" -> task "redis" -> resources: port label "admin" is defined more than once"#]
        ),
        (
            job { $0.taskGroups[0].tasks[0].services[0].portLabel = "web" },
            [
                #"group "cache" -> task "redis" -> service "cache": port label "web" is not defined in the task's network resources"#
            ]
        ),
        (
            job {
                $0.taskGroups[0].tasks[0].services[0].checks[0].addressMode = "auto"
                $0.taskGroups[0].tasks[0].services[0].checks.append(
                    ServiceCheck(name: "num", type: "http", portLabel: "8080", path: "/", addressMode: "bogus"))
            },
            [
                #"group "cache" -> task "redis" -> service "cache" -> check "alive": invalid address_mode "auto" - auto only valid for services"#,
                #"group "cache" -> task "redis" -> service "cache" -> check "num": invalid address_mode "bogus""#,
                #"group "cache" -> task "redis" -> service "cache" -> check "num": check "num" cannot use a numeric port 8080 without setting address_mode="driver""#,
            ]
        ),
        (
            job {
                $0.taskGroups[0].tasks[0].services[0].portLabel = ""
                $0.taskGroups[0].tasks[0].services[0].checks[0].type = "http"
            },
            [
                #"group "cache" -> task "redis" -> service "cache" -> check "alive": http checks need a path"#,
                #"group "cache" -> task "redis" -> service "cache" -> check "alive": check "alive" is missing a port"#,
            ]
        ),
    ])
    func reportsEveryIssue(job: Job, expected: [String]) {
        #expect(JobValidator.issues(in: job).map(\.description) == expected)
    }
}

@Suite struct TaskNameAndSignalTests {
    @Test(arguments: [
        ("../../x", #"task name "../../x" must not contain "/" or be "." or ".." (it names directories)"#),
        ("a/b", #"task name "a/b" must not contain "/" or be "." or ".." (it names directories)"#),
        ("..", #"task name ".." must not contain "/" or be "." or ".." (it names directories)"#),
    ])
    func pathLikeTaskNamesAreRefused(name: String, message: String) {
        let job = JobValidatorTests.job { $0.taskGroups[0].tasks[0].name = name }
        #expect(JobValidator.issues(in: job).map(\.message) == [message])
    }

    @Test(arguments: ["SIGTERM", "sighup", "INT", "15", ""])
    func knownKillSignalsAreAccepted(signal: String) {
        let job = JobValidatorTests.job { $0.taskGroups[0].tasks[0].killSignal = signal }
        #expect(JobValidator.issues(in: job).isEmpty)
    }

    @Test func anUnknownKillSignalIsRefused() {
        let job = JobValidatorTests.job { $0.taskGroups[0].tasks[0].killSignal = "SIGBOGUS" }
        #expect(
            JobValidator.issues(in: job).map(\.message) == [
                #"field "KillSignal": unknown signal "SIGBOGUS"; use a name such as SIGINT or SIGTERM"#
            ])
    }
}
