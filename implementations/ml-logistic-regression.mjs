// A modelbench validate adapter for the npm package ml-logistic-regression (mljs), as a JavaScript
// module: each export answers the protocol message of the same name (docs/protocol.md).
//
//   modelbench validate --model logreg --impl implementations/ml-logistic-regression.mjs
//   modelbench run --impl ml-logistic-regression                 (bundled: this file, 5000 steps)
//
// The library fits w by plain gradient ascent on the log-likelihood (50000 steps of 5e-4 by default),
// with no intercept and no penalty: it does not minimise the protocol's J, and is expected to fail
// the optimum checks. It is run with its defaults, as a user would; ML_LOGREG_STEPS changes numSteps
// (the tests use 5000 so that a validation takes seconds, not minutes).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const LogisticRegression = require('ml-logistic-regression');
const { Matrix } = require('ml-matrix');
const version = require('ml-logistic-regression/package.json').version;

let model;
let positiveIndex;

export function hello() {
  return {
    name: 'ml-logistic-regression',
    version,
    models: ['logreg'],
    // Its fit solves another problem (no intercept, no penalty): declared, so `run` shows the row
    // as an expected failure; validate's checks are declared by whoever runs them.
    expected_failures: { 'logreg/fit-from-host': 'no intercept and no penalty: it does not minimise J' },
  };
}

export function fit({ X, y }) {
  const steps = process.env.ML_LOGREG_STEPS ? Number(process.env.ML_LOGREG_STEPS) : undefined;
  model = new LogisticRegression(steps ? { numSteps: steps } : {});
  model.train(new Matrix(X), Matrix.columnVector(y));
  // One-vs-all over the classes 0 and 1: classifier i scores "not class i", so P(y = 1) = 1 - score_1.
  positiveIndex = 1;
  const w = model.classifiers[positiveIndex].weights.to1DArray();
  return { weights: w.map((v) => -v), bias: 0 };
}

export function predict_proba({ X }) {
  const notPositive = model.classifiers[positiveIndex].testScores(new Matrix(X));
  return { proba: notPositive.map((s) => 1 - s) };
}
