// The protocol options of logreg requests (docs/protocol.md) that its checks must exercise.
import { isFitOf, paramsOf, type ProtocolOption } from '../protocol-option.js';

export const LOGREG_PROTOCOL_OPTIONS: readonly ProtocolOption[] = [
  {
    model: 'logreg',
    option: '"C": number (penalised)',
    asks: (r) => isFitOf('logreg', r) && typeof paramsOf(r).C === 'number',
  },
  { model: 'logreg', option: '"C": null (unpenalised)', asks: (r) => isFitOf('logreg', r) && paramsOf(r).C === null },
];
