// Exits in the middle of a fit.
export const hello = () => ({ name: 'dies', version: '1', models: ['logreg'], workloads: { logreg: ['fit-from-host'] } });
export const fit = () => process.exit(3);
