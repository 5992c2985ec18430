"""MuseGAN-style multi-track music generation: data, model, training and sampling."""
