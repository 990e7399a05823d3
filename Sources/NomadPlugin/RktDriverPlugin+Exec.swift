import FoundationEssentials
import GRPC
import HTTP2
import RktError
import RktSys

extension RktDriverPlugin {
    /// ExecTaskStreaming: the first message sets up the command; stdin, resizes and heartbeats follow while
    /// the command's output goes back, then one `exited` message with the result. Cancelling the call stops
    /// the command.
    func execStreaming(
        _ requests: GRPCRequestStream, _ context: GRPCCallContext, _ writer: GRPCResponseWriter
    ) throws(GRPCStatus) {
        guard let first = try requests.next(ExecStreamingRequest.self) else {
            throw GRPCStatus(.invalidArgument, "the exec stream ended before its setup message")
        }
        guard let setup = first.setup else {
            throw GRPCStatus(.invalidArgument, "the first exec message must carry the setup")
        }
        let task = try self.task(setup.taskID)
        let session: ExecSession
        do {
            session = try ExecSession.start(
                driver: driver, handle: task.handle, command: setup.command, tty: setup.tty,
                size: first.ttySize.map { ($0.height, $0.width) })
        } catch {
            throw GRPCStatus(.unknown, "\((error as? RktError)?.message ?? "\(error)")")
        }
        logger.debug(
            "exec started",
            [
                "task.id": task.id, "pid": "\(session.child.pid)", "tty": "\(setup.tty)",
                "argv": setup.command.joined(separator: " "),
            ])
        startThread { session.pumpInput(requests) }
        do throws(GRPCStatus) {
            try session.pumpOutput(writer, context)
        } catch {
            logger.debug("exec ended early", ["task.id": task.id, "error": error.message])
            throw error
        }
    }
}
