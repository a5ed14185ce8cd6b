// Says hello (protocol 3) and then never answers load: its request must end at its deadline.
export const hello = () => ({ name: 'never loads', version: '1', models: ['logreg'] });
export const load = () => new Promise(() => {});
