#!/usr/bin/python3
"""A modelbench validate adapter for scikit-learn: LogisticRegression and SVC behind the protocol of
docs/protocol.md. Start from this file to validate your own Python implementation.

    modelbench validate --model logreg --impl "/usr/bin/python3 examples/sklearn_adapter.py"

One JSON request per line on stdin, one JSON answer per line on stdout; logs go to stderr.
"""
import json
import sys

import numpy as np


def main():
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC

    last = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        op, model = req.get("op"), req.get("model")
        try:
            if op == "hello":
                ans = {"name": "scikit-learn", "version": sklearn.__version__, "models": ["logreg", "svm"]}
            elif op == "shutdown":
                return
            elif op == "fit" and model == "logreg":
                C = req["params"].get("C", 1.0)
                # sklearn's J is 1/2 ||w||^2 + C sum log-loss with an unpenalised intercept, as the protocol's.
                kw = {"penalty": "none"} if C is None else {"C": C}
                m = LogisticRegression(solver="lbfgs", max_iter=10000, tol=1e-10, **kw)
                m.fit(np.asarray(req["X"], dtype=float), np.asarray(req["y"], dtype=int))
                last["logreg"] = m
                ans = {"weights": m.coef_[0].tolist(), "bias": float(m.intercept_[0])}
            elif op == "predict_proba" and model == "logreg":
                ans = {"proba": last["logreg"].predict_proba(np.asarray(req["X"], dtype=float))[:, 1].tolist()}
            elif op == "fit" and model == "svm":
                p = req["params"]
                C = p.get("C", 1.0)
                # SVC has no hard margin: a very large C stands in for "C": null.
                m = SVC(kernel=p.get("kernel", "linear"), C=1e10 if C is None else C, gamma=p.get("gamma", "scale"))
                y = np.asarray(req["y"], dtype=int)
                m.fit(np.asarray(req["X"], dtype=float), y)
                last["svm"] = m
                # sklearn orders classes [-1, +1] and its dual_coef_ is t alpha, its decision function
                # positive for +1: the protocol's convention as is.
                ans = {"bias": float(m.intercept_[0]), "dual_coef": m.dual_coef_[0].tolist(), "support": m.support_.tolist()}
                if m.kernel == "linear":
                    ans["weights"] = m.coef_[0].tolist()
            elif op == "decision_function" and model == "svm":
                ans = {"scores": last["svm"].decision_function(np.asarray(req["X"], dtype=float)).tolist()}
            else:
                ans = {"error": f"unsupported op {op!r} for model {model!r}"}
        except Exception as e:  # an answer, not a crash: the harness reports it against the check
            ans = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(ans) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
