// A broken toy-mean implementation: the mean over n - 1 (a classic off-by-one), which the check catches.
export function hello() {
  return { name: 'toy-mean-off-by-one', version: '1', models: ['toy-mean'] };
}

export function fit(request) {
  const values = request.X.map((row) => row[0]);
  return { mean: values.reduce((s, v) => s + v, 0) / (values.length - 1) };
}
