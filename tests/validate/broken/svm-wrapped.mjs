// Broken SVMs for the validate tests: modelbench's reference SVM with one answer corrupted the way a
// real bug would corrupt it. Correct with no switches on.
import reference from '../../../src/validate/reference-impl.ts';

export function makeSvm(bugs = {}) {
  let labels;
  async function fit(request) {
    labels = request.y;
    let params = bugs.ignoresGamma && request.params.kernel === 'rbf' ? { ...request.params, gamma: 1 } : request.params;
    if (bugs.ignoresNullC && params.C === null) params = { ...params, C: 1 };
    const answer = await reference.fit({ ...request, params });
    if (bugs.hingeMarginZero) {
      // min 1/2||w||^2 + C sum max(0, -t f) is solved by w = 0, b = 0: what such a solver returns.
      return { bias: 0, weights: new Array(request.X[0].length).fill(0), dual_coef: [], support: [] };
    }
    const out = { ...answer };
    if (bugs.dualCoefWithoutLabels) out.dual_coef = answer.dual_coef.map(Math.abs);
    if (bugs.wrongBiasSign) out.bias = -answer.bias;
    return out;
  }
  async function decision_function(request) {
    if (bugs.hingeMarginZero) return { scores: request.X.map(() => 0) };
    return reference.decision_function(request);
  }
  return { hello: () => ({ name: `wrapped-svm (${Object.keys(bugs).join(', ') || 'correct'})`, version: '1', models: ['svm'] }), fit, decision_function };
}
