#!/usr/bin/env python3
"""Send one QMP command to a running QEMU: qmp.py <socket> '<json command>'. Prints the reply."""
import json
import socket
import sys


def main() -> int:
    path, command = sys.argv[1], json.loads(sys.argv[2])
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    f = s.makefile("rw")
    json.loads(f.readline())  # greeting
    for msg in ({"execute": "qmp_capabilities"}, command):
        f.write(json.dumps(msg) + "\n")
        f.flush()
        while True:
            reply = json.loads(f.readline())
            if "event" not in reply:
                break
        if "error" in reply:
            print(json.dumps(reply), file=sys.stderr)
            return 1
    print(json.dumps(reply))
    return 0


if __name__ == "__main__":
    sys.exit(main())
