import Executor
