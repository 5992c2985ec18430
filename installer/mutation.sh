#!/usr/bin/env bash
# Mutation testing (issue 19 part 5; results in docs/development.md, "Surviving mutants").
#   installer/mutation.sh rules    sampler settings, form (cadences, --chords), rhyme, syllables
#   installer/mutation.sh decode   the decoder's parts (decode.py)
# Dev only: needs mutmut in .venv (.venv/bin/python -m pip install mutmut; not in the locks).
# Works on a copy of HEAD in a scratch folder (mutmut writes mutants/ beside the code), so the
# checkout is never touched. Each mutant runs only the tests that reached its function, from
# the test files listed per profile (heavy generation tests are left out: a surviving mutant
# runs all of them). About 20 min for "rules" and 10 for "decode" at nice 15 on 2 busy cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROFILE="${1:-rules}"
WORK="${SONGLOOM_MUTATION_DIR:-/tmp/songloom-mutation-$PROFILE}"
case "$PROFILE" in
  rules)
    FILES="core/music/settings.py core/music/form.py core/lyrics/rhyme.py core/lyrics/syllables.py"
    TESTS="tests/core/test_sampler_settings.py tests/core/test_sampler_settings_file.py
           tests/core/test_form_plan.py tests/core/test_form_cadences.py tests/core/test_compose.py
           tests/core/test_lyrics_rhyme.py tests/core/test_lyrics_syllables.py
           tests/core/test_lyrics_spelling_rules.py"
    NAMES=("core.lyrics.rhyme.x_*" "core.lyrics.syllables.x__spelling_count__mutmut_*"
           "core.lyrics.syllables.x__split_word__mutmut_*" "core.lyrics.syllables.x_syllabify__mutmut_*"
           "core.lyrics.syllables.x_count_syllables__mutmut_*" "core.lyrics.syllables.x_words__mutmut_*"
           "core.music.settings.x_*" "core.music.settings.xǁSamplerSettingsǁload__mutmut_*"
           "core.music.form.x__close__mutmut_*" "core.music.form.x_tile_progression__mutmut_*"
           "core.music.form.x_parse_chord_spec__mutmut_*") ;;
  decode)
    FILES="core/music/decode.py"
    TESTS="tests/core/test_decode_helpers.py tests/core/test_settings_bite.py"
    NAMES=("core.music.decode.x_last_melody_row__mutmut_*" "core.music.decode.x__bar_shared__mutmut_*"
           "core.music.decode.x__beat_pitch_classes__mutmut_*"
           "core.music.decode.x_repair_fragments__mutmut_*" "core.music.decode.x_binarize__mutmut_*") ;;
  *) echo "mutation.sh: unknown profile $PROFILE (rules or decode)" >&2; exit 2 ;;
esac
[ -x "$ROOT/.venv/bin/mutmut" ] || { echo "mutation.sh: .venv/bin/python -m pip install mutmut" >&2; exit 2; }
rm -rf "$WORK" && mkdir -p "$WORK"
git -C "$ROOT" archive HEAD core tests resources pyproject.toml | tar -x -C "$WORK"
{
  echo "[mutmut]"
  echo "source_paths=core"
  echo "only_mutate="; for f in $FILES; do echo "    $f"; done
  echo "also_copy="; echo "    resources"
  echo "pytest_add_cli_args=-p no:cacheprovider -q -x"
  echo "pytest_add_cli_args_test_selection="; for t in $TESTS; do echo "    $t"; done
} > "$WORK/setup.cfg"
cd "$WORK"
export QT_QPA_PLATFORM=offscreen
nice -n 15 "$ROOT/.venv/bin/mutmut" run --max-children 2 "${NAMES[@]}" || true
("$ROOT/.venv/bin/mutmut" results | grep -v "not checked" || true) | tee "$WORK/survivors.txt"
echo "survivors: $WORK/survivors.txt; see one with: (cd $WORK && $ROOT/.venv/bin/mutmut show NAME)"
