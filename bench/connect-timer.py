#!/usr/bin/env python3
"""Starts a command and prints the milliseconds until 127.0.0.1:PORT accepts a TCP connection.

Usage: connect-timer.py PORT TIMEOUT_S LOG -- COMMAND ARGS...
The clock starts right before the command is spawned (interpreter start-up is not counted).
The command is left running; its pid is printed after the time, as "MS PID".
"""
import os
import socket
import subprocess
import sys
import time


def main() -> int:
    port, timeout, log = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    command = sys.argv[sys.argv.index("--") + 1:]
    with open(log, "ab") as out:
        start = time.monotonic()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                 start_new_session=True)
    while time.monotonic() - start < timeout:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                elapsed = (time.monotonic() - start) * 1000
                print(f"{elapsed:.1f} {child.pid}")
                return 0
        except OSError:
            time.sleep(0.001)
    print(f"timeout {child.pid}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
