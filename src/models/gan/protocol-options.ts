// The protocol options of gan requests (docs/protocol.md) that its checks must exercise.
import { isFitOf, paramsOf, type ProtocolOption } from '../protocol-option.js';

export const GAN_PROTOCOL_OPTIONS: readonly ProtocolOption[] = [
  {
    model: 'gan',
    option: '"loss": "nonsaturating"',
    asks: (r) => isFitOf('gan', r) && (paramsOf(r).loss ?? 'nonsaturating') === 'nonsaturating',
  },
  { model: 'gan', option: '"loss": "minimax"', asks: (r) => isFitOf('gan', r) && paramsOf(r).loss === 'minimax' },
];
