#!/usr/bin/python3
"""scikit-learn's LogisticRegression (lbfgs) as an implementation under test (docs/protocol.md).

    modelbench validate --model logreg --impl "/usr/bin/python3 implementations/sklearn_logreg.py"
    modelbench run --impl sklearn-logreg            (bundled: the same file)

`tol` from the harness is a gradient tolerance relative to C * rows, which is what sklearn's lbfgs
`tol` means (its objective is the mean loss plus ||w||^2 / (2 C n)), so both stop alike.
"""
import sys

from modelbench_protocol import serve, timed, unavailable

try:
    import sklearn
    from sklearn.linear_model import LogisticRegression
except ImportError as e:
    sklearn = None
    MISSING = str(e)

state = {}


def hello(_):
    if sklearn is None:
        return unavailable("scikit-learn LogisticRegression", f"scikit-learn is not importable by {sys.executable}: {MISSING}", "apt-get install python3-sklearn")
    import numpy as np
    return {"name": "scikit-learn LogisticRegression(lbfgs)", "version": f"{sklearn.__version__}, numpy {np.__version__}", "models": ["logreg"],
            "workloads": {"logreg": ["fit-from-host", "predict"]}, "device": "CPU via " + sys.executable}


def fit(req):
    c = req.get("params", {}).get("C", 1.0)
    tol = req.get("params", {}).get("tol", 1e-6)
    model = LogisticRegression(C=1.0 if c is None else c, penalty="none" if c is None else "l2", solver="lbfgs", tol=tol, max_iter=100000)
    _, ms = timed(model.fit, req["X"], req["y"].astype(int))
    state["model"] = model
    return {"weights": model.coef_[0].tolist(), "bias": float(model.intercept_[0]), "iterations": int(model.n_iter_[0]), "elapsed_ms": ms}


def predict_proba(req):
    proba, ms = timed(state["model"].predict_proba, req["X"])
    return {"proba": proba[:, 1], "elapsed_ms": ms}


serve({"hello": hello, "fit": fit, "predict_proba": predict_proba})
