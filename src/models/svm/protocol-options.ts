// The protocol options of svm requests (docs/protocol.md) that its checks must exercise.
import { isFitOf, paramsOf, type ProtocolOption } from '../protocol-option.js';

export const SVM_PROTOCOL_OPTIONS: readonly ProtocolOption[] = [
  {
    model: 'svm',
    option: '"C": number (soft margin)',
    asks: (r) => isFitOf('svm', r) && typeof paramsOf(r).C === 'number',
  },
  { model: 'svm', option: '"C": null (hard margin)', asks: (r) => isFitOf('svm', r) && paramsOf(r).C === null },
  { model: 'svm', option: '"kernel": "linear"', asks: (r) => isFitOf('svm', r) && paramsOf(r).kernel === 'linear' },
  {
    model: 'svm',
    option: '"kernel": "rbf" with "gamma"',
    asks: (r) => isFitOf('svm', r) && paramsOf(r).kernel === 'rbf' && typeof paramsOf(r).gamma === 'number',
  },
];
