// Tolerances for comparing a backend's result with a float64 oracle, as tfjs itself does
// (tfjs-core/src/test_util.ts testEpsilon): float32 at 1e-3 relative, float16 at 1e-1.
export const FLOAT32_RELATIVE_TOLERANCE = 1e-3;
export const FLOAT16_RELATIVE_TOLERANCE = 1e-1;
