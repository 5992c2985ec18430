"""Training, data pipelines, evaluation and calibration. Never bundled with the app:
the installed songloom-cli says these commands need a source checkout."""
