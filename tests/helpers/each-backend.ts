// One test body, every backend, in the spirit of tfjs's describeWithFlags: the body is written once
// and runs in a describe block per backend, with that backend's tolerance and a tensor-leak check
// after every test. cpu and wasm run everywhere (their absence fails the tests); webgpu runs where
// a GPU adapter exists and is reported as skipped, with the reason, where none does or where the only
// adapter is a software renderer (llvmpipe: minutes per logistic-regression fit, measured).
// MODELBENCH_TEST_BACKENDS=cpu,wasm,webgpu picks the list; a backend named there must be available,
// and runs even on a software renderer.
import { afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { backendByName } from '../../src/backends/registry.js';
import { type BackendRuntime, type Tf } from '../../src/types.js';
import { BackendUnavailable } from '../../src/errors.js';

/** Backends the tests run on by default, in order; those after the first two only when present. */
const DEFAULT_TEST_BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;
const ALWAYS_PRESENT = new Set(['cpu', 'wasm']);

export interface BackendUnderTest {
  readonly name: string;
  readonly tf: Tf;
  readonly runtime: BackendRuntime;
  /** Relative tolerance against a float64 oracle that this backend's arithmetic allows (tfjs's testEpsilon). */
  readonly tolerance: number;
}

export interface EachBackendOptions {
  /** Restrict the block to these backends (a constraint of the test, e.g. one that needs bitwise repeatability). */
  readonly only?: readonly string[];
  /** Skip the tensor-leak check (for a block whose tests keep tensors alive across tests on purpose). */
  readonly allowTensorsKept?: boolean;
}

function requested(): { names: string[]; explicit: boolean } {
  const text = process.env.MODELBENCH_TEST_BACKENDS;
  if (!text) return { names: [...DEFAULT_TEST_BACKENDS], explicit: false };
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !backendByName(n));
  if (unknown.length) throw new Error(`MODELBENCH_TEST_BACKENDS names unknown backend(s) ${unknown.join(', ')}: use names from \`modelbench backends\``);
  return { names, explicit: true };
}

/** The backends a block runs on, in the order of the list. */
export function testBackends(options: EachBackendOptions = {}): string[] {
  return requested().names.filter((n) => !options.only || options.only.includes(n));
}

export function describeEachBackend(title: string, body: (backend: BackendUnderTest) => void, options: EachBackendOptions = {}): void {
  const { explicit } = requested();
  for (const name of testBackends(options)) {
    describe(`${title} [${name}]`, () => {
      let active: { tf: Tf; runtime: BackendRuntime } | undefined;
      let unavailable: string | undefined;
      let tensorsBefore = 0;

      beforeAll(async () => {
        try {
          active = await backendByName(name)!.activate();
        } catch (e) {
          // A backend the user asked for, or one every machine has, must work: its absence is a failure.
          if (!(e instanceof BackendUnavailable) || explicit || ALWAYS_PRESENT.has(name)) throw e;
          unavailable = `${name} is not available here: ${e.reason} (${e.fix})`;
          return;
        }
        if (!explicit && !ALWAYS_PRESENT.has(name) && active.runtime.deviceKind !== 'gpu') {
          unavailable = `${name} runs on a software renderer here (${active.runtime.device}), not a GPU: MODELBENCH_TEST_BACKENDS=${name} runs it anyway`;
        }
      });

      beforeEach(async (ctx) => {
        if (unavailable) ctx.skip(unavailable);
        // Another block in this file may have switched tfjs to another backend since beforeAll.
        if (active!.tf.getBackend() !== name) await active!.tf.setBackend(name);
        tensorsBefore = active!.tf.memory().numTensors;
      });

      afterEach((ctx) => {
        if (!active || options.allowTensorsKept || ctx.task.result?.state === 'fail') return;
        const leaked = active.tf.memory().numTensors - tensorsBefore;
        if (leaked !== 0) throw new Error(`${leaked} tensor(s) leaked on ${name} by "${ctx.task.name}": dispose them or wrap the work in tf.tidy`);
      });

      const current = () => {
        if (!active) throw new Error(`the ${name} backend is not active: use it inside a test or hook, not while collecting`);
        return active;
      };
      body({
        name,
        get tf() {
          return current().tf;
        },
        get runtime() {
          return current().runtime;
        },
        get tolerance() {
          return current().runtime.relativeTolerance;
        },
      });
    });
  }
}
