import Dispatch
import FoundationEssentials
import GRPC
import Protobuf
import Synchronization

/// `DriverTaskEvent`: a line in the task's event list (shown with type "Driver"). Nomad routes it by
/// `alloc_id` and `task_name`, which must both be set.
public struct DriverTaskEventMessage: ProtobufMessage, Equatable {
    public var taskID = ""
    public var allocID = ""
    public var taskName = ""
    public var timestamp = SecondsAndNanos()
    public var message = ""
    public var annotations: [String: String] = [:]

    public init(
        taskID: String, allocID: String, taskName: String, timestamp: Date = Date(), message: String,
        annotations: [String: String] = [:]
    ) {
        self.taskID = taskID
        self.allocID = allocID
        self.taskName = taskName
        self.timestamp = SecondsAndNanos(timestamp)
        self.message = message
        self.annotations = annotations
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: taskID = try reader.readString()
            case 2: allocID = try reader.readString()
            case 3: taskName = try reader.readString()
            case 4: timestamp = try reader.readMessage()
            case 5: message = try reader.readString()
            case 6:
                let (key, value) = try reader.readMapEntry(defaultValue: "") { (entry) throws(ProtobufError) in
                    try entry.readString()
                }
                annotations[key] = value
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, stringIfSet: taskID)
        writer.write(2, stringIfSet: allocID)
        writer.write(3, stringIfSet: taskName)
        writer.write(4, message: timestamp)
        writer.write(5, stringIfSet: message)
        for (key, value) in annotations.sorted(by: { $0.key < $1.key }) {
            writer.writeMapEntry(6, key: key) { $0.write(2, stringIfSet: value) }
        }
    }
}

/// Fans task events out to every open `TaskEvents` stream (Nomad keeps one per plugin instance). Events
/// published while no stream is open are dropped: they are informational only.
final class TaskEventHub: Sendable {
    /// One open stream's queue.
    final class Subscriber: Sendable {
        let queue = Mutex<[DriverTaskEventMessage]>([])
        let ready = DispatchSemaphore(value: 0)
    }

    private let subscribers = Mutex<[ObjectIdentifier: Subscriber]>([:])

    /// Queues `event` for every open stream.
    func publish(_ event: DriverTaskEventMessage) {
        let all = subscribers.withLock { Array($0.values) }
        for subscriber in all {
            subscriber.queue.withLock { $0.append(event) }
            subscriber.ready.signal()
        }
    }

    /// Sends the events published from now on, until the call is cancelled or the stream is gone.
    func stream(_ context: GRPCCallContext, _ writer: GRPCResponseWriter) throws(GRPCStatus) {
        let subscriber = Subscriber()
        subscribers.withLock { $0[ObjectIdentifier(subscriber)] = subscriber }
        defer { _ = subscribers.withLock { $0.removeValue(forKey: ObjectIdentifier(subscriber)) } }
        while !context.isCancelled {
            _ = subscriber.ready.wait(timeout: .now() + .milliseconds(500))
            let events = subscriber.queue.withLock { queue in
                defer { queue = [] }
                return queue
            }
            for event in events { try writer.send(event) }
        }
    }
}
