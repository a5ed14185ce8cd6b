// `node:os` inside a Chromium page: the host machine's figures, handed over by the browser host
// (memory limits and CPU names are the machine's, not the page's business to guess).
export const host = { totalmem: 4 * 2 ** 30, cpuModel: 'unknown CPU' };

export const totalmem = (): number => host.totalmem;
export const cpus = (): { model: string }[] =>
  Array.from({ length: navigator.hardwareConcurrency || 1 }, () => ({ model: host.cpuModel }));
export const availableParallelism = (): number => navigator.hardwareConcurrency || 1;
export const platform = (): string => 'browser';
export const tmpdir = (): string => '/tmp';
export const hostname = (): string => 'chromium-page';
export const EOL = '\n';

export default { totalmem, cpus, availableParallelism, platform, tmpdir, hostname, EOL };
