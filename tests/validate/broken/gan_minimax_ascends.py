#!/usr/bin/python3
"""The bundled PyTorch GAN with one planted bug on the minimax path: its generator loss has the wrong
sign, -log(1 - D(G(z))), so under "loss": "minimax" the generator climbs V instead of descending it."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../implementations"))
import pytorch_models as m  # noqa: E402

m.GENERATOR_LOSSES["minimax"] = lambda logits: m.torch.nn.functional.softplus(logits).mean()
m.serve(m.HANDLERS)
