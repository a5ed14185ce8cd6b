// Logistic regression as a ModelSpec: the registry's one line points here.
import { NAMED_CLASSIFICATION_DATA } from '../../data/named.js';
import type { ModelSpec } from '../spec.js';
import { LOGREG_CHECKS, optimumCheck } from './checks.js';
import { LOGREG_PROTOCOL_OPTIONS } from './protocol-options.js';
import { LOGREG_REFERENCE } from './reference.js';
import { fitLogreg, judgeLogreg } from './fit.js';
import { LOGREG_IMPL_WORKLOADS } from './impl-workloads.js';
import { LOGREG_WORKLOADS } from './workloads.js';

export const logisticRegression: ModelSpec = {
  name: 'logreg',
  title: 'L2-regularised logistic regression',
  capabilities: { binaryClassifier: true, convexObjective: true, generative: false },
  namedData: NAMED_CLASSIFICATION_DATA,
  workloads: LOGREG_WORKLOADS,
  implWorkloads: LOGREG_IMPL_WORKLOADS,
  checks: LOGREG_CHECKS,
  reference: LOGREG_REFERENCE,
  protocolOptions: LOGREG_PROTOCOL_OPTIONS,
  userDataCheck: (label, load) =>
    optimumCheck(
      'logreg-optimum-user-data',
      `J at the returned (w, b) reaches the optimum on ${label}, C = 1`,
      load,
      1,
      1e-6,
    ),
  fitOptions: {
    C: 'inverse regularisation strength, a positive number or inf (no penalty); default 1',
    tol: 'stop when ||grad J||_inf <= tol * C * m; default 1e-6',
    'max-iter': 'most L-BFGS iterations; default 1000',
  },
  fit: fitLogreg,
  judge: judgeLogreg,
};
