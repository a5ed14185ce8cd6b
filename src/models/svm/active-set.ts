// The exact SVM optimum from a guess of its sets: with the bounded rows fixed (alpha = C), the free
// rows on their margins and the equality exact (polish.ts's solveFree), then every row on the wrong
// side moved at once — a free alpha outside [0, C] to the bound it crossed, a row at 0 inside its
// margin or a row at C outside it into the free set — and solved again, until no row moves. From
// a near guess (a smoothed solution's band) that takes a few rounds; the result is the optimum to
// round-off, which the caller's certificate then shows.
import { decisionsAt, solveFree } from './polish.js';
import type { SvmProblem } from './objective.js';

/** A margin counts as on the wrong side beyond this (margins are measured against 1). */
const MARGIN_TOLERANCE = 1e-12;

export interface ActiveSetResult {
  readonly alpha: Float64Array;
  readonly bias: number;
  readonly rounds: number;
}

/**
 * From alpha's sets (free: 0 < alpha < C, upper: alpha = C); undefined when `maxRounds` pass with
 * rows still moving, or the free set outgrows `maxFree` (moving every violator at once can swing
 * far from a guess that is not near enough, and each round factors a |F|-square matrix).
 */
export function activeSetSolve(
  p: SvmProblem,
  start: Float64Array,
  maxRounds: number,
  maxFree: number,
): ActiveSetResult | undefined {
  const side = Int8Array.from(start, (a) => (a >= p.C ? 1 : a > 0 ? 0 : -1));
  const all = Array.from({ length: p.rows }, (_, i) => i);
  for (let round = 1; round <= maxRounds; round++) {
    const free = all.filter((i) => side[i] === 0);
    if (free.length > maxFree) return undefined;
    const upper = all.filter((i) => side[i] === 1);
    const { beta, bias } = solveFree(p, free, upper);
    const alpha = new Float64Array(p.rows);
    for (const j of upper) alpha[j] = p.C;
    free.forEach((i, a) => (alpha[i] = beta[a] * p.t[i]));
    const f = decisionsAt(p, alpha, bias, all);
    let moved = 0;
    for (let i = 0; i < p.rows; i++) {
      const margin = p.t[i] * f[i];
      if (side[i] === 0 && alpha[i] < 0) side[i] = -1;
      else if (side[i] === 0 && alpha[i] > p.C) side[i] = 1;
      else if (side[i] === -1 && margin < 1 - MARGIN_TOLERANCE) side[i] = 0;
      else if (side[i] === 1 && margin > 1 + MARGIN_TOLERANCE) side[i] = 0;
      else continue;
      moved++;
    }
    if (moved === 0) return { alpha, bias, rounds: round };
  }
  return undefined;
}
