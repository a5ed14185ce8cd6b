// A module that defers its work past the clock: each timed predict_proba answers at once with an
// object whose result appears only when it is serialised (toJSON), i.e. when the harness fetches it.
// Without a digest it would look hundreds of times faster than it is; with one, its fetched result
// is not the one it stood for when timed.
import * as honest from '../../../examples/ci-recipe/logreg.mjs';

export const hello = () => ({ name: 'defers', version: '1', models: ['logreg'], workloads: { logreg: ['predict'] } });
export const fit = honest.fit;
export const predict_proba = (request) => ({ toJSON: () => honest.predict_proba(request) });
