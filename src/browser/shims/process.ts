// `process` inside a Chromium page: the environment the browser host hands over (MODELBENCH_* settings
// such as an injected slowdown), and inert stand-ins for what modules touch while loading.
export const process = {
  env: {} as Record<string, string | undefined>,
  platform: 'browser',
  argv: [] as string[],
  versions: {} as Record<string, string>,
  exitCode: undefined as number | undefined,
  cwd: () => '/',
  on: () => process,
  once: () => process,
  off: () => process,
  emitWarning: (warning: unknown) => console.warn(warning),
  stdout: { write: (text: string) => (console.log(text), true), isTTY: false },
  stderr: { write: (text: string) => (console.error(text), true), isTTY: false },
};
