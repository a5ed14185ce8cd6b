// The layers of src/ (docs/architecture.md), from the ground up: a folder imports only from its own
// layer or the ones below it, and no run-time import closes a circle. `npm test` runs this
// (`npm run lint:layers`); a violation names both files.
const LAYERS = [
  { name: 'base', paths: ['src/(types|errors|seeds|layout|glob|source-key|format|printable|wasm-bytes)\\.ts$', 'src/(oracles|data|backends|optim)/'] },
  { name: 'results', paths: ['src/results/'] },
  { name: 'stats', paths: ['src/stats/'] },
  { name: 'protocol', paths: ['src/protocol/'] },
  { name: 'models', paths: ['src/models/'] },
  { name: 'validate', paths: ['src/validate/'] },
  { name: 'timing', paths: ['src/timing/'] },
  { name: 'gate', paths: ['src/gate/'] },
  { name: 'history', paths: ['src/history/'] },
  { name: 'present', paths: ['src/present/'] },
  { name: 'faces', paths: ['src/(cli|api|vitest|browser)/'] },
];

/** Imports allowed against the layers, each with its reason (docs/architecture.md lists them too). */
const EXCEPTIONS = [];

const anyOf = (paths) => `(${paths.join('|')})`;
const above = (i) => LAYERS.slice(i + 1).flatMap((l) => l.paths);

module.exports = {
  forbidden: [
    ...LAYERS.slice(0, -1).map((layer, i) => ({
      name: `layer-${layer.name}`,
      comment: `${layer.name} is below ${LAYERS.slice(i + 1).map((l) => l.name).join(', ')}: it must not import from them`,
      severity: 'error',
      from: { path: anyOf(layer.paths), pathNot: EXCEPTIONS.map((e) => e.from) },
      to: { path: anyOf(above(i)) },
    })),
    {
      name: 'no-circular',
      comment: 'a circle of run-time imports: one of its files belongs lower, or a shared part belongs in its own file',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
