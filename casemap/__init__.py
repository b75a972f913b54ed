"""Casemap: the case layer (vocabularies, schema, store, demo case, filters, metrics, CLI).

Nothing in this package imports Streamlit; the app's pages sit on top of it.
"""

import pyarrow as _pyarrow

__version__ = "0.1.0"

# pandas keeps text columns in Arrow memory. Arrow's own allocator holds on to
# what it frees for reuse, so a server that parsed a large upload would keep
# its peak long after; the system allocator hands freed memory back.
_pyarrow.set_memory_pool(_pyarrow.system_memory_pool())
