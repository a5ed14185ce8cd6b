import { makeVae } from './generative-wrapped.mjs';

export const { hello, fit, elbo, encode, decode } = makeVae({ bernoulliSwapped: true });
