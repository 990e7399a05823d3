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
    /// Where the task's stdout and stderr go instead of rotated files in the alloc's log directory (Nomad's
    /// log FIFOs in plugin mode, read by its logmon); nil keeps the executor's own rotation.
    public var outputPaths: (stdout: String, stderr: String)?

    public init(
        job: Job, group: TaskGroup, task: Task, allocID: String, allocIndex: Int = 0, allocDirectory: AllocDirectory,
        hostIP: String, node: NodeContext, imageBaseDirectory: String? = nil,
        outputPaths: (stdout: String, stderr: String)? = nil
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
        self.outputPaths = outputPaths
    }
}
