// The hand-written types of the published entry (src/vitest/entry.d.ts, for users' TypeScript) must
// stay those of the implementation (src/vitest/conformance.ts): checked by tsc and at run time.
import { expect, expectTypeOf, it } from 'vitest';
import type * as Entry from '../../src/vitest/entry.js';
import * as Conformance from '../../src/vitest/conformance.js';

it('src/vitest/entry.d.ts declares what src/vitest/conformance.ts implements', async () => {
  expectTypeOf<Entry.ConformanceOptions>().toEqualTypeOf<Conformance.ConformanceOptions>();
  expectTypeOf<typeof Entry.describeConformance>().toEqualTypeOf<typeof Conformance.describeConformance>();
  // The entry loads the module through tsx, so its exports are other objects: compare names and kinds.
  const entry = (await import('../../src/vitest/entry.mjs' as string)) as Record<string, unknown>;
  const shape = (m: Record<string, unknown>) => Object.keys(m).sort().map((k) => `${k}: ${typeof m[k]}`);
  expect(shape(entry)).toEqual(shape(Conformance as unknown as Record<string, unknown>));
  expect(entry.DEFAULT_TIMEOUT_SECONDS).toBe(Conformance.DEFAULT_TIMEOUT_SECONDS);
});
