// A GAN that starts, takes its networks and data, and exits in the middle of training.
export const hello = () => ({ name: 'gan-dies', version: '1', models: ['gan'] });
export const init = () => ({});
export const train_steps = () => process.exit(3);
