// The GAN as `fit --impl` trains it on an implementation under test: the same data, architecture,
// Adam settings, generator loss and number of steps as our fit, through the protocol (init, one
// train_steps request for all the steps), then the same evaluation noise through `generate`, and the
// modes counted by the harness exactly as for ours.
import type { ImplSession } from '../../protocol/workload-types.js';
import { deriveSeed, Rng, type Seeds } from '../../seeds.js';
import type { Dataset } from '../../types.js';
import { matrix } from '../../protocol/messages.js';
import { drawRows } from './data.js';
import { noise } from './model.js';
import { modeCoverage } from './objective.js';
import type { GanTrainConfig } from './train.js';
import { ganInitParams } from './init-params.js';

export async function ganPeerFit(
  session: ImplSession,
  data: Dataset,
  config: GanTrainConfig,
  seeds: Seeds,
): Promise<Record<string, number>> {
  const { architecture: a, training: t } = config;
  if (t.dSteps !== 1)
    throw new Error(
      `--d-steps ${t.dSteps}: the protocol's train_steps makes one ` +
        `discriminator and one generator update per step; use --d-steps 1 with ` +
        `--impl`,
    );
  const params = ganInitParams(a, t, seeds.init);

  await session.request({ op: 'init', model: 'gan', params });
  const X = await session.load(data.x.subarray(0, data.rows * data.cols), [data.rows, data.cols]);
  await session.request({ op: 'train_steps', model: 'gan', X, steps: config.steps, batch: config.batchSize });
  // Our fit's last evaluation draws its real rows, then its noise, from this stream: the same noise here.
  const rng = new Rng(deriveSeed(seeds.sampling, 'evaluation'));
  drawRows(data, config.evalSamples, rng);
  const z = noise(rng, config.evalSamples, a.noiseDim);
  const Z = Array.from({ length: config.evalSamples }, (_, i) =>
    Array.from(z.subarray(i * a.noiseDim, (i + 1) * a.noiseDim)),
  );
  const samples = Float64Array.from(
    matrix(await session.request({ op: 'generate', model: 'gan', Z }), 'X', Z.length, a.dataDim).flat(),
  );
  if (!data.modes) return {};
  const c = modeCoverage(samples, a.dataDim, data.modes.centres, data.modes.sd);
  return { modes_captured: c.modesCaptured, high_quality: c.highQuality };
}
