// The protocol options of vae requests (docs/protocol.md) that its checks must exercise.
import { isFitOf, paramsOf, type ProtocolOption } from '../protocol-option.js';

export const VAE_PROTOCOL_OPTIONS: readonly ProtocolOption[] = [
  {
    model: 'vae',
    option: '"likelihood": "gaussian"',
    asks: (r) => isFitOf('vae', r) && paramsOf(r).likelihood === 'gaussian',
  },
  {
    model: 'vae',
    option: '"likelihood": "bernoulli"',
    asks: (r) => isFitOf('vae', r) && paramsOf(r).likelihood === 'bernoulli',
  },
];
