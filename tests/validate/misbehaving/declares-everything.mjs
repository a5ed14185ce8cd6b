// A module that declares every logistic-regression check an expected failure and implements nothing
// else: it must not conform (an expected failure that does not answer is an error, and nothing passed).
const CHECKS = ['logreg-optimum-breast-cancer', 'logreg-optimum-raw-breast-cancer', 'logreg-optimum-generated', 'logreg-no-penalty', 'logreg-proba-consistent', 'logreg-extreme-inputs', 'logreg-deterministic', 'logreg-label-flip', 'logreg-row-permutation', 'logreg-intercept-unpenalised'];

export function hello() {
  return { name: 'declares everything', version: '0', models: ['logreg'], expected_failures: Object.fromEntries(CHECKS.map((c) => [c, 'not written yet'])) };
}
