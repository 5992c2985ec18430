"""GPT-2 lyric writing: model store, fast streaming decoder, syllable and rhyme control."""
