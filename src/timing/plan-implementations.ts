// Which implementations a run times, on which cells: the suite's bundled ones and every --impl
// NAME=TARGET (or a bundled NAME alone). Each is asked hello once, up front, so that what it offers
// picks its cells and one that cannot start or cannot run here still gets rows that say why.
import type { PlannedImplementation } from './run-suite.js';
import type { Cell, Suite } from './suite.js';
import { UsageError, CannotStart } from '../errors.js';
import { printable } from '../printable.js';
import { sayHello } from '../protocol/session.js';
import { bundledByName } from '../protocol/bundled.js';
import { offers } from './impl-cell.js';
import type { Implementation } from '../protocol/implementation.js';

export async function planImplementations(
  impls: readonly Implementation[],
  suite: Suite,
  models: readonly string[],
  log: (line: string) => void,
): Promise<PlannedImplementation[]> {
  const names = new Set<string>();
  const out: PlannedImplementation[] = [];
  for (const impl of impls) {
    if (names.has(impl.name))
      throw new UsageError(`--impl: the name '${impl.name}' is given twice; each implementation needs its own name`);
    names.add(impl.name);
    const listed = suite.implementations.find((s) => s.name === impl.name)?.cells;
    const candidates = (listed ?? suite.cells).filter((c) => models.includes(c.model));
    const bundled = bundledByName(impl.name);
    let hello;
    try {
      hello = await sayHello(impl, log);
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
      throw new UsageError(
        `--impl ${impl.name}: it offers ` +
          `${hello.models.join(', ') || 'no models'}` +
          `${hello.workloads ? ` (workloads ${JSON.stringify(hello.workloads)})` : ''}` +
          `, and suite ${suite.name} has no such cells for --models ` +
          `${models.join(',')}: choose another --suite or --models`,
      );
    }
    out.push({ impl, cells });
  }
  return out;
}
