// Twin trajectories: ours and an implementation under test start from the same parameters and take
// the same K training steps on the same real batches and noise (handed over through the protocol:
// `init` with `parameters`, `train_steps` with `batches` and `noise`, a `parameters` read-back). Per
// step, the largest relative difference of every parameter tensor and of V says whether both run one
// algorithm: float32 rounding alone keeps them within about 1e-5 for tens of steps, a difference in
// the algorithm shows from step 1 at the size of the change. Nothing here is GAN-specific: a model
// describes its problem as a TwinProblem (the GAN's is in gan-twin.ts).
import type { ImplSession } from '../protocol/workload-types.js';
import { type Answer } from '../protocol/messages.js';
import { ImplementationError } from '../errors.js';
import type { Tf } from '../types.js';

export type ParameterValues = Readonly<Record<string, Float64Array>>;

/** A matrix of one step's inputs, row-major float32, as the implementation loads it. */
export interface TwinInput {
  readonly values: Float32Array;
  readonly shape: readonly [number, number];
}

export interface TwinStepper {
  /** One training step on the given inputs: V (or the model's objective) before the update, the parameters after. */
  step(inputs: Readonly<Record<string, TwinInput>>): Promise<{ value: number; parameters: ParameterValues }>;
  dispose(): void;
}

export interface TwinProblem {
  readonly model: string;
  /** The init request's params (architecture, Adam, loss), as the model's impl workloads send them. */
  readonly initParams: Readonly<Record<string, unknown>>;
  readonly initial: ParameterValues;
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  readonly steps: number;
  /** The field of train_steps's answer that holds the objective before the step (default "value"). */
  readonly valueField?: string;
  /** Rows of one batch: train_steps's `batch`. */
  readonly batch: number;
  /** Step k's inputs (k from 1), named as train_steps's fields. */
  inputs(step: number): Readonly<Record<string, TwinInput>>;
  /** Our side, from `initial`. */
  ours(tf: Tf): TwinStepper;
}

export interface TwinRow {
  readonly step: number;
  readonly value_ours: number;
  readonly value_theirs: number;
  /** |V ours - V theirs| / |V theirs|. */
  readonly value_rel: number;
  /** Per tensor, max |ours - theirs| over the largest |theirs| in its layer (a weight and its bias): a
   *  bias that starts at zero gets its layer's scale, so that a tiny entry makes no meaningless ratio. */
  readonly tensors: Readonly<Record<string, number>>;
  readonly worst_tensor: string;
  readonly worst_rel: number;
  /** max |ours - theirs| / max |theirs - initial| over all tensors: relative to how far training moved
   *  them, which shows a small change in the update (Adam's epsilon) that the tensor's scale hides. */
  readonly moved_rel: number;
  /** The largest over layers of ||ours - theirs|| / ||theirs|| (2-norm): one entry that rounding tipped
   *  (a ReLU input at zero, a gradient at Adam's epsilon) moves it little, a change to every update much. */
  readonly norm_rel: number;
}

/** One tensor of a fresh init on each side, from its own seed: the distributions compare, not the values. */
export interface InitRow {
  readonly tensor: string;
  readonly ours_sd: number;
  readonly theirs_sd: number;
  readonly ours_max: number;
  readonly theirs_max: number;
}

export interface TwinReport {
  readonly model: string;
  readonly steps: number;
  /** Each side's own initialisation (the twin steps then start both from ours). */
  readonly init: readonly InitRow[];
  readonly rows: readonly TwinRow[];
  /** The implementation's failure, at the step it happened: the rows before it stand. */
  readonly error?: string;
}

/** Avoids 0/0 for a tensor that is zero on both sides. */
const TINY = 1e-30;

interface Spread {
  readonly diff: number;
  readonly moved: number;
  /** sum (a - b)^2 and sum b^2, which add up over a layer */
  readonly d2: number;
  readonly b2: number;
}

/** max |a - b| and max |b - base| over the tensor, and the sums of the 2-norms. */
function spread(a: Float64Array, b: Float64Array, base: Float64Array): Spread {
  let diff = 0;
  let moved = 0;
  let d2 = 0;
  let b2 = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    moved = Math.max(moved, Math.abs(b[i] - base[i]));
    d2 += (a[i] - b[i]) ** 2;
    b2 += b[i] ** 2;
  }
  return { diff, moved, d2, b2 };
}

/** "g0.w" and "g0.b" are layer "g0". */
const layerOf = (tensor: string) => tensor.replace(/\.[^.]*$/, '');

function layerScales(p: ParameterValues): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, values] of Object.entries(p)) {
    let m = out.get(layerOf(name)) ?? 0;
    for (const v of values) m = Math.max(m, Math.abs(v));
    out.set(layerOf(name), m);
  }
  return out;
}

export function compareStep(
  step: number,
  ours: { value: number; parameters: ParameterValues },
  theirs: { value: number; parameters: ParameterValues },
  initial: ParameterValues,
): TwinRow {
  const tensors: Record<string, number> = {};
  const scales = layerScales(theirs.parameters);
  let worst = { name: '', rel: -1 };
  let maxDiff = 0;
  let maxMoved = 0;
  const sums = new Map<string, { d2: number; b2: number }>();
  for (const [name, mine] of Object.entries(ours.parameters)) {
    const s = spread(mine, theirs.parameters[name], initial[name]);
    const layer = sums.get(layerOf(name)) ?? { d2: 0, b2: 0 };
    sums.set(layerOf(name), { d2: layer.d2 + s.d2, b2: layer.b2 + s.b2 });
    tensors[name] = s.diff / Math.max(scales.get(layerOf(name))!, TINY);
    if (tensors[name] > worst.rel) worst = { name, rel: tensors[name] };
    maxDiff = Math.max(maxDiff, s.diff);
    maxMoved = Math.max(maxMoved, s.moved);
  }
  return {
    step,
    value_ours: ours.value,
    value_theirs: theirs.value,
    value_rel: Math.abs(ours.value - theirs.value) / Math.max(Math.abs(theirs.value), TINY),
    tensors,
    worst_tensor: worst.name,
    worst_rel: worst.rel,
    moved_rel: maxDiff / Math.max(maxMoved, TINY),
    norm_rel: Math.max(...[...sums.values()].map((x) => Math.sqrt(x.d2) / Math.max(Math.sqrt(x.b2), TINY))),
  };
}

/** A weight as rows of its [inputs, outputs] layout, a bias as a list: the JSON of `init`'s parameters. */
function nested(values: Float64Array, shape: readonly number[]): number[] | number[][] {
  if (shape.length === 1) return Array.from(values);
  const cols = shape[1];
  return Array.from({ length: shape[0] }, (_, r) => Array.from(values.subarray(r * cols, (r + 1) * cols)));
}

function parsedParameters(answer: Answer, shapes: TwinProblem['shapes']): ParameterValues {
  const given = answer.parameters;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new ImplementationError('the answer to `parameters` needs a "parameters" object: {name: nested list}');
  }
  const out: Record<string, Float64Array> = {};
  for (const [name, shape] of Object.entries(shapes)) {
    const flat = [(given as Record<string, unknown>)[name]].flat(2);
    const size = shape.reduce((a, b) => a * b, 1);
    if (flat.length !== size || !flat.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new ImplementationError(
        `parameters.${name}: needs ${size} finite numbers (shape ${shape.join(' x ')}), got ${flat.length} values`,
      );
    }
    out[name] = Float64Array.from(flat as number[]);
  }
  return out;
}

function finiteValue(answer: Answer, field: string): number {
  const v = answer[field];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ImplementationError(`train_steps: "${field}" must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

function sdAndMax(x: Float64Array): { sd: number; max: number } {
  let s = 0;
  let s2 = 0;
  let max = 0;
  for (const v of x) {
    s += v;
    s2 += v * v;
    max = Math.max(max, Math.abs(v));
  }
  const mean = s / x.length;
  return { sd: Math.sqrt(Math.max(0, s2 / x.length - mean * mean)), max };
}

/** The implementation's own fresh init beside ours: a different initial distribution shows here, as no
 *  twin step can show it (the steps start both sides from the same values). */
async function compareFreshInit(session: ImplSession, p: TwinProblem): Promise<InitRow[]> {
  await session.request({ op: 'init', model: p.model, params: p.initParams });
  const theirs = parsedParameters(await session.request({ op: 'parameters', model: p.model }), p.shapes);
  return Object.keys(p.shapes).map((tensor) => {
    const a = sdAndMax(p.initial[tensor]);
    const b = sdAndMax(theirs[tensor]);
    return { tensor, ours_sd: a.sd, theirs_sd: b.sd, ours_max: a.max, theirs_max: b.max };
  });
}

async function peerInit(session: ImplSession, p: TwinProblem): Promise<void> {
  const parameters = Object.fromEntries(
    Object.entries(p.shapes).map(([name, shape]) => [name, nested(p.initial[name], shape)]),
  );
  await session.request({ op: 'init', model: p.model, params: p.initParams, parameters });
}

async function peerStep(session: ImplSession, p: TwinProblem, inputs: Readonly<Record<string, TwinInput>>) {
  const handles: Record<string, unknown> = {};
  for (const [field, input] of Object.entries(inputs)) handles[field] = await session.load(input.values, input.shape);
  const value = finiteValue(
    await session.request({ op: 'train_steps', model: p.model, steps: 1, batch: p.batch, ...handles }),
    p.valueField ?? 'value',
  );
  return { value, parameters: parsedParameters(await session.request({ op: 'parameters', model: p.model }), p.shapes) };
}

/** K steps on both sides; an implementation's failure ends the report there, as its `error`. */
export async function runTwin(
  tf: Tf,
  session: ImplSession,
  p: TwinProblem,
  onRow?: (row: TwinRow) => void,
): Promise<TwinReport> {
  const rows: TwinRow[] = [];
  let init: InitRow[] = [];
  let stage = 'at its own init';
  const ours = p.ours(tf);
  try {
    init = await compareFreshInit(session, p);
    stage = 'at the init with our parameters';
    await peerInit(session, p);
    for (let step = 1; step <= p.steps; step++) {
      stage = `at step ${step}`;
      const inputs = p.inputs(step);
      const mine = await ours.step(inputs);
      const theirs = await peerStep(session, p, inputs);
      rows.push(compareStep(step, mine, theirs, p.initial));
      onRow?.(rows[rows.length - 1]);
    }
    return { model: p.model, steps: p.steps, init, rows };
  } catch (e) {
    if (e instanceof ImplementationError)
      return { model: p.model, steps: p.steps, init, rows, error: `${stage}: ${e.message}` };
    throw e;
  } finally {
    ours.dispose();
  }
}

/**
 * How far float32 twins may drift: each kernel rounds at 2^-24 (6e-8) and a step's gradient carries
 * about 1e-7 to 1e-6 of relative rounding, which Adam's division by sqrt(v) + eps amplifies in the
 * entries whose gradient is near eps. Measured on the anchor networks at batch 64 (docs/models.md):
 * ours on cpu against ours on wasm stay under 5e-6 for 80 steps, PyTorch float32 against float64
 * under 2e-6 for 25 steps; a change to the algorithm shows above it from the first steps (tfjs's
 * float32 bias correction: 6e-5 at step 1, 9e-4 at step 7).
 */
export const TWIN_TOLERANCE = 1e-5;

/** The first step whose parameters or V differ by more than `tolerance`, or undefined when none does. */
export function firstDivergence(report: TwinReport, tolerance: number): TwinRow | undefined {
  return report.rows.find((r) => r.worst_rel > tolerance || r.value_rel > tolerance);
}
