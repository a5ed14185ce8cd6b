// Every option the protocol lets a caller ask of an implementation (docs/protocol.md), and how to tell
// from a request whether it asks for it. The option-to-check table in docs/protocol.md is built from
// the requests the checks really send (tests/validate/catalogue.slow.test.ts records them), so a check that
// stops exercising an option, or an option no check exercises, fails a test.
import type { Request } from '../protocol/messages.js';

export interface ProtocolOption {
  readonly model: string;
  /** As docs/protocol.md writes it, e.g. `likelihood: "bernoulli"`. */
  readonly option: string;
  /** Whether this request asks for the option. */
  asks(request: Request): boolean;
}

const params = (r: Request): Record<string, unknown> => (r.params ?? {}) as Record<string, unknown>;
const fit = (model: string, r: Request) => r.op === 'fit' && r.model === model;

export const PROTOCOL_OPTIONS: readonly ProtocolOption[] = [
  { model: 'logreg', option: '"C": number (penalised)', asks: (r) => fit('logreg', r) && typeof params(r).C === 'number' },
  { model: 'logreg', option: '"C": null (unpenalised)', asks: (r) => fit('logreg', r) && params(r).C === null },
  { model: 'svm', option: '"C": number (soft margin)', asks: (r) => fit('svm', r) && typeof params(r).C === 'number' },
  { model: 'svm', option: '"C": null (hard margin)', asks: (r) => fit('svm', r) && params(r).C === null },
  { model: 'svm', option: '"kernel": "linear"', asks: (r) => fit('svm', r) && params(r).kernel === 'linear' },
  { model: 'svm', option: '"kernel": "rbf" with "gamma"', asks: (r) => fit('svm', r) && params(r).kernel === 'rbf' && typeof params(r).gamma === 'number' },
  { model: 'vae', option: '"likelihood": "gaussian"', asks: (r) => fit('vae', r) && params(r).likelihood === 'gaussian' },
  { model: 'vae', option: '"likelihood": "bernoulli"', asks: (r) => fit('vae', r) && params(r).likelihood === 'bernoulli' },
  { model: 'gan', option: '"loss": "nonsaturating"', asks: (r) => fit('gan', r) && (params(r).loss ?? 'nonsaturating') === 'nonsaturating' },
  { model: 'gan', option: '"loss": "minimax"', asks: (r) => fit('gan', r) && params(r).loss === 'minimax' },
];

/** The option-to-check table as docs/protocol.md carries it, from the requests each check sent. */
export const optionKey = (o: Pick<ProtocolOption, 'model' | 'option'>) => `${o.model} ${o.option}`;

/** The option-to-check table as docs/protocol.md carries it, from the requests each check sent and the
 *  planted bugs (by option key) that a check exercising the option catches. */
export function optionCoverageTable(sent: ReadonlyMap<string, readonly Request[]>, caughtBugs: ReadonlyMap<string, readonly string[]>): string {
  const lines = ['| model | option | checks that exercise it | planted bugs caught on it |', '|---|---|---|---|'];
  for (const o of PROTOCOL_OPTIONS) {
    const checks = [...sent].filter(([, requests]) => requests.some((r) => o.asks(r))).map(([check]) => check);
    lines.push(`| ${o.model} | \`${o.option}\` | ${checks.join(', ') || '**none**'} | ${(caughtBugs.get(optionKey(o)) ?? []).join(', ') || '**none**'} |`);
  }
  return lines.join('\n');
}
