import { makeSvm } from './svm-wrapped.mjs';

export const { hello, fit, decision_function } = makeSvm({ ignoresNullC: true });
