"""Statistics the pages show, as pure functions on the tidy observations frame.

series: change, index, gap to the benchmark, latest value and the plain-language summary sentence;
aggregate: figures across several areas, from counts when they exist, otherwise a labelled approximation;
suppression: small-number suppression before anything reaches the browser;
criteria: the state-list rule sets evaluated for one area and year, where missing data gives "unknown".

Nothing here imports Dash or reads files; every function takes frames and returns frames or small dataclasses.
"""
