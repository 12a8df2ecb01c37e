"""Calibre's own ``ebook-meta`` on many books in one calibre process: ``calibre-debug -e`` this file.

``calibre-debug -e tests/calibre_meta.py -- BOOK...`` calls the function the ``ebook-meta``
command runs (``calibre.ebooks.metadata.cli.main``) once per book, in calibre's own Python
and set-up, so what each book prints is exactly what ``ebook-meta BOOK`` prints; only the
interpreter start, about a second each, is shared.  Each book's output follows a line
``\\x1e<path>`` (the ASCII record separator), so the caller can split them.
"""

import sys

from calibre.ebooks.metadata.cli import main  # calibre's own Python: run by calibre-debug, never imported

for book in sys.argv[1:]:
    sys.stdout.write(f"\x1e{book}\n")
    sys.stdout.flush()  # calibre writes to the binary buffer below this text layer
    status = main(["ebook-meta", book])
    sys.stdout.flush()
    if status:
        sys.exit(status)
