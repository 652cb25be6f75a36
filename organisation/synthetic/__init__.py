"""A synthetic municipality for development and benchmarks.

`generate_municipality` builds it from a seed: the same seed always gives
the same units, people, expectations and assessment history. The plan is
built in memory (`tree`, `records`) and written in bulk (`bulk`), so the
whole municipality of DESIGN.md §7 loads in minutes.
"""
