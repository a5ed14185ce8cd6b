// The only list of models. Adding one: a folder under models/ exporting a ModelSpec, and a line here.
import type { ModelSpec } from './spec.js';
import { logisticRegression } from './logistic-regression/index.js';
import { svm } from './svm/index.js';
import { gan } from './gan/index.js';
import { vae } from './vae/index.js';

export const MODELS: readonly ModelSpec[] = [logisticRegression, svm, vae, gan];

export function modelByName(name: string): ModelSpec | undefined {
  return MODELS.find((m) => m.name === name);
}
