import RktSys

/// A logger that keeps test output quiet.
let quietLogger = Logger(label: "services-test", level: .error)
