import JSONCore
import Testing

@testable import TaskModel

@Suite struct JobDecoderTests {
    @Test func decodesNomadOutput() throws {
        let job = try JobDecoder.load(JobFixtures.redis, source: "\"redis.json\"")
        #expect(job.id == "example")
        #expect(job.region == "global")
        #expect(job.namespace == "default")
        #expect(job.meta == ["owner": "ops"])
        let group = try #require(job.taskGroups.first)
        #expect(group.name == "cache")
        #expect(group.count == 2)
        let task = try #require(group.tasks.first)
        #expect(task.name == "redis_cache")
        #expect(task.user == "nobody")
        #expect(task.killTimeout == .seconds(10))
        #expect(task.logConfig == LogConfig(maxFiles: 3, maxFileSizeMB: 5))
        #expect(task.config.objectValue?["image"] == .string("docker://redis:3.2-alpine"))
        #expect(task.resources.cpu == 500)
        #expect(task.resources.memoryMB == 256)
        #expect(
            task.resources.networks == [
                NetworkResource(
                    mbits: 10, reservedPorts: [Port(label: "admin", value: 8080)],
                    dynamicPorts: [Port(label: "db")])
            ])
        let service = try #require(task.services.first)
        #expect(service.addressMode == "auto")
        #expect(service.checks.first?.interval == .seconds(10))
    }

    @Test func acceptsBareJobAndDefaults() throws {
        let text =
            #"{"ID": "j", "Datacenters": ["dc1"], "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "rkt"}]}]}"#
        let job = try JobDecoder.load(text)
        #expect(job.name == "j")
        #expect(job.type == "service")
        let task = try #require(job.taskGroups.first?.tasks.first)
        #expect(job.taskGroups.first?.count == 1)
        #expect(task.killTimeout == .seconds(5))
        #expect(task.resources == Resources(cpu: 100, memoryMB: 300))
        #expect(task.config == .object([:]))
    }

    @Test(arguments: [
        (
            #"{"Job": {"ID": "j", "Imagee": 1, "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Imagee": "x"}]}]}}"#,
            [
                #""Imagee" is an invalid field"#,
                #"group "g" -> task "t": "Imagee" is an invalid field"#,
            ]
        ),
        (
            #"{"ID": 5, "Datacenters": "dc1", "TaskGroups": [{"Name": "g", "Count": "2", "Tasks": [{"Name": "t", "Config": []}]}]}"#,
            [
                #"field "ID" with input "5" doesn't seem to be of type string"#,
                #"field "Datacenters" with input "dc1" doesn't seem to be of type array"#,
                #"group "g": field "Count" with input "2" doesn't seem to be of type int"#,
                #"group "g" -> task "t": field "Config" with input "[]" doesn't seem to be of type map"#,
            ]
        ),
        (
            #"{"ID": "j", "TaskGroups": [{"Tasks": [{"Resources": {"Networks": [{"DynamicPorts": [{"Label": "x", "Port": 1}]}]}}]}]}"#,
            [#"group[0] -> task[0] -> resources -> network[0] -> DynamicPorts[0]: "Port" is an invalid field"#]
        ),
        (
            #"{"ID": "j", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Services": [{"Name": "s", "Checks": [{"Name": "c", "Interval": "10s"}]}]}]}]}"#,
            [
                #"group "g" -> task "t" -> service "s" -> check "c": field "Interval" with input "10s" doesn't seem to be of type int"#
            ]
        ),
        (
            #"{"ID": "j", "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Env": {"A": 1}, "LogConfig": {"MaxFile": 1}}]}]}"#,
            [
                #"group "g" -> task "t": field "Env.A" with input "1" doesn't seem to be of type string"#,
                #"group "g" -> task "t" -> logs: "MaxFile" is an invalid field"#,
            ]
        ),
    ])
    func reportsEveryDecodeErrorWithPath(text: String, expected: [String]) {
        #expect(decodeMessages(text) == expected)
    }

    @Test func badJSONNamesFileAndPosition() {
        let messages = decodeMessages("{\n  \"ID\": \"j\",\n}", source: "\"job.json\"")
        #expect(messages == [#"failed to parse "job.json": line 3, column 1: expected a string object key"#])
    }

    @Test func missingFileIsReported() {
        #expect(throws: SpecError([SpecIssue(#"failed to read job file "/nonexistent/job.json""#)])) {
            try JobDecoder.decode(fileAt: "/nonexistent/job.json")
        }
    }

    func decodeMessages(_ text: String, source: String = "job") -> [String] {
        do {
            _ = try JobDecoder.decode(text, source: source)
            return []
        } catch {
            return error.messages
        }
    }
}
