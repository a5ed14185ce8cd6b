// A module implementation that answers hello, then holds on to ever more memory when asked to fit.
export function hello() {
  return { name: 'memory hog', version: '0', models: ['logreg'] };
}

export function fit() {
  const hoard = [];
  for (;;) hoard.push(new Array(1e6).fill({ a: hoard.length }));
}
