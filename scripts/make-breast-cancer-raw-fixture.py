#!/usr/bin/python3
"""Writes fixtures/breast-cancer/breast-cancer-raw.csv: the same 569 x 30 data as the z-scored
fixture but unscaled (features from 0.0008 to 4254), the ill-conditioned case of the validate checks."""
import sys
from sklearn.datasets import load_breast_cancer

data = load_breast_cancer()
names = [n.replace(' ', '_') for n in data.feature_names]
out = sys.argv[1] if len(sys.argv) > 1 else 'fixtures/breast-cancer/breast-cancer-raw.csv'
with open(out, 'w') as f:
    f.write(','.join(names + ['target']) + '\n')
    for row, label in zip(data.data, data.target.astype(int)):
        f.write(','.join(repr(float(v)) for v in row) + f',{label}\n')
