// modelbench's own reference implementations behind the validate protocol, as one JavaScript module:
// `modelbench validate --impl src/validate/reference-impl.ts` runs the same checks a user's code meets.
// Each op goes to the reference handler of the request's model (its folder's reference.ts); a request
// without a model goes to the one model whose handler answers that op.
import { loadModelModules, MODELS, modelByName } from '../models/registry.js';
import type { ReferenceHandler, Request } from '../models/reference-request.js';

function handlerFor(r: Request, op: string): ReferenceHandler | undefined {
  if (r.model !== undefined) return modelByName(r.model)?.reference;
  const answering = MODELS.filter((m) => m.reference?.[op]);
  return answering.length === 1 ? answering[0].reference : undefined;
}

async function answer(op: string, r: Request): Promise<unknown> {
  const handle = handlerFor(r, op)?.[op];
  if (!handle) return { error: `this reference implementation has no '${op}' for model ${JSON.stringify(r.model)}` };
  return handle(r);
}

// Models from outside (MODELBENCH_MODELS) are registered before the ops are listed: the module host
// reads this module's exports once.
await loadModelModules();

const api: Record<string, (r: Request) => unknown> = {
  hello: () => ({
    name: 'modelbench reference (tfjs wasm)',
    version: '0.1.0',
    models: MODELS.filter((m) => m.reference).map((m) => m.name),
  }),
};
for (const op of new Set(MODELS.flatMap((m) => Object.keys(m.reference ?? {})))) api[op] = (r) => answer(op, r);

/** One function per op (the module host calls the export named after each op). */
export default api;
