// The only list of models. Adding one: a folder under models/ exporting a ModelSpec, and a line here —
// or, from outside this repository, a module named in MODELBENCH_MODELS whose default export is a
// ModelSpec (or a list of them): every process of a run (the command, its cell workers, the reference
// implementation behind the protocol) registers it the same way (docs/architecture.md).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import type { ModelSpec } from './spec.js';
import { logisticRegression } from './logistic-regression/index.js';
import { svm } from './svm/index.js';
import { gan } from './gan/index.js';
import { vae } from './vae/index.js';

const registered: ModelSpec[] = [logisticRegression, svm, vae, gan];

/** Every model this process knows, ours first; it grows when a model module is registered. */
export const MODELS: readonly ModelSpec[] = registered;

/** Colon-separated paths of modules whose default export is a ModelSpec or a list of them. */
export const MODEL_MODULES_ENV = 'MODELBENCH_MODELS';

export function modelByName(name: string): ModelSpec | undefined {
  return MODELS.find((m) => m.name === name);
}

/** What a model from outside must have; undefined when it has it. */
function specProblem(spec: Partial<ModelSpec> | undefined): string | undefined {
  if (!spec || typeof spec !== 'object') return 'not a ModelSpec object';
  if (typeof spec.name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(spec.name))
    return `name ${JSON.stringify(spec.name)} must be lower-case letters, digits and '-'`;
  for (const field of ['workloads', 'implWorkloads'] as const) {
    if (!Array.isArray(spec[field])) return `model '${spec.name}': '${field}' must be a list (it may be empty)`;
  }
  if (typeof spec.fit !== 'function' || typeof spec.judge !== 'function')
    return `model '${spec.name}' needs fit() and judge()`;
  return undefined;
}

/** Adds a model to this process's registry; a second model of the same name is refused. */
export function registerModel(spec: ModelSpec): void {
  const problem = specProblem(spec);
  if (problem) throw new UsageError(`registerModel: ${problem}`);
  if (modelByName(spec.name)) throw new UsageError(`registerModel: a model named '${spec.name}' is already registered`);
  registered.push(spec);
}

/** Registers the models of the modules in MODELBENCH_MODELS (each once, however often it is asked). */
export async function loadModelModules(list: string | undefined = process.env[MODEL_MODULES_ENV]): Promise<void> {
  for (const file of (list ?? '').split(path.delimiter).filter(Boolean)) {
    let mod: { default?: ModelSpec | ModelSpec[] };
    try {
      mod = (await import(pathToFileURL(path.resolve(file)).href)) as typeof mod;
    } catch (e) {
      throw new UsageError(
        `${MODEL_MODULES_ENV}: cannot load ${file}: ` +
          `${(e as Error).message.split('\n')[0]}; give the path of a module ` +
          `whose default export is a ModelSpec`,
      );
    }
    for (const spec of [mod.default ?? []].flat()) {
      if (modelByName((spec as ModelSpec).name) === spec) continue;
      registerModel(spec as ModelSpec);
    }
  }
}
