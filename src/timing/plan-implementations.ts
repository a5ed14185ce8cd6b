// Which implementations a run times, on which cells: the suite's bundled ones and every --impl
// NAME=TARGET (or a bundled NAME alone). Each is asked hello once, up front, so that what it offers
// picks its cells and one that cannot start or cannot run here still gets rows that say why.
import type { PlannedImplementation } from './run-suite.js';
import type { Cell, Suite } from './suite.js';
import { UsageError, CannotStart } from '../errors.js';
import type { Limits } from '../protocol/client.js';
import { printable } from '../printable.js';
import { sayHello } from '../validate/run.js';
import { BUNDLED, bundledByName } from '../protocol/bundled.js';
import { offers, type ImplUnderTest } from './impl-cell.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** --impl NAME=TARGET or a bundled NAME; names must be unique and not shadow a bundled one with another target. */
export function parseImplOption(value: string, limits: Limits): ImplUnderTest {
  const eq = value.indexOf('=');
  if (eq < 0) {
    const bundled = bundledByName(value);
    if (!bundled) throw new UsageError(`--impl ${value}: give NAME=TARGET (a .mjs/.js/.ts module or a command), or a bundled implementation: ${BUNDLED.map((b) => b.name).join(', ')}`);
    return { name: bundled.name, target: bundled.target, limits: { ...limits, env: { ...bundled.env, ...limits.env } } };
  }
  const name = value.slice(0, eq);
  const target = value.slice(eq + 1).trim();
  if (!NAME.test(name)) throw new UsageError(`--impl ${value}: the name '${name}' must be letters, digits, '.', '_' or '-' (it becomes the rows' implementation column)`);
  if (name === 'modelbench') throw new UsageError(`--impl ${value}: 'modelbench' names our own rows; choose another name`);
  if (!target) throw new UsageError(`--impl ${value}: no TARGET after '='; give a module path or a command such as "python3 my_impl.py"`);
  const bundled = bundledByName(name);
  // Rows are labelled by name: another target under a bundled name would pass its results off as the bundled one's.
  if (bundled && bundled.target !== target) throw new UsageError(`--impl ${value}: '${name}' is a bundled implementation; give yours another NAME (or --impl ${name} alone for the bundled one)`);
  return { name, target, limits };
}

export async function planImplementations(impls: readonly ImplUnderTest[], suite: Suite, models: readonly string[], log: (line: string) => void): Promise<PlannedImplementation[]> {
  const names = new Set<string>();
  const out: PlannedImplementation[] = [];
  for (const impl of impls) {
    if (names.has(impl.name)) throw new UsageError(`--impl: the name '${impl.name}' is given twice; each implementation needs its own name`);
    names.add(impl.name);
    const listed = suite.implementations.find((s) => s.name === impl.name)?.cells;
    const candidates = (listed ?? suite.cells).filter((c) => models.includes(c.model));
    const bundled = bundledByName(impl.name);
    let hello;
    try {
      hello = await sayHello(impl.target, impl.limits, log);
    } catch (e) {
      if (!(e instanceof CannotStart)) throw e;
      const cells = bundled ? candidates.filter((c) => bundled.models.includes(c.model)) : candidates;
      out.push({ impl, cells, blocked: { status: 'errored', error: printable(e.message) } });
      continue;
    }
    if (hello.unavailable) {
      const cells = candidates.filter((c) => (bundled?.models ?? hello.models).includes(c.model));
      out.push({ impl, cells, blocked: { status: 'unavailable', error: `${hello.unavailable}; fix: ${hello.fix}` } });
      continue;
    }
    const cells: Cell[] = candidates.filter((c) => offers(hello, c));
    if (cells.length === 0 && !bundled) {
      throw new UsageError(`--impl ${impl.name}: it offers ${hello.models.join(', ') || 'no models'}${hello.workloads ? ` (workloads ${JSON.stringify(hello.workloads)})` : ''}, and suite ${suite.name} has no such cells for --models ${models.join(',')}: choose another --suite or --models`);
    }
    out.push({ impl, cells });
  }
  return out;
}
