// The hand-written types of the published library entry (src/api/entry.d.ts, for users' TypeScript)
// must match what the implementation (src/api/api.ts) takes and returns: checked by tsc and at run time.
import { expect, expectTypeOf, it } from 'vitest';
import type * as Entry from '../../src/api/entry.js';
import * as Api from '../../src/api/api.js';

it('src/api/entry.d.ts declares what src/api/api.ts implements', async () => {
  expectTypeOf<Entry.RunOptions>().toMatchTypeOf<Api.RunOptions>();
  expectTypeOf<Entry.ValidateOptions>().toMatchTypeOf<Api.ValidateOptions>();
  expectTypeOf<Entry.CompareOptions>().toMatchTypeOf<Api.CompareOptions>();
  expectTypeOf<Entry.ReportOptions>().toMatchTypeOf<Api.ReportOptions>();
  expectTypeOf<Awaited<ReturnType<typeof Api.validate>>>().toMatchTypeOf<Entry.ValidateOutcome>();
  expectTypeOf<Awaited<ReturnType<typeof Api.report>>>().toMatchTypeOf<Entry.ReportOutcome>();
  // RunOutcome and CompareOutcome declare their rows loosely (a row is documented in docs/csv-columns.md).
  expectTypeOf<Awaited<ReturnType<typeof Api.run>>['code']>().toEqualTypeOf<Entry.RunOutcome['code']>();
  expectTypeOf<Awaited<ReturnType<typeof Api.compare>>['code']>().toEqualTypeOf<Entry.CompareOutcome['code']>();
  // The entry loads the module through tsx, so its exports are other objects: compare names and kinds.
  const entry = (await import('../../src/api/entry.mjs' as string)) as Record<string, unknown>;
  const shape = (m: Record<string, unknown>) => Object.keys(m).sort().map((k) => `${k}: ${typeof m[k]}`);
  expect(shape(entry)).toEqual(shape(Api as unknown as Record<string, unknown>));
});
