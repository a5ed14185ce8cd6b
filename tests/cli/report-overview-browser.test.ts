// The report of several testbeds as a person sees it (issue 34): opened in Debian's Chromium at 1400 x 900,
// the overview's heat map is on the first screen and every testbed and backend is a column of it, each
// header and cell inside the window (bounding boxes). The screenshot is the README's
// (MODELBENCH_SCREENSHOT_DIR=docs/images writes it there as report-overview.png).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, it } from 'vitest';
import { executeReport, REPORT_COMMAND } from '../../src/cli/report.js';
import { parseCommand } from '../../src/cli/options.js';
import type { BackendContext } from '../../src/results/context.js';
import { PRE_TESTBED, type Testbed } from '../../src/results/testbed.js';
import type { Row } from '../../src/types.js';
import { latencies, row, tmpDir } from '../helpers/runs.js';
import { AVX512, BASE_FLAGS, testbed, writeFastRun } from '../report/synthetic-testbeds.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const skipReason = !CHROMIUM && !process.env.CI ? 'chromium is not installed (apt-get install chromium); CI installs it' : undefined;
const VIEW = { width: 1400, height: 900 };

const CELLS = [
  ['logreg', 'fit', 'rows=1000;cols=10', 40],
  ['logreg', 'predict', 'rows=10000;cols=10', 4],
  ['svm', 'fit-linear', 'rows=1000;cols=20', 60],
  ['svm', 'decision-rbf', 'rows=2000;cols=20', 9],
  ['vae', 'train-step', 'batch=128', 26],
  ['gan', 'train-step', 'batch=64', 12],
] as const;

interface Machine {
  readonly testbed: Testbed | undefined;
  readonly host: string;
  readonly speed: number;
  readonly gpu: boolean;
}

const cpuRuntime = { name: 'cpu', version: '4.22.0', device: 'AMD EPYC', deviceKind: 'cpu' as const, relativeTolerance: 1e-3, details: {} };
const gpuRuntime = {
  ...{ name: 'webgpu', version: 'tfjs-backend-webgpu 4.22.0', device: 'nvidia / hopper / NVIDIA H200' },
  ...{ deviceKind: 'gpu' as const, relativeTolerance: 1e-3, details: { adapterDescription: 'NVIDIA H200' } },
};
const noGpu: BackendContext = {
  ...{ name: 'webgpu', available: false, reason: 'no GPU adapter: Dawn found llvmpipe only' },
  fix: 'on a GPU machine install the Vulkan driver (libvulkan1 and the vendor ICD)',
};
const gan = (model: string): Partial<Row> => (model === 'gan' ? { status: 'check-failed', check: 'fail', error: 'loss off' } : {});

/** Two runs of each machine, every cell on cpu and wasm (wasm 3x), webgpu where there is a GPU (one check failing there). */
function writeMachines(dir: string, machines: readonly Machine[]): void {
  let seed = 1;
  for (const m of machines) {
    for (let rep = 0; rep < 2; rep++) {
      const rows: Row[] = CELLS.flatMap(([model, workload, size, ms]) => {
        const timed = (backend: string, factor: number, more: Partial<Row> = {}) =>
          row({ model, workload, size, backend, ...more }, latencies(ms / factor / m.speed, 30, seed++));
        const gpu = m.gpu ? [timed('webgpu', model === 'vae' || model === 'gan' ? 8 : 2, gan(model))] : [];
        return [timed('cpu', 1), timed('wasm', 3), ...gpu];
      });
      const backends = [{ name: 'cpu', available: true, runtime: cpuRuntime }, m.gpu ? { name: 'webgpu', available: true, runtime: gpuRuntime } : noGpu];
      writeFastRun(dir, rows, { testbed: m.testbed, host: m.host, backends });
    }
  }
}

async function render(dir: string): Promise<string> {
  const out = path.join(dir, 'report.html');
  const { values, positionals } = parseCommand(REPORT_COMMAND, [path.join(dir, 'runs'), '--out', out]);
  const outcome = await executeReport(values, positionals);
  assert.equal(outcome.code, 0, outcome.error);
  return out;
}

describe('the overview in a real browser', () => {
  beforeEach((ctx) => {
    if (skipReason) ctx.skip(skipReason);
  });

  it('at 1400 x 900 the heat map is on the first screen, every testbed and backend a column', async () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'runs'));
    const xeon = { name: 'Intel Xeon Platinum 8480+', vendor: 'GenuineIntel', cores: 8, flags: [...BASE_FLAGS, ...AVX512, 'amx_tile'] };
    const h200 = testbed({ ...xeon, gpus: ['10de:2335'] }, 'gpu-h200');
    const machines: Machine[] = [
      { testbed: testbed(), host: 'vm', speed: 1, gpu: false },
      { testbed: testbed({ flags: [...BASE_FLAGS, ...AVX512] }), host: 'vm', speed: 1.7, gpu: false },
      { testbed: h200, host: 'h200', speed: 2.5, gpu: true },
      { testbed: undefined, host: 'old-vm', speed: 0.9, gpu: false },
    ];
    writeMachines(path.join(dir, 'runs'), machines);
    const html = await render(dir);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], timeout: 60_000 });
    try {
      const page = await browser.newPage({ viewport: VIEW });
      await page.goto(`file://${html}`);
      const png = path.join(process.env.MODELBENCH_SCREENSHOT_DIR ?? dir, 'report-overview.png');
      await page.screenshot({ path: png });
      assert.ok(fs.statSync(png).size > 30_000, 'a screenshot with content');
      const inside = (b: { x: number; y: number; width: number; height: number } | null, what: string) => {
        assert.ok(b, `${what} is not drawn`);
        const on = b.x >= 0 && b.y >= 0 && b.x + b.width <= VIEW.width && b.y + b.height <= VIEW.height;
        assert.ok(on, `${what} at ${JSON.stringify(b)} is not on the first screen`);
      };
      inside(await page.locator('#overview').boundingBox(), 'the heat map');
      const name = (series: string) => (series.startsWith(PRE_TESTBED) ? 'pre-testbed' : series);
      const backendsOf = (m: Machine) => ['cpu', 'wasm', ...(m.gpu ? ['webgpu'] : [])];
      const expected = machines.flatMap((m) => backendsOf(m).map((backend) => `${m.testbed?.id ?? 'pre-testbed'} / ${backend}`));
      const boxes = (selector: string) =>
        page.locator(selector).evaluateAll((ths) =>
          ths.map((th) => {
            const b = th.getBoundingClientRect();
            const box = { x: b.x, y: b.y, width: b.width, height: b.height };
            return { series: th.getAttribute('data-series')!, backend: th.getAttribute('data-backend'), box };
          }),
        );
      const columns = await boxes('#overview th.be');
      assert.deepEqual(columns.map((c) => `${name(c.series)} / ${c.backend}`), expected);
      for (const c of columns) inside(c.box, `the column ${c.series} / ${c.backend}`);
      assert.ok(columns.every((c, i) => i === 0 || c.box.x >= columns[i - 1].box.x + columns[i - 1].box.width - 1), 'columns side by side, left to right');
      const testbeds = await boxes('#overview th.tb');
      assert.deepEqual(testbeds.map((t) => name(t.series)), machines.map((m) => m.testbed?.id ?? 'pre-testbed'));
      for (const t of testbeds) inside(t.box, `the testbed ${t.series}`);
      inside(await page.locator('#overview tr.geo').boundingBox(), 'the geometric-mean row');
      assert.equal(await page.locator('#overview td.failed').count(), 1, 'the failed check, marked in its cell');
      assert.equal(await page.locator('details[open]').count(), 0, 'the per-model sections folded');
    } finally {
      await browser.close();
    }
  });
});
