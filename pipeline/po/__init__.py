"""Reading and writing PO/POT files exactly as GNU gettext 0.21 does (see docs/catalogs.md).

The reader refuses what ``msgfmt -c --use-fuzzy`` refuses, naming file and line;
the writer gives ``msgcat --force-po --width=79``'s bytes, so a catalog already
in that form is never rewritten.
"""

from __future__ import annotations

from .header import header_field, plural_problem
from .model import Catalog, Message
from .read import load_po, loads_po, read_po
from .wrap import PAGE_WIDTH, wrap
from .write import dumps, write_po

__all__ = ["PAGE_WIDTH", "Catalog", "Message", "dumps", "header_field", "load_po", "loads_po", "plural_problem",
           "read_po", "wrap", "write_po"]
