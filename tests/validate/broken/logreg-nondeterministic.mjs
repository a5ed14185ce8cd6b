import { makeLogreg } from './float64-logreg.mjs';

export const { hello, fit, predict_proba } = makeLogreg({nondeterministic:true});
