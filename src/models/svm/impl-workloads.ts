// The SVM's workloads for implementations under test: the same seeded data, C and gamma as ours;
// a timed fit judged by the relative excess of its primal (float64 oracle) over our reference
// optimum on the same data, or a timed decision_function judged against its own parameters.
import { logisticData } from '../../data/synthetic.js';
import type { ImplWorkload, ImplWorkloadContext } from '../../protocol/workload-types.js';
import type { Dataset, ObjectiveCheck } from '../../types.js';
import { numbers, type Request } from '../../protocol/messages.js';
import { svmConfig } from './config.js';
import { signs } from './model.js';
import type { Kernel } from './objective.js';
import { decisionsFromParameters, parseAnswer, primalOf, problem, referencePrimal } from './protocol-answer.js';
import { RELATIVE_GAP_TARGET } from './workloads.js';

const C = 1;
/** Decision values against the recomputation from the returned parameters, relative to their scale. */
const DECISION_TOLERANCE = 1e-6;

interface Setup {
  readonly data: Dataset;
  readonly kernel: Kernel;
  readonly fit: Request;
}

async function setUp(ctx: ImplWorkloadContext, kernelType: 'linear' | 'rbf'): Promise<Setup> {
  const { rows, cols } = ctx.size;
  if (!(rows > 0) || !(cols > 0))
    throw new Error(`svm workloads need sizes { rows, cols }, got ${JSON.stringify(ctx.size)}`);
  const data = logisticData(rows, cols, ctx.seeds.data);
  // gamma = 'scale' as ours (and sklearn's) resolve it, sent as a number.
  const kernel = svmConfig(data, { kernel: kernelType }).kernel;
  const X = await ctx.session.load(data.x, [rows, cols]);
  const y = await ctx.session.load(signs(data.y), [rows]);
  const params = {
    C,
    kernel: kernel.type,
    ...(kernel.type === 'rbf' ? { gamma: kernel.gamma } : {}),
    tol: RELATIVE_GAP_TARGET,
  };
  return { data, kernel, fit: { op: 'fit', model: 'svm', X, y, params } };
}

function fitWorkload(kernelType: 'linear' | 'rbf'): ImplWorkload {
  return {
    name: `fit-${kernelType}`,
    description:
      `fit, ${kernelType} kernel, C = 1` +
      `${kernelType === 'rbf' ? ', gamma = 1 / (cols * var(X))' : ''}, tol ` +
      `1e-3 (the harness asks for a relative primal excess of at most 1e-3)`,
    async prepare(ctx) {
      const s = await setUp(ctx, kernelType);
      return {
        request: s.fit,
        workPerRun: s.data.rows,
        workUnit: 'rows/s',
        async judge(answer): Promise<ObjectiveCheck> {
          const p = problem(s.data, C, s.kernel);
          const P = primalOf(p, parseAnswer(answer, s.data));
          const best = await referencePrimal(await ctx.reference(), s.data, C, s.kernel);
          const excess = (P - best) / Math.abs(best);
          const passed = excess <= RELATIVE_GAP_TARGET;
          return {
            objectiveName: 'P',
            atOptimum: true,
            modelValue: P,
            oracleValue: best,
            relError: Math.max(excess, 0),
            tolerance: RELATIVE_GAP_TARGET,
            passed,
            iterations: typeof answer.iterations === 'number' ? answer.iterations : undefined,
            note: passed
              ? undefined
              : `primal ${P.toPrecision(8)} is ${excess.toExponential(2)} above our ` +
                `reference optimum ${best.toPrecision(8)} (limit ${RELATIVE_GAP_TARGET}` +
                `)`,
          };
        },
      };
    },
  };
}

function decisionWorkload(kernelType: 'linear' | 'rbf'): ImplWorkload {
  return {
    name: `decision-${kernelType}`,
    description: `decision_function on every training row after an untimed ${kernelType} fit`,
    async prepare(ctx) {
      const s = await setUp(ctx, kernelType);
      const fitted = parseAnswer(await ctx.session.request(s.fit), s.data);
      const X = await ctx.session.load(s.data.x, [s.data.rows, s.data.cols]);
      return {
        request: { op: 'decision_function', model: 'svm', X },
        workPerRun: s.data.rows,
        workUnit: 'rows/s',
        async judge(answer): Promise<ObjectiveCheck> {
          const scores = numbers(answer, 'scores', s.data.rows);
          const rows = Array.from({ length: s.data.rows }, (_, i) =>
            Array.from(s.data.x.subarray(i * s.data.cols, (i + 1) * s.data.cols)),
          );
          const want = decisionsFromParameters(problem(s.data, C, s.kernel), fitted, rows);
          let worst = 0;
          let scale = 0;
          want.forEach((w, i) => {
            worst = Math.max(worst, Math.abs(scores[i] - w));
            scale = Math.max(scale, Math.abs(w));
          });
          const rel = worst / Math.max(scale, 1e-300);
          const passed = rel <= DECISION_TOLERANCE;
          return {
            objectiveName: 'max |f| of the decision values',
            modelValue: Math.max(...scores.map(Math.abs)),
            oracleValue: scale,
            relError: rel,
            tolerance: DECISION_TOLERANCE,
            passed,
            note: passed
              ? undefined
              : `scores differ from its own parameters' decision values by ${rel.toExponential(2)} of their scale`,
          };
        },
      };
    },
  };
}

export const SVM_IMPL_WORKLOADS: readonly ImplWorkload[] = [
  fitWorkload('linear'),
  fitWorkload('rbf'),
  decisionWorkload('linear'),
  decisionWorkload('rbf'),
];
