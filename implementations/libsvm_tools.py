#!/usr/bin/python3
"""The libsvm and liblinear command-line tools (Debian's libsvm-tools, liblinear-tools) as
implementations under test: each fit writes the data in libsvm's text format (once per loaded
matrix), runs the tool as a process and reads its model file back, since that is how those tools
are used; `elapsed_ms` is the tool's own process, the round trip adds this adapter's work.

    modelbench run --impl libsvm --impl liblinear                      (bundled: this file)
    modelbench validate --model svm --impl "/usr/bin/python3 implementations/libsvm_tools.py svm-train"

svm-train: C-SVC, linear (-t 0) or RBF (-t 2), tolerance -e from the harness. liblinear-train -s 3:
L2-regularised hinge loss by dual coordinate descent, intercept as a feature (-B 1), so its
intercept is penalised, unlike ours. Neither tool prints decision values, so only fits are offered.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

from modelbench_protocol import serve, unavailable

TOOL = sys.argv[1] if len(sys.argv) > 1 else "svm-train"
PATHS = {"svm-train": "/usr/bin/svm-train", "liblinear-train": "/usr/bin/liblinear-train"}
PACKAGES = {"svm-train": "libsvm-tools", "liblinear-train": "liblinear-tools"}
work = tempfile.mkdtemp(prefix="modelbench-tool-")
written = {}


def hello(_):
    path = PATHS.get(TOOL)
    name = "libsvm svm-train" if TOOL == "svm-train" else "liblinear-train -s 3"
    if path is None:
        return unavailable(name, f"unknown tool {TOOL!r}", "give svm-train or liblinear-train")
    if not os.path.exists(path):
        return unavailable(name, f"{path} not found", f"apt-get install {PACKAGES[TOOL]}")
    workloads = ["fit-linear", "fit-rbf"] if TOOL == "svm-train" else ["fit-linear"]
    version = "3.24 (Debian libsvm-tools)" if TOOL == "svm-train" else "2.3.0 (Debian liblinear-tools)"
    return {"name": name, "version": version, "models": ["svm"], "workloads": {"svm": workloads}, "device": "CPU, one thread"}


def data_file(x, y):
    # Keyed by the array itself (kept alive here, so its id is never reused): a loaded matrix is
    # written once, an inline one each time.
    key = id(x)
    if key not in written or written[key][0] is not x:
        path = os.path.join(work, f"train{len(written)}.svm")
        with open(path, "w") as f:
            for row, label in zip(x, y):
                feats = " ".join(f"{k + 1}:{v!r}" for k, v in enumerate(row.tolist()) if v != 0)
                f.write(("+1 " if label > 0 else "-1 ") + feats + "\n")
        written[key] = (x, path)
    return written[key][1]


def run_tool(args):
    t0 = __import__("time").perf_counter()
    done = subprocess.run([PATHS[TOOL], *args], capture_output=True, text=True)
    ms = (__import__("time").perf_counter() - t0) * 1000.0
    if done.returncode != 0:
        raise RuntimeError(f"{TOOL} failed: {(done.stderr or done.stdout).strip()[-300:]}")
    return done.stdout, ms


def header_and_body(path, marker):
    lines = open(path).read().split("\n")
    at = lines.index(marker)
    header = {}
    for line in lines[:at]:
        key, *rest = line.split()
        header[key] = rest
    return header, [l for l in lines[at + 1:] if l.strip()]


def fit(req):
    p = req.get("params", {})
    x, y = req["X"], req["y"]
    c = 1e6 if p.get("C") is None else p["C"]
    kernel = p.get("kernel", "linear")
    tol = p.get("tol", 1e-3)
    train = data_file(x, y)
    model = os.path.join(work, "model")
    cols = x.shape[1]
    if TOOL == "liblinear-train":
        if kernel != "linear":
            raise ValueError("liblinear has no kernels")
        # liblinear -s 3 stops on its dual projected gradient; its default 0.1 is what reaches the harness's 1e-3 relative
        # primal target (tol 1e-3 -> -e 0.1), so the tool runs as its users run it.
        _, ms = run_tool(["-s", "3", "-c", repr(c), "-e", repr(tol * 100), "-B", "1", "-q", train, model])
        header, body = header_and_body(model, "w")
        sign = 1.0 if header["label"][0] == "1" else -1.0
        w = np.array([float(v) for v in body], dtype=np.float64) * sign
        bias_scale = float(header.get("bias", ["-1"])[0])
        return {"weights": w[:cols].tolist(), "bias": float(w[cols] * bias_scale) if bias_scale > 0 else 0.0, "elapsed_ms": ms}
    args = ["-s", "0", "-t", "2" if kernel == "rbf" else "0", "-c", repr(c), "-e", repr(tol), "-h", "1", "-m", "1000"]
    if kernel == "rbf":
        args += ["-g", repr(p["gamma"])]
    out, ms = run_tool(args + [train, model])
    header, body = header_and_body(model, "SV")
    sign = 1.0 if header["label"][0] == "1" else -1.0
    coef, vectors = [], []
    for line in body:
        parts = line.split()
        coef.append(float(parts[0]) * sign)
        v = [0.0] * cols
        for part in parts[1:]:
            k, val = part.split(":")
            v[int(k) - 1] = float(val)
        vectors.append(v)
    answer = {"bias": -float(header["rho"][0]) * sign, "dual_coef": coef, "support_vectors": vectors, "elapsed_ms": ms}
    iters = re.search(r"#iter = (\d+)", out)
    if iters:
        answer["iterations"] = int(iters.group(1))
    if kernel == "linear":
        answer["weights"] = (np.array(coef) @ np.array(vectors)).tolist() if vectors else [0.0] * cols
    return answer


try:
    serve({"hello": hello, "fit": fit})
finally:
    shutil.rmtree(work, ignore_errors=True)
