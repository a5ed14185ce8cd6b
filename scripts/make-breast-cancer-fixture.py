#!/usr/bin/python3
"""Writes fixtures/breast-cancer/breast-cancer-zscored.csv from the copy inside Debian's python3-sklearn.

Features are z-scored with the population standard deviation (as sklearn's StandardScaler);
the label column `target` is sklearn's (0 = malignant, 1 = benign). Also prints the reference
optimum of J = 1/2||w||^2 + C sum softplus(-t f) at C = 1 found by scipy's L-BFGS-B.
"""
import sys
import numpy as np
from sklearn.datasets import load_breast_cancer

data = load_breast_cancer()
x = data.data
x = (x - x.mean(axis=0)) / x.std(axis=0)
y = data.target.astype(int)
names = [n.replace(' ', '_') for n in data.feature_names]
out = sys.argv[1] if len(sys.argv) > 1 else 'fixtures/breast-cancer/breast-cancer-zscored.csv'
with open(out, 'w') as f:
    f.write(','.join(names + ['target']) + '\n')
    for row, label in zip(x, y):
        f.write(','.join(repr(float(v)) for v in row) + f',{label}\n')

from scipy.optimize import minimize
t = 2 * y - 1
def J(theta):
    w, b = theta[:-1], theta[-1]
    z = -t * (x @ w + b)
    val = 0.5 * w @ w + np.logaddexp(0, z).sum()
    s = -t / (1 + np.exp(-z))
    g = np.concatenate([w + x.T @ s, [s.sum()]])
    return val, g
r = minimize(J, np.zeros(x.shape[1] + 1), jac=True, method='L-BFGS-B', options={'gtol': 1e-10, 'ftol': 1e-15, 'maxiter': 10000})
print(f'J* = {r.fun:.12f}  |grad|_inf = {np.abs(r.jac).max():.2e}')
