"""The benchmark of DESIGN.md §7; run it with `make bench`."""
