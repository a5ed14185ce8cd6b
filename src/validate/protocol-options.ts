// Every option the protocol lets a caller ask of an implementation (docs/protocol.md), and how to tell
// from a request whether it asks for it. The option-to-check table in docs/protocol.md is built from
// the requests the checks really send (tests/validate/catalogue.slow.test.ts records them), so a check that
// stops exercising an option, or an option no check exercises, fails a test.
import { MODELS } from '../models/registry.js';
import type { ProtocolOption } from '../models/protocol-option.js';
import type { Request } from '../protocol/messages.js';

/** Every model's protocol options, in registry order. */
export function protocolOptions(): readonly ProtocolOption[] {
  return MODELS.flatMap((m) => m.protocolOptions ?? []);
}

/** How the table and the bug catalogue name an option. */
export const optionKey = (o: Pick<ProtocolOption, 'model' | 'option'>) => `${o.model} ${o.option}`;

/** The option-to-check table as docs/protocol.md carries it, from the requests each check sent and the
 *  planted bugs (by option key) that a check exercising the option catches. */
export function optionCoverageTable(
  sent: ReadonlyMap<string, readonly Request[]>,
  caughtBugs: ReadonlyMap<string, readonly string[]>,
): string {
  const lines = ['| model | option | checks that exercise it | planted bugs caught on it |', '|---|---|---|---|'];
  for (const o of protocolOptions()) {
    const checks = [...sent].filter(([, requests]) => requests.some((r) => o.asks(r))).map(([check]) => check);
    lines.push(
      `| ${o.model} | \`${o.option}\` | ${checks.join(', ') || '**none**'} | ` +
        `${(caughtBugs.get(optionKey(o)) ?? []).join(', ') || '**none**'} |`,
    );
  }
  return lines.join('\n');
}
