// The published library entry: its types are tsc's declarations of src/api/api.ts (built by prepack
// into dist/types from tsconfig.declarations.json; tests/vitest/consumer.slow.test.ts type-checks a
// user's file against the packed ones), so the module they are generated from must export the types a
// user names, and the run-time entry (src/api/entry.mjs) must export what that module declares.
import { expect, expectTypeOf, it } from 'vitest';
// What the declarations of `modelbench` are generated from (package.json "exports" "." "types").
import type * as Entry from '../../src/api/api.js';
import * as Api from '../../src/api/api.js';

it('the declarations of modelbench come from src/api/api.ts, and its entry exports what it declares', async () => {
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
  const shape = (m: Record<string, unknown>) =>
    Object.keys(m)
      .sort()
      .map((k) => `${k}: ${typeof m[k]}`);
  expect(shape(entry)).toEqual(shape(Api as unknown as Record<string, unknown>));
});
