"""Songs and music theory: the data model every other layer speaks (no I/O, no Qt)."""
