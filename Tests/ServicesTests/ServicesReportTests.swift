import Services
import Testing

@Suite("rkt-driver services output (golden)")
struct ServicesReportTests {
    static let registrations = [
        ServiceRegistration(
            id: "_nomad-task-a1-web-www-http", name: "www", tags: ["v1", "edge"], address: "172.16.28.5", port: 80,
            checks: [
                CheckRegistration(
                    id: "_nomad-check-1", name: "alive", type: "http", address: "172.16.28.5", port: 80,
                    path: "/health", status: .passing,
                    output: "HTTP GET http://172.16.28.5:80/health: 200 OK Output: ok"),
                CheckRegistration(
                    id: "_nomad-check-2", name: "script", type: "script", command: "/bin/check", interval: .seconds(30),
                    timeout: .milliseconds(1500), status: .warning, output: "disk at 91%\nsecond line"),
            ], allocID: "a1", taskName: "web"),
        ServiceRegistration(id: "_nomad-task-a1-web-admin-", name: "admin", allocID: "a1", taskName: "web"),
    ]

    @Test func table() {
        let expected = """
            ID                           NAME   ADDRESS      PORT  TAGS     CHECKS
            _nomad-task-a1-web-admin-    admin  -            0     -        -
            _nomad-task-a1-web-www-http  www    172.16.28.5  80    v1,edge  alive=passing,script=warning
                check alive (http) passing: HTTP GET http://172.16.28.5:80/health: 200 OK Output: ok
                check script (script) warning: disk at 91%

            """
        #expect(ServicesReport.table(Self.registrations) == expected)
    }

    @Test func emptyTable() {
        #expect(ServicesReport.table([]) == "No services registered\n")
    }

    @Test func longOutputIsShortened() {
        let output = String(repeating: "x", count: 100)
        let line = ServicesReport.table([
            ServiceRegistration(
                id: "s", name: "n", checks: [CheckRegistration(id: "c", name: "c", type: "tcp", output: output)])
        ]).split(separator: "\n").last.map(String.init)
        let expected = "    check c (tcp) critical: " + String(repeating: "x", count: 69) + "..."
        #expect(line == expected)
    }

    @Test func json() throws {
        let expected = """
            [
              {
                "address" : "",
                "allocID" : "a1",
                "checks" : [

                ],
                "id" : "_nomad-task-a1-web-admin-",
                "name" : "admin",
                "port" : 0,
                "tags" : [

                ],
                "taskName" : "web"
              },
              {
                "address" : "172.16.28.5",
                "allocID" : "a1",
                "checks" : [
                  {
                    "address" : "172.16.28.5",
                    "args" : [

                    ],
                    "command" : "",
                    "id" : "_nomad-check-1",
                    "interval" : "10s",
                    "name" : "alive",
                    "output" : "HTTP GET http://172.16.28.5:80/health: 200 OK Output: ok",
                    "path" : "/health",
                    "port" : 80,
                    "status" : "passing",
                    "timeout" : "2s",
                    "type" : "http"
                  },
                  {
                    "address" : "",
                    "args" : [

                    ],
                    "command" : "/bin/check",
                    "id" : "_nomad-check-2",
                    "interval" : "30s",
                    "name" : "script",
                    "output" : "disk at 91%\\nsecond line",
                    "path" : "",
                    "port" : 0,
                    "status" : "warning",
                    "timeout" : "1500ms",
                    "type" : "script"
                  }
                ],
                "id" : "_nomad-task-a1-web-www-http",
                "name" : "www",
                "port" : 80,
                "tags" : [
                  "v1",
                  "edge"
                ],
                "taskName" : "web"
              }
            ]

            """
        #expect(try ServicesReport.json(Self.registrations) == expected)
    }
}
