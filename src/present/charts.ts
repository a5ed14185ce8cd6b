// Throughput charts rendered server-side to SVG by vega-lite + vega: no browser, no network.
import * as vega from 'vega';
import * as vl from 'vega-lite';

export interface Bar {
  readonly backend: string;
  readonly machine: string;
  readonly throughput: number;
  /** Throughput at the slow and fast quartiles of the latency samples (the error bar). */
  readonly low: number;
  readonly high: number;
  readonly unit: string;
}

export const CHART_WIDTH = 1000;

export async function throughputChart(title: string, bars: readonly Bar[]): Promise<string> {
  const unit = bars[0]?.unit ?? 'per s';
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: bars.map((b) => ({ ...b })) },
    // A fixed width a person can read at 1400 px (36 px a bar made a chart of two machines 250 px wide).
    width: CHART_WIDTH,
    height: 260,
    encoding: {
      x: { field: 'backend', type: 'nominal', title: 'backend', axis: { labelAngle: 0 } },
      xOffset: { field: 'machine', type: 'nominal' },
      color: {
        field: 'machine',
        type: 'nominal',
        title: 'testbed (series)',
        legend: { orient: 'bottom', columns: 1, labelLimit: 600 },
      },
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'throughput', type: 'quantitative', title: unit },
          tooltip: [{ field: 'machine' }, { field: 'backend' }, { field: 'throughput', format: '.4s' }],
        },
      },
      {
        mark: { type: 'errorbar', ticks: true, color: 'black' },
        encoding: { y: { field: 'low', type: 'quantitative', title: unit }, y2: { field: 'high' } },
      },
    ],
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
