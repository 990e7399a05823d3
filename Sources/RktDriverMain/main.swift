import DriverCLI
import Glibc
import RktSys

// Block the signals `run` waits for before any thread exists (STYLE §5.8); other commands
// unblock them again.
Signals.block(DriverCommandLine.supervisedSignals)
signal(SIGPIPE, SIG_IGN)
exit(DriverCommandLine.main(Array(CommandLine.arguments.dropFirst())))
