"""Times PyTorch training steps of the VAE on the images modelbench sends, then writes the trained
parameters so that modelbench's float64 oracle can compute their ELBO.

argv: DATA_FILE ROWS COLS BATCH THREADS REPEATS WARMUP HIDDEN LATENT SEED PARAM_FILE.
DATA_FILE: float64 little-endian ROWS*COLS pixels in [0, 1] (row-major) then ROWS labels (unused).
PARAM_FILE (written): float64 parameters in modelbench's order and orientation (weights [in, out]):
enc.w enc.b mu.w mu.b logvar.w logvar.b dec.w dec.b out.w out.b. Prints one JSON object on stdout.
"""
import json
import sys
import time

import numpy as np

from peer_io import read_data, torch_or_unavailable


def main():
    (path, rows, cols, batch, threads, repeats, warmup, hidden, latent, seed, param_file) = sys.argv[1:12]
    rows, cols, batch, threads, repeats, warmup, hidden, latent, seed = map(int, (rows, cols, batch, threads, repeats, warmup, hidden, latent, seed))
    torch = torch_or_unavailable(threads, seed)
    if torch is None:
        return
    x_all, _ = read_data(path, rows, cols)
    data = torch.tensor(x_all, dtype=torch.float32)
    nn = torch.nn
    enc, mu, logvar = nn.Linear(cols, hidden), nn.Linear(hidden, latent), nn.Linear(hidden, latent)
    dec, out = nn.Linear(latent, hidden), nn.Linear(hidden, cols)
    layers = [enc, mu, logvar, dec, out]
    # Glorot-uniform weights and zero biases, as modelbench initialises its network.
    for layer in layers:
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
    params = [p for layer in layers for p in layer.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)

    def neg_elbo(x):
        h = torch.relu(enc(x))
        m, lv = mu(h), logvar(h)
        z = m + torch.exp(0.5 * lv) * torch.randn_like(m)
        logits = out(torch.relu(dec(z)))
        rec = -nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = 0.5 * (m.pow(2) + lv.exp() - 1 - lv).sum(1)
        return -(rec - kl).mean()

    samples = []
    cursor = 0
    last = float("nan")
    for k in range(warmup + repeats):
        idx = torch.arange(cursor, cursor + batch) % rows
        cursor = (cursor + batch) % rows
        t0 = time.perf_counter()
        x = data[idx]
        opt.zero_grad()
        loss = neg_elbo(x)
        loss.backward()
        opt.step()
        last = loss.item()  # synchronises, as modelbench's step reads its loss back
        elapsed = (time.perf_counter() - t0) * 1000
        if k >= warmup:
            samples.append(elapsed)
    flat = []
    for layer in layers:
        flat.append(layer.weight.detach().double().numpy().T.ravel())
        flat.append(layer.bias.detach().double().numpy().ravel())
    np.concatenate(flat).astype("<f8").tofile(param_file)
    print(json.dumps({
        "version": torch.__version__,
        "numpy": np.__version__,
        "threads": torch.get_num_threads(),
        "samples_ms": samples,
        "last_batch_elbo": -last,
        "steps": warmup + repeats,
    }))


if __name__ == "__main__":
    main()
