import Executor
import Glibc

exit(ExecutorMain.run(CommandLine.arguments))
