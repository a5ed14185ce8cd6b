// An option the protocol lets a caller ask of an implementation of a model (docs/protocol.md), and
// how to tell from a request whether it asks for it. Each model folder lists its own; the
// option-to-check table is built from the requests the checks really send.
import type { Request } from '../protocol/messages.js';

export interface ProtocolOption {
  readonly model: string;
  /** As docs/protocol.md writes it, e.g. `likelihood: "bernoulli"`. */
  readonly option: string;
  /** Whether this request asks for the option. */
  asks(request: Request): boolean;
}

/** The params of a request (an empty object when it has none). */
export const paramsOf = (r: Request): Record<string, unknown> => (r.params ?? {}) as Record<string, unknown>;

/** A fit request for `model`. */
export const isFitOf = (model: string, r: Request): boolean => r.op === 'fit' && r.model === model;
