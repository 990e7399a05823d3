import Dispatch

/// Runs blocking work (file locks, sockets, catalog calls) on a Dispatch queue and resumes the
/// caller when it is done, so the small cooperative pool of Swift concurrency never blocks.
enum Blocking {
    private static let queue = DispatchQueue(label: "rkt-driver.services.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: body())
            }
        }
    }
}
