import Driver
import Foundation
import RktSys
import Testing

struct OOMStateTests {
    @Test(arguments: [
        (#"{"name":"p","state":"exited","apps":[{"name":"a","state":"exited","oom_killed":true}]}"#, true),
        (#"{"name":"p","state":"exited","apps":[{"name":"a","state":"exited","exit_code":137}]}"#, false),
        (
            #"{"name":"p","state":"exited","apps":[{"name":"a","oom_killed":false},{"name":"b","oom_killed":true}]}"#,
            true
        ),
        (#"{"name":"p","state":"running"}"#, false),
        ("not json", false),
        ("[]", false),
    ])
    func oomKilledFromStatus(json: String, expected: Bool) {
        #expect(RktPodStatus.oomKilled(statusJSON: json) == expected)
    }

    /// A version-1 handle written before `oomKilled` and `cpuMHz` existed still loads.
    @Test
    func oldVersionOneHandleLoads() throws {
        let directory = "/tmp/rkt-driver-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileSystem.removeTree(directory) }
        let store = TaskStateStore(dataDirectory: directory)
        let old = """
            {"version":1,"taskID":"a-t","jobID":"j","groupName":"g","taskName":"t","allocID":"a",
            "podUUID":"00000000-0000-0000-0000-000000000000","executorPID":1,"executorSocket":"/x",
            "executorStateDirectory":"/y","killTimeoutMilliseconds":5000,"killSignal":2,"logDirectory":"/z",
            "startedAt":0,"podRemoved":true,"exitCode":137}
            """
        try FileSystem.makeDirectories(store.directory(of: "a-t"))
        try FileSystem.writeAtomically(old, to: "\(store.directory(of: "a-t"))/handle.json")
        var state = try store.load("a-t")
        #expect(state.oomKilled == nil)
        #expect(state.cpuMHz == nil)
        #expect(state.exitCode == 137)

        state.oomKilled = true
        state.cpuMHz = 500
        try store.save(state)
        let reloaded = try store.load("a-t")
        #expect(reloaded.oomKilled == true)
        #expect(reloaded.cpuMHz == 500)
        #expect(reloaded.version == 1)
    }
}
