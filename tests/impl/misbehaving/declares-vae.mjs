// Declares the VAE and answers nothing of it (no init, no train_steps).
export const hello = () => ({ name: 'declares-vae', version: '1', models: ['vae'] });
