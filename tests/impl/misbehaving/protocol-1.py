# A protocol-1 implementation (no "protocol" in its hello, no load): validate takes it, timing refuses it.
import json
import sys

for line in sys.stdin:
    req = json.loads(line)
    if req["op"] == "shutdown":
        break
    if req["op"] == "hello":
        print(json.dumps({"name": "old", "version": "1", "models": ["logreg"]}), flush=True)
    else:
        print(json.dumps({"error": "not implemented"}), flush=True)
