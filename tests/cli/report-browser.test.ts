// The HTML report opened in a real browser (Debian's chromium, headless): the charts must be in the
// rendered DOM with their marks, and a screenshot is written for a person to look at.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, it } from 'vitest';
import { modelbench } from '../helpers/cli.js';
import { latencies, row, tmpDir, writeRun } from '../helpers/runs.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
// CI installs chromium (.ci/run); elsewhere this check needs `apt-get install chromium`.
const skipReason = !CHROMIUM && !process.env.CI ? 'chromium is not installed (apt-get install chromium); CI installs it' : undefined;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('report in a real browser', () => {
  beforeEach((ctx) => {
    if (skipReason) ctx.skip(skipReason);
  });

  it('renders every chart with bars and error bars, and takes a screenshot', () => {
    assert.ok(CHROMIUM, 'chromium is required here: apt-get install chromium');
    const dir = tmpDir();
    const a = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(5, 40, 1)), row({ workload: 'fit', backend: 'cpu' }, latencies(50, 20, 2)), row({ workload: 'predict', backend: 'wasm' }, latencies(0.5, 40, 3))]);
    const b = writeRun(dir, [row({ workload: 'fit', backend: 'wasm' }, latencies(4, 40, 4)), row({ workload: 'fit', backend: 'cpu' }, latencies(40, 20, 5)), row({ workload: 'predict', backend: 'wasm' }, latencies(0.4, 40, 6))], { host: 'second-machine' });
    const html = path.join(dir, 'report.html');
    assert.equal(modelbench(['report', a, b, '--out', html]).code, 0);
    const profile = fs.mkdtempSync(path.join(dir, 'profile-'));
    const dom = spawnSync(CHROMIUM!, [...FLAGS, `--user-data-dir=${profile}`, '--dump-dom', `file://${html}`], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(dom.status, 0, dom.stderr);
    const charts = dom.stdout.match(/<figure class="chart"><svg[\s\S]*?<\/svg>/g) ?? [];
    assert.equal(charts.length, 2);
    for (const chart of charts) {
      // Every bar drawn with a visible height (a log scale once drew them all at height 0).
      const heights = [...chart.matchAll(/aria-roledescription="bar" d="M[^h]*h[-\d.e]+v([-\d.e]+)h/g)].map((m) => Number(m[1]));
      assert.ok(heights.length >= 2 && heights.every((h) => h > 2), `bar heights ${heights.join(', ')}`);
      assert.match(chart, /class="mark-rule[^"]*"/, 'error bars');
    }
    const png = path.join(process.env.MODELBENCH_SCREENSHOT_DIR ?? dir, 'report.png');
    const shot = spawnSync(CHROMIUM!, [...FLAGS, `--user-data-dir=${profile}`, `--screenshot=${png}`, '--window-size=1200,1600', `file://${html}`], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(shot.status, 0, shot.stderr);
    assert.ok(fs.statSync(png).size > 20_000, 'a screenshot with content');
  });
});
