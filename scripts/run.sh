#!/usr/bin/env bash
# Set up what running needs, then run the whole pipeline on the project: catalogs, drafts,
# every book as a folder and an .epub, and the web edition ([export] of pipeline.toml;
# extra arguments go to `pipeline run`).  Ends by saying where the results are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
echo "run: pipeline run $*" >&2
status=0
.venv/bin/pipeline run "$@" || status=$?
.venv/bin/python - <<'EOF' || true
from pathlib import Path

from pipeline.config import find_config, load_config

config = load_config(find_config(Path.cwd()))
exports = config.exports_dir
books = [p for p in sorted(exports.glob("*/*")) if (p / "mimetype").is_file()]
epubs = list(exports.glob("*/*.epub"))
languages = sorted({p.parent.name for p in books})
print(f"\nbooks: {len(books)} in {config.relative(exports)}/<lang>/ ({', '.join(languages) or 'none yet'}), "
      f"{len(epubs)} as .epub files")
index = exports / "index.html"
if index.is_file():
    print(f"web edition: {config.relative(index)} (open {index.resolve().as_uri()})")
print(f"catalogs for reviewers: {config.relative(config.i18n_dir)}/<lang>/*.po "
      f"(what waits for review: .venv/bin/pipeline status --reviewer)")
EOF
exit "$status"
