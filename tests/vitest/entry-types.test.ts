// The published `modelbench/vitest` entry: its types are tsc's declarations of src/vitest/conformance.ts
// (built by prepack into dist/types from tsconfig.declarations.json; consumer.slow.test.ts type-checks a
// user's file against the packed ones), and its run-time entry (entry.mjs) exports what that declares.
import { expect, expectTypeOf, it } from 'vitest';
// What the declarations of `modelbench/vitest` are generated from (package.json "exports" "./vitest" "types").
import type * as Entry from '../../src/vitest/conformance.js';
import * as Conformance from '../../src/vitest/conformance.js';

it('the declarations of modelbench/vitest come from src/vitest/conformance.ts, and its entry exports what it declares', async () => {
  expectTypeOf<Entry.ConformanceOptions>().toEqualTypeOf<Conformance.ConformanceOptions>();
  expectTypeOf<typeof Entry.describeConformance>().toEqualTypeOf<typeof Conformance.describeConformance>();
  // The entry loads the module through tsx, so its exports are other objects: compare names and kinds.
  const entry = (await import('../../src/vitest/entry.mjs' as string)) as Record<string, unknown>;
  const shape = (m: Record<string, unknown>) =>
    Object.keys(m)
      .sort()
      .map((k) => `${k}: ${typeof m[k]}`);
  expect(shape(entry)).toEqual(shape(Conformance as unknown as Record<string, unknown>));
  expect(entry.DEFAULT_TIMEOUT_SECONDS).toBe(Conformance.DEFAULT_TIMEOUT_SECONDS);
});
