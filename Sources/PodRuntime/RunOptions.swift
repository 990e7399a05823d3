/// The flags of `rkt run-prepared` (and the run half of `rkt run`).
public struct RunOptions: Sendable {
    public var net: [String] = []
    public var dns: [String] = []
    public var dnsSearch: [String] = []
    public var dnsOptions: [String] = []
    public var dnsDomain: String?
    public var hostname: String?
    public var insecure = InsecureOptions()

    public init() {}
}
