import Glibc
import PodRuntime
import RktCLI
import RktSys

// Block the signals the pod supervisor forwards before any thread exists (STYLE §5.8);
// commands that do not supervise a pod unblock them again.
Signals.block(RunSupervisor.forwardedSignals + [SIGCHLD])
signal(SIGPIPE, SIG_IGN)
exit(RktCommandLine.main(Array(CommandLine.arguments.dropFirst())))
