"""Chinese lyrics: tune patterns (词牌), pinyin rhyme, the bundled Chinese GPT-2 and its writer."""
