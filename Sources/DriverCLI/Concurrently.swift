import Dispatch

/// Runs `body` for each index of `count` on Dispatch's global queue, at most `limit` at once, and
/// returns when all are done. For work that mostly waits (stopping a task waits for the app, then
/// for `rkt rm`), so the limit is not the number of cores.
func concurrently(_ count: Int, limit: Int = 16, _ body: @escaping @Sendable (Int) -> Void) {
    let slots = DispatchSemaphore(value: limit)
    let group = DispatchGroup()
    for index in 0..<count {
        slots.wait()
        DispatchQueue.global().async(group: group) {
            defer { slots.signal() }
            body(index)
        }
    }
    group.wait()
}
