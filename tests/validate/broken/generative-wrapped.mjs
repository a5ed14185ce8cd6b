// Broken VAEs and GANs for the validate tests: modelbench's reference implementations with one answer
// corrupted the way a real bug would corrupt it. Correct with no switches on.
import reference from '../../../src/validate/reference-impl.ts';

const softplus = (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
/** sigma(l) rounded to float32, as a float32 implementation that takes the log of it has it. */
const sigmoid32 = (l) => Math.fround(1 / (1 + Math.exp(-l)));
const kl = (mu, logvar) => 0.5 * mu.reduce((s, m, k) => s + m * m + Math.exp(logvar[k]) - 1 - logvar[k], 0);

export function makeVae(bugs = {}) {
  async function fit(request) {
    const answer = await reference.fit(request);
    return bugs.traceIsLoss ? { elbo_trace: answer.elbo_trace.map((v) => -v) } : answer;
  }
  async function elbo(request) {
    const answer = await reference.elbo(request);
    if (bugs.bernoulliSwapped || bugs.bernoulliNaiveLog) return bernoulliElbo(request, answer);
    if (!bugs.klWrongSign && !bugs.klMissingHalf) return answer;
    const { mu, logvar } = await reference.encode(request);
    // Wrong sign: rec + KL = ELBO + 2 KL. Missing 1/2: rec - 2 KL = ELBO - KL.
    return { elbo: answer.elbo.map((e, i) => e + (bugs.klWrongSign ? 2 : -1) * kl(mu[i], logvar[i])) };
  }
  /** The ELBO with a Bernoulli log-likelihood written wrongly: x and 1 - x swapped, or log(sigma(l)) in float32. */
  async function bernoulliElbo(request, answer) {
    const { mu, logvar } = await reference.encode(request);
    const Z = mu.map((m, i) => m.map((v, k) => v + Math.exp(0.5 * logvar[i][k]) * request.eps[i][k]));
    const decoded = await reference.decode({ Z });
    if (!decoded.logits) return answer;
    const logLikelihood = (x, logits) =>
      logits.reduce((s, l, j) => {
        if (bugs.bernoulliSwapped) return s - (1 - x[j]) * softplus(-l) - x[j] * softplus(l);
        const p = sigmoid32(l);
        return s + x[j] * Math.log(p) + (1 - x[j]) * Math.log(Math.fround(1 - p));
      }, 0);
    return { elbo: request.X.map((x, i) => logLikelihood(x, decoded.logits[i]) - kl(mu[i], logvar[i])) };
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
    // The generator keeps its initial weights whatever the steps (its discriminator stays fresh too:
    // training it would not move the generator, and would only cost the test time).
    await reference.fit({ ...request, params: { ...request.params, steps: 0 } });
    return { value_trace: [] };
  }
  async function discriminate(request) {
    const answer = await reference.discriminate(request);
    return bugs.discriminatorReportsFake ? { logits: answer.logits.map((l) => -l) } : answer;
  }
  async function value(request) {
    if (bugs.naiveLogSigmoid) {
      // log D(x) as log(sigma(l)) in float32: -inf once sigma rounds to 0 or 1.
      const real = (await reference.discriminate(request)).logits;
      const fake = (await reference.discriminate({ X: (await reference.generate({ Z: request.Z })).X })).logits;
      const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
      return { value: mean(real.map((l) => Math.log(sigmoid32(l)))) + mean(fake.map((l) => Math.log(Math.fround(1 - sigmoid32(l))))) };
    }
    if (!bugs.valueSwapped) return reference.value(request);
    // mean log(1 - D(x)) + mean log D(G(z)): the two terms' roles swapped.
    const real = (await reference.discriminate(request)).logits;
    const fake = (await reference.discriminate({ X: (await reference.generate({ Z: request.Z })).X })).logits;
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
