// Fits, then never answers predict_proba.
export const hello = () => ({ name: 'hangs', version: '1', models: ['logreg'], workloads: { logreg: ['predict'] } });
export const fit = ({ X }) => ({ weights: X[0].map(() => 0), bias: 0 });
export const predict_proba = () => new Promise(() => {});
