import Glibc
import Testing

/// End-to-end tests of the built `rkt-driver` and `rkt` executables: real pods on runc with the
/// CNI plugins, each test in its own temporary rkt data dir. Serialized: pods share the host's
/// default network, iptables and runc root. Every test ends by checking that nothing is left.
@Suite(
    .serialized,
    .enabled(if: geteuid() == 0, "integration tests need root (pods use runc, netns and iptables)"),
    .enabled(if: Prerequisites.ready, Comment(rawValue: Prerequisites.missing ?? "")))
struct IntegrationTests {}

/// Expects a failed command whose stderr has one line naming every fragment.
func expectFailure(
    _ output: ToolOutput, namingAll fragments: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(output.code != 0, "expected a failure: \(output)", sourceLocation: sourceLocation)
    let line = output.errorLines.first { line in fragments.allSatisfy { line.contains($0) } }
    #expect(line != nil, "no stderr line names all of \(fragments): \(output)", sourceLocation: sourceLocation)
}
