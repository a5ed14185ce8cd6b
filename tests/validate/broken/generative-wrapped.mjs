// Broken VAEs and GANs for the validate tests: modelbench's reference implementations with one answer
// corrupted the way a real bug would corrupt it. Correct with no switches on.
import * as reference from '../../../src/validate/reference-impl.ts';

const kl = (mu, logvar) => 0.5 * mu.reduce((s, m, k) => s + m * m + Math.exp(logvar[k]) - 1 - logvar[k], 0);

export function makeVae(bugs = {}) {
  async function fit(request) {
    const answer = await reference.fit(request);
    return bugs.traceIsLoss ? { elbo_trace: answer.elbo_trace.map((v) => -v) } : answer;
  }
  async function elbo(request) {
    const answer = await reference.elbo(request);
    if (!bugs.klWrongSign && !bugs.klMissingHalf) return answer;
    const { mu, logvar } = await reference.encode(request);
    // Wrong sign: rec + KL = ELBO + 2 KL. Missing 1/2: rec - 2 KL = ELBO - KL.
    return { elbo: answer.elbo.map((e, i) => e + (bugs.klWrongSign ? 2 : -1) * kl(mu[i], logvar[i])) };
  }
  return {
    hello: () => ({ name: `wrapped-vae (${Object.keys(bugs).join(', ') || 'correct'})`, version: '1', models: ['vae'] }),
    fit,
    elbo,
    encode: reference.encode,
    decode: reference.decode,
  };
}

export function makeGan(bugs = {}) {
  async function fit(request) {
    if (!bugs.generatorFrozen) return reference.fit(request);
    // Only the discriminator ever trains: the generator keeps its initial weights.
    await reference.fit({ ...request, params: { ...request.params, steps: 0 } });
    await reference.fit_discriminator({ ...request, params: { steps: request.params.steps, batch: request.params.batch } });
    return { value_trace: [] };
  }
  async function discriminate(request) {
    const answer = await reference.discriminate(request);
    return bugs.discriminatorReportsFake ? { logits: answer.logits.map((l) => -l) } : answer;
  }
  async function value(request) {
    if (!bugs.valueSwapped) return reference.value(request);
    // mean log(1 - D(x)) + mean log D(G(z)): the two terms' roles swapped.
    const real = (await reference.discriminate(request)).logits;
    const fake = (await reference.discriminate({ X: (await reference.generate({ Z: request.Z })).X })).logits;
    const softplus = (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    return { value: mean(real.map((l) => -softplus(l))) + mean(fake.map((l) => -softplus(-l))) };
  }
  return {
    hello: () => ({ name: `wrapped-gan (${Object.keys(bugs).join(', ') || 'correct'})`, version: '1', models: ['gan'] }),
    fit,
    discriminate,
    value,
    generate: reference.generate,
    fit_discriminator: reference.fit_discriminator,
  };
}
