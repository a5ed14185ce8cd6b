import { makeGan } from './generative-wrapped.mjs';

export const { hello, fit, discriminate, value, generate, fit_discriminator } = makeGan({ naiveLogSigmoid: true });
