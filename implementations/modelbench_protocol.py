"""The modelbench implementation protocol (docs/protocol.md, version 3) for Python adapters.

An adapter defines one function per op and calls `serve`:

    from modelbench_protocol import serve, timed
    def hello(req): return {"name": "mine", "version": "1.0", "models": ["logreg"]}
    def fit(req): ...          # req["X"], req["y"] are numpy arrays, inline or loaded
    serve({"hello": hello, "fit": fit})

`serve` answers `load` (a float64 little-endian file the harness wrote, with its shape), `ping` and
`shutdown` itself, replaces every {"handle": h} field and every inline X, y, Z, eps by a numpy
float64 array, states the protocol version in the hello answer, and turns an exception into an
{"error"} answer. Handlers may return numpy arrays: they become lists when sent. A request with
"result": "handle" (the harness's timed requests) is answered {"handle": h, "digest", "elapsed_ms"} and
the answer kept, so a large result is not turned into JSON inside the timing; `fetch` sends it later,
and the digest (computed at once, `digest`) proves the result existed when the clock stopped. What the adapter or its libraries print goes to stderr: stdout carries answers
only. `timed(f)` runs f and returns (its result, elapsed milliseconds), for an `elapsed_ms` field.
"""
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np

PROTOCOL = 3
_ARRAY_FIELDS = ("X", "y", "Z", "eps")
_NOT_RESULT = ("handle", "digest", "elapsed_ms")


def _feed(h, value):
    if isinstance(value, bool):
        h.update(b"\x01" if value else b"\x00")
    elif isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        h.update(np.ascontiguousarray(value, dtype="<f8").tobytes())
    elif isinstance(value, (int, float, np.integer, np.floating)):
        h.update(struct.pack("<d", float(value)))
    elif isinstance(value, (list, tuple, np.ndarray)):
        for item in value:
            _feed(h, item)
    elif isinstance(value, str):
        h.update(value.encode("utf-8"))
    elif isinstance(value, dict):
        _feed_fields(h, value, ())
    elif value is not None:
        raise TypeError(f"{type(value).__name__} has no digest")


def _feed_fields(h, fields, skip):
    for name in sorted(fields):
        if name not in skip:
            h.update(name.encode("utf-8") + b"\x00")
            _feed(h, fields[name])


def digest(answer):
    """The result's digest (docs/protocol.md, "Digest"): SHA-256 over its fields, numbers as float64."""
    h = hashlib.sha256()
    _feed_fields(h, answer, _NOT_RESULT)
    return "sha256:" + h.hexdigest()


def timed(f, *args, **kwargs):
    t0 = time.perf_counter()
    out = f(*args, **kwargs)
    return out, (time.perf_counter() - t0) * 1000.0


def _load(req, store):
    shape = req.get("shape")
    if not isinstance(shape, list) or not 1 <= len(shape) <= 2 or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise ValueError('load needs {"path": str, "shape": [rows] or [rows, cols], "dtype": "float64"}')
    if req.get("dtype", "float64") != "float64":
        raise ValueError(f"load: dtype {req.get('dtype')!r} is not float64")
    values = np.fromfile(req["path"], dtype="<f8")
    expected = int(np.prod(shape))
    if values.size != expected:
        raise ValueError(f"{req['path']} holds {values.size} float64 values, shape {shape} needs {expected}")
    handle = f"h{len(store) + 1}"
    store[handle] = values.reshape(shape)
    return {"handle": handle}


def _resolve(req, store):
    out = dict(req)
    for key, value in req.items():
        if isinstance(value, dict) and "handle" in value:
            if value["handle"] not in store:
                raise ValueError(f"'{key}' names handle {value['handle']!r}, which no load returned")
            out[key] = store[value["handle"]]
        elif key in _ARRAY_FIELDS and isinstance(value, list):
            out[key] = np.asarray(value, dtype=np.float64)
    return out


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def serve(handlers):
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    sys.stdout = sys.stderr  # library output must never be read as an answer
    store, results, kept = {}, {}, [0]
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
        except ValueError:
            answers.write(json.dumps({"error": f"the request is not JSON: {line[:80]}"}) + "\n")
            answers.flush()
            continue
        op = req.get("op")
        if op == "shutdown":
            return
        try:
            if op == "ping":
                answer = {}
            elif op == "load" and "load" not in handlers:
                answer = _load(req, store)
            elif op == "fetch" and "fetch" not in handlers:
                if req.get("handle") not in results:
                    raise ValueError(f"fetch: no result under handle {req.get('handle')!r}")
                answer = results.pop(req["handle"])
            elif op in handlers:
                answer = handlers[op](_resolve(req, store))
                if op == "hello":
                    answer = {"protocol": PROTOCOL, **answer}
                elif req.get("result") == "handle":
                    kept[0] += 1
                    handle = f"r{kept[0]}"
                    results.clear()  # only the last result is ever fetched
                    results[handle] = answer
                    answer = {"handle": handle, "digest": digest(answer), **({"elapsed_ms": answer["elapsed_ms"]} if "elapsed_ms" in answer else {})}
            else:
                answer = {"error": f"op '{op}' is not implemented by {os.path.basename(sys.argv[0])}"}
        except Exception as e:  # noqa: BLE001 - every failure is an answer, never a crash
            answer = {"error": f"{type(e).__name__}: {e}"}
        try:
            line = json.dumps(answer, default=_plain)
        except (TypeError, ValueError) as e:
            line = json.dumps({"error": f"the answer to '{op}' cannot be sent as JSON: {e}"})
        answers.write(line + "\n")
        answers.flush()


def unavailable(name, reason, fix):
    """A hello answer for an adapter whose library is missing here."""
    return {"name": name, "version": "", "models": [], "unavailable": reason, "fix": fix}
