"""Times PyTorch training steps of the GAN (one discriminator and one generator Adam update, the
non-saturating loss) on the real samples modelbench sends, then writes the trained parameters so
that modelbench's float64 oracle can compute their V(D, G) and count the modes they capture.

argv: DATA_FILE ROWS COLS BATCH THREADS REPEATS WARMUP HIDDEN LAYERS NOISE SEED PARAM_FILE SAMPLE_FILE EVAL_SAMPLES.
DATA_FILE: float64 little-endian ROWS*COLS samples (row-major) then ROWS labels (unused).
PARAM_FILE (written): float64 parameters in modelbench's order and orientation (weights [in, out]):
g0.w g0.b ... g.out.w g.out.b d0.w d0.b ... d.out.w d.out.b. SAMPLE_FILE (written): EVAL_SAMPLES
generated samples, float64, row-major. Prints one JSON object on stdout.
"""
import json
import sys
import time

import numpy as np

from peer_io import read_data, torch_or_unavailable


def mlp(nn, inputs, hidden, layers, outputs):
    mods, width = [], inputs
    for _ in range(layers):
        mods += [nn.Linear(width, hidden), nn.ReLU()]
        width = hidden
    mods.append(nn.Linear(width, outputs))
    return nn.Sequential(*mods)


def main():
    args = sys.argv[1:15]
    path, param_file, sample_file = args[0], args[11], args[12]
    rows, cols, batch, threads, repeats, warmup, hidden, layers, noise, seed = map(int, args[1:11])
    eval_samples = int(args[13])
    torch = torch_or_unavailable(threads, seed)
    if torch is None:
        return
    x_all, _ = read_data(path, rows, cols)
    data = torch.tensor(x_all, dtype=torch.float32)
    nn = torch.nn
    g, d = mlp(nn, noise, hidden, layers, cols), mlp(nn, cols, hidden, layers, 1)
    opt_g = torch.optim.Adam(g.parameters(), lr=1e-3, betas=(0.5, 0.999), eps=1e-8)
    opt_d = torch.optim.Adam(d.parameters(), lr=1e-3, betas=(0.5, 0.999), eps=1e-8)
    softplus = nn.functional.softplus
    samples, value = [], float("nan")
    for k in range(warmup + repeats):
        t0 = time.perf_counter()
        real = data[torch.randint(0, rows, (batch,))]
        fake = g(torch.randn(batch, noise)).detach()
        v = -softplus(-d(real)).mean() - softplus(d(fake)).mean()
        opt_d.zero_grad()
        (-v).backward()
        opt_d.step()
        g_loss = softplus(-d(g(torch.randn(batch, noise)))).mean()
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
        value = v.item()
        g_loss.item()  # synchronises, as modelbench's step reads its losses back
        elapsed = (time.perf_counter() - t0) * 1000
        if k >= warmup:
            samples.append(elapsed)
    flat = []
    for net in (g, d):
        for layer in [m for m in net if isinstance(m, nn.Linear)]:
            flat.append(layer.weight.detach().double().numpy().T.ravel())
            flat.append(layer.bias.detach().double().numpy().ravel())
    np.concatenate(flat).astype("<f8").tofile(param_file)
    with torch.no_grad():
        g(torch.randn(eval_samples, noise)).double().numpy().astype("<f8").tofile(sample_file)
    print(json.dumps({
        "version": torch.__version__,
        "numpy": np.__version__,
        "threads": torch.get_num_threads(),
        "samples_ms": samples,
        "last_value": value,
        "steps": warmup + repeats,
    }))


if __name__ == "__main__":
    main()
