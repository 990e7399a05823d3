/// Where service registrations live: the embedded JSON catalog or a Consul agent.
///
/// Every method blocks on file or network I/O. Async code should call them from a Dispatch
/// queue (as `ServiceManager` and `CheckRunner` do), never directly on the cooperative pool.
public protocol Catalog: Sendable {
    /// Whether the catalog runs http and tcp checks itself (Consul does). When true, only script
    /// checks are run here, and their results are pushed with `updateCheck`.
    var runsNetworkChecks: Bool { get }

    /// Adds a service, or replaces the one with the same ID. Checks whose ID and target are
    /// unchanged keep their last status and output.
    func register(_ registration: ServiceRegistration) throws

    /// Removes a service and its checks; removing an unknown ID is not an error.
    func deregister(serviceID: String) throws

    /// Records a check result. Throws `notFound` when the check is not registered.
    func updateCheck(checkID: String, status: CheckStatus, output: String) throws

    /// Every registration, sorted by ID.
    func list() throws -> [ServiceRegistration]
}

extension Catalog {
    /// Re-registers a known service with new addresses or checks; the same as `register`.
    public func update(_ registration: ServiceRegistration) throws {
        try register(registration)
    }
}
