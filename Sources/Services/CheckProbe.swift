import RktError

/// The result of one run of a check.
public struct CheckResult: Equatable, Sendable {
    public var status: CheckStatus
    public var output: String

    public init(status: CheckStatus, output: String) {
        self.status = status
        self.output = output
    }
}

/// Runs a script check's command inside the task (the driver's Exec) and returns its combined
/// output and exit code. It must give up after `timeout`.
public typealias ScriptExecutor =
    @Sendable (_ command: String, _ args: [String], _ timeout: Duration) async throws -> (output: String, exitCode: Int)

/// One probe of each check type, with Consul's status rules. The http and tcp probes block for
/// at most the timeout; call them off the cooperative pool.
public enum CheckProbe {
    /// How much of an http response body is kept as output.
    public static let outputLimit = 4096

    /// GET `http://address:port/path`: 2xx is passing, 429 warning, anything else critical.
    public static func http(address: String, port: Int, path: String, timeout: Duration) -> CheckResult {
        let requestPath = path.hasPrefix("/") ? path : "/\(path)"
        let url = "http://\(TCPConnection.joinHostPort(address, port))\(requestPath)"
        do {
            let response = try HTTPClient.send(
                method: "GET", host: address, port: port, path: requestPath, timeout: timeout, maxBody: outputLimit)
            return CheckResult(
                status: status(httpStatus: response.status),
                output: "HTTP GET \(url): \(response.statusLine) Output: \(response.bodyText)")
        } catch {
            return CheckResult(status: .critical, output: "HTTP GET \(url): \(error.message)")
        }
    }

    /// A TCP connect to `address:port`: passing when it is accepted within the timeout.
    public static func tcp(address: String, port: Int, timeout: Duration) -> CheckResult {
        let target = TCPConnection.joinHostPort(address, port)
        do {
            let connection = try TCPConnection.open(host: address, port: port, timeout: timeout)
            connection.close()
            return CheckResult(status: .passing, output: "TCP connect \(target): Success")
        } catch {
            return CheckResult(status: .critical, output: "TCP connect \(target): \(error.message)")
        }
    }

    /// Runs the command through `exec`: exit 0 is passing, 1 warning, anything else critical.
    public static func script(
        command: String, args: [String], timeout: Duration, exec: ScriptExecutor?
    ) async -> CheckResult {
        guard let exec else {
            return CheckResult(status: .critical, output: "script checks need a driver that can exec in the task")
        }
        do {
            let result = try await exec(command, args, timeout)
            return CheckResult(status: status(exitCode: result.exitCode), output: result.output)
        } catch {
            return CheckResult(status: .critical, output: "\(error)")
        }
    }

    public static func status(httpStatus: Int) -> CheckStatus {
        if (200..<300).contains(httpStatus) {
            return .passing
        }
        return httpStatus == 429 ? .warning : .critical
    }

    public static func status(exitCode: Int) -> CheckStatus {
        switch exitCode {
        case 0: .passing
        case 1: .warning
        default: .critical
        }
    }
}
