// The conformance checks, per model: each model's own list (its folder's checks.ts), found through
// the model registry, so a model registered from outside brings its checks with it.
import type { Check } from '../models/check.js';
import { MODELS, modelByName } from '../models/registry.js';

/** The models that have conformance checks. */
export function validatedModels(): string[] {
  return MODELS.filter((m) => (m.checks ?? []).length > 0).map((m) => m.name);
}

/** The checks of one model (none for a model without any). */
export function checksOf(model: string): readonly Check[] {
  return modelByName(model)?.checks ?? [];
}

/** Every model's checks, in registry order. */
export function allChecks(): readonly Check[] {
  return MODELS.flatMap((m) => m.checks ?? []);
}
