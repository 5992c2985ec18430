"""MuseGAN-style multi-track music generation at run time: model, numpy net, sampling, decoding."""
