// Tolerances for comparing a backend's result with a float64 oracle, as tfjs itself does
// (tfjs-core/src/test_util.ts testEpsilon): float32 at 1e-3 relative (a float16 backend such as
// webgl on some devices would need 1e-1; none of ours computes in float16).
export const FLOAT32_RELATIVE_TOLERANCE = 1e-3;
