// The backends compute in float32: data beyond its range cannot even be uploaded, and data whose
// squares or products overflow it (|x| beyond ~1e19) ruins every gradient. Both are the user's to
// fix by scaling, and must be said in those words rather than as a solver that did not converge.
import type { Dataset } from '../types.js';

export const FLOAT32_MAX = 3.4028234663852886e38;
/** Beyond this, x * x overflows float32 (sqrt(FLOAT32_MAX) ~ 1.8e19). */
export const FLOAT32_SAFE_MAGNITUDE = Math.sqrt(FLOAT32_MAX);

export interface RangeProblem {
  readonly column: string;
  readonly row: number;
  readonly value: number;
  /** 'overflows': not representable in float32 at all; 'products-overflow': representable, but its square is not. */
  readonly kind: 'overflows' | 'products-overflow';
}

/** The largest value, by magnitude, that float32 arithmetic cannot handle; undefined when all is well. */
export function float32RangeProblem(data: Dataset): RangeProblem | undefined {
  let worst = -1;
  for (let i = 0; i < data.x.length; i++)
    if (Math.abs(data.x[i]) > FLOAT32_SAFE_MAGNITUDE && (worst < 0 || Math.abs(data.x[i]) > Math.abs(data.x[worst])))
      worst = i;
  if (worst < 0) return undefined;
  const value = data.x[worst];
  return {
    column: data.featureNames[worst % data.cols] ?? `column ${(worst % data.cols) + 1}`,
    row: Math.floor(worst / data.cols),
    value,
    kind: Math.abs(value) > FLOAT32_MAX ? 'overflows' : 'products-overflow',
  };
}

export function describeRangeProblem(p: RangeProblem, source: string): string {
  const what =
    p.kind === 'overflows'
      ? `beyond float32's range (${FLOAT32_MAX.toExponential(2)})`
      : `so large that its square overflows float32 (max ${FLOAT32_MAX.toExponential(2)})`;
  return (
    `${source}: column '${p.column}', data row ${p.row + 1} holds ` +
    `${p.value}, ${what}; the backends compute in float32: scale the ` +
    `column (for example z-score it) and fit again`
  );
}
