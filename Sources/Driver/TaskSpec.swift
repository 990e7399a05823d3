import TaskModel

/// One task to start: the job context it belongs to and where its files go on the host.
public struct TaskSpec: Sendable {
    public var job: Job
    public var group: TaskGroup
    /// The task, with its dynamic ports already allocated.
    public var task: Task
    public var allocID: String
    public var allocIndex: Int
    public var allocDirectory: AllocDirectory
    public var hostIP: String
    public var node: NodeContext
    /// Where a relative ACI path in `image` is looked up (the job file's directory).
    public var imageBaseDirectory: String?

    public init(
        job: Job, group: TaskGroup, task: Task, allocID: String, allocIndex: Int = 0, allocDirectory: AllocDirectory,
        hostIP: String, node: NodeContext, imageBaseDirectory: String? = nil
    ) {
        self.job = job
        self.group = group
        self.task = task
        self.allocID = allocID
        self.allocIndex = allocIndex
        self.allocDirectory = allocDirectory
        self.hostIP = hostIP
        self.node = node
        self.imageBaseDirectory = imageBaseDirectory
    }
}
