// A twin over several seeds, for the long wasm twins: a float32 event (an entry that rounding tips one way on one
// side and the other way on the other) falls where the host's kernels put it, so no one seed is trusted alone.
import assert from 'node:assert/strict';
import { firstDivergence, runTwin, TWIN_TOLERANCE, type TwinProblem, type TwinReport } from '../../src/models/twin.js';
import type { ImplSession } from '../../src/protocol/workload-types.js';
import type { Tf } from '../../src/types.js';
import { describeRow } from './twin-peer.js';

/**
 * Runs the twin of every seed; `early` checks what every seed must hold (a difference of algorithm shows from its
 * first steps). Then at least one seed must agree within the tolerance for all its steps.
 */
export async function assertOneSeedAgrees(
  tf: Tf,
  session: () => ImplSession,
  seeds: readonly number[],
  problem: (seed: number) => TwinProblem,
  early: (report: TwinReport, seed: number) => void,
): Promise<void> {
  const firsts = [];
  for (const seed of seeds) {
    const p = problem(seed);
    const report = await runTwin(tf, session(), p);
    assert.equal(report.error, undefined, report.error);
    assert.equal(report.rows.length, p.steps);
    early(report, seed);
    firsts.push(firstDivergence(report, TWIN_TOLERANCE));
  }
  const all = firsts.map((f, i) => `seed ${seeds[i]}: ${f ? describeRow(f) : 'none'}`).join('; ');
  assert.ok(firsts.some((f) => f === undefined), `every seed parted within its steps: ${all}`);
}
