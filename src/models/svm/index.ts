// The SVM as a ModelSpec: the registry's one line points here.
import { NAMED_CLASSIFICATION_DATA } from '../../data/named.js';
import type { ModelSpec } from '../spec.js';
import { optimumCheck, SVM_CHECKS } from './checks.js';
import { SVM_PROTOCOL_OPTIONS } from './protocol-options.js';
import { SVM_REFERENCE } from './reference.js';
import { fitSvmModel, judgeSvm } from './fit.js';
import { SVM_IMPL_WORKLOADS } from './impl-workloads.js';
import { SVM_WORKLOADS } from './workloads.js';

export const svm: ModelSpec = {
  name: 'svm',
  title: 'soft-margin support vector machine (linear and RBF kernels)',
  capabilities: { binaryClassifier: true, convexObjective: true, generative: false },
  namedData: NAMED_CLASSIFICATION_DATA,
  workloads: SVM_WORKLOADS,
  implWorkloads: SVM_IMPL_WORKLOADS,
  checks: SVM_CHECKS,
  reference: SVM_REFERENCE,
  protocolOptions: SVM_PROTOCOL_OPTIONS,
  userDataCheck: (label, load) =>
    optimumCheck(
      'svm-optimum-user-data',
      `primal objective reaches the optimum on ${label}, linear kernel, C = 1`,
      load,
      1,
      () => ({ type: 'linear' }),
    ),
  fitOptions: {
    C: 'box constraint, a positive number or inf (hard margin, separable data only); default 1',
    kernel: 'linear or rbf; default linear',
    gamma: "RBF width: a positive number or 'scale' = 1 / (d Var(X)), as sklearn; default scale",
    tol: 'stop when the maximal violating pair gap is below this; default 1e-5 (libsvm: 1e-3)',
    polish:
      "on (default): solve the KKT equalities in float64 from the solver's " +
      'sets and certify a relative duality gap <= 1e-9; off: the backend ' +
      'solver alone',
  },
  fit: fitSvmModel,
  judge: judgeSvm,
};
