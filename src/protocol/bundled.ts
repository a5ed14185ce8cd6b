// The only list of bundled implementations under test: the peers we measure ourselves against, each
// one adapter in implementations/ speaking the protocol, used alike by `validate` and `run --impl`.
// What each implements (models, workloads) and whether it can run here is what its hello says.
import path from 'node:path';
import { IMPLEMENTATIONS_DIR } from '../layout.js';

/** Debian's python3, where python3-sklearn and python3-torch live; MODELBENCH_PYTHON overrides. */
export const PEER_PYTHON = process.env.MODELBENCH_PYTHON ?? '/usr/bin/python3';

export interface BundledImplementation {
  readonly name: string;
  readonly description: string;
  /** A module path or a command line, as `--impl` takes it. */
  readonly target: string;
  /** The models it implements, known without starting it (so an unavailable one still gets its rows). */
  readonly models: readonly string[];
  /** Variables it needs (its environment is otherwise cleared). */
  readonly env?: Readonly<Record<string, string>>;
}

const python = (file: string, ...args: string[]) =>
  [PEER_PYTHON, path.join(IMPLEMENTATIONS_DIR, file), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

export const BUNDLED: readonly BundledImplementation[] = [
  {
    name: 'sklearn-logreg',
    models: ['logreg'],
    description: "scikit-learn's LogisticRegression (lbfgs)",
    target: python('sklearn_logreg.py'),
  },
  {
    name: 'sklearn-svc',
    models: ['svm'],
    description: "scikit-learn's SVC (libsvm inside): linear and RBF",
    target: python('sklearn_svm.py', 'svc'),
  },
  {
    name: 'sklearn-linearsvc',
    models: ['svm'],
    description: "scikit-learn's LinearSVC (liblinear's dual coordinate descent, hinge loss)",
    target: python('sklearn_svm.py', 'linearsvc'),
  },
  {
    name: 'libsvm',
    models: ['svm'],
    description: "libsvm's svm-train command-line tool (Debian libsvm-tools)",
    target: python('libsvm_tools.py', 'svm-train'),
  },
  {
    name: 'liblinear',
    models: ['svm'],
    description: "liblinear's liblinear-train -s 3 command-line tool (Debian liblinear-tools)",
    target: python('libsvm_tools.py', 'liblinear-train'),
  },
  // PASSIVE: OpenMP threads sleep between requests instead of spinning, so a PyTorch process waiting
  // for its turn does not steal a core from the implementation being timed beside it.
  {
    name: 'pytorch-1-thread',
    models: ['vae', 'gan'],
    description: 'the VAE and GAN in PyTorch on one CPU thread',
    target: python('pytorch_models.py', '1'),
    env: { OMP_WAIT_POLICY: 'PASSIVE' },
  },
  {
    name: 'pytorch-2-threads',
    models: ['vae', 'gan'],
    description: 'the VAE and GAN in PyTorch on two CPU threads',
    target: python('pytorch_models.py', '2'),
    env: { OMP_WAIT_POLICY: 'PASSIVE' },
  },
  {
    name: 'libsvm-js',
    models: ['svm'],
    description: 'the npm package libsvm-js (libsvm 3.22 compiled to WebAssembly)',
    target: path.join(IMPLEMENTATIONS_DIR, 'libsvm-js.mjs'),
  },
  {
    name: 'ml-logistic-regression',
    models: ['logreg'],
    description: 'the npm package ml-logistic-regression (gradient descent, 5000 steps)',
    target: path.join(IMPLEMENTATIONS_DIR, 'ml-logistic-regression.mjs'),
    env: { ML_LOGREG_STEPS: '5000' },
  },
];

export function bundledByName(name: string): BundledImplementation | undefined {
  return BUNDLED.find((b) => b.name === name);
}
