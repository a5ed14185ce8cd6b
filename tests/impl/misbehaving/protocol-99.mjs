// Speaks a protocol version this harness does not.
export const hello = () => ({ name: 'from the future', version: '9', models: ['logreg'], protocol: 99 });
