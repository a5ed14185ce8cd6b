#!/usr/bin/python3
"""scikit-learn's SVC (libsvm inside) or LinearSVC (liblinear inside) as an implementation under test.

    modelbench validate --model svm --impl "/usr/bin/python3 implementations/sklearn_svm.py svc"
    modelbench run --impl sklearn-svc --impl sklearn-linearsvc      (bundled: this file)

LinearSVC (hinge loss, dual coordinate descent) penalises its intercept, as liblinear does; intercept_scaling
10 makes that penalty small, at some cost in iterations.
"""
import sys

from modelbench_protocol import serve, timed, unavailable

ESTIMATOR = sys.argv[1] if len(sys.argv) > 1 else "svc"
try:
    import sklearn
    from sklearn.svm import SVC, LinearSVC
except ImportError as e:
    sklearn = None
    MISSING = str(e)

state = {}


def hello(_):
    name = "scikit-learn SVC" if ESTIMATOR == "svc" else "scikit-learn LinearSVC"
    if sklearn is None:
        return unavailable(name, f"scikit-learn is not importable by {sys.executable}: {MISSING}", "apt-get install python3-sklearn")
    import numpy as np
    workloads = ["fit-linear", "fit-rbf", "decision-linear", "decision-rbf"] if ESTIMATOR == "svc" else ["fit-linear", "decision-linear"]
    return {"name": name, "version": f"{sklearn.__version__}, numpy {np.__version__}", "models": ["svm"],
            "workloads": {"svm": workloads}, "device": "CPU, one thread"}


def fit(req):
    p = req.get("params", {})
    c = 1e6 if p.get("C") is None else p["C"]
    kernel = p.get("kernel", "linear")
    tol = p.get("tol", 1e-3)
    y = req["y"]
    if ESTIMATOR == "svc":
        model = SVC(C=c, kernel=kernel, gamma=p.get("gamma", "scale"), tol=tol, cache_size=1000)
    elif kernel != "linear":
        raise ValueError("LinearSVC has no kernels")
    else:
        model = LinearSVC(C=c, loss="hinge", dual=True, tol=tol * 0.1, intercept_scaling=10.0, max_iter=100000)
    _, ms = timed(model.fit, req["X"], y)
    state["model"] = model
    answer = {"bias": float(model.intercept_[0]), "elapsed_ms": ms}
    if kernel == "linear":
        answer["weights"] = model.coef_[0].tolist()
    if ESTIMATOR == "svc":
        # sklearn orders classes ascending, so its decision function is positive for +1, as ours.
        answer["dual_coef"] = model.dual_coef_[0].tolist()
        answer["support"] = model.support_.tolist()
    return answer


def decision_function(req):
    scores, ms = timed(state["model"].decision_function, req["X"])
    return {"scores": scores, "elapsed_ms": ms}


serve({"hello": hello, "fit": fit, "decision_function": decision_function})
