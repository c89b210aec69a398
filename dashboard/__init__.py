"""BoSoc Dashboard: the monitoring dashboard of Det Boligsociale Fællessekretariat, Aarhus.

Layers (see docs and DESIGN): ``data`` (load, validate, version, import) -> ``analysis`` (pure statistics)
-> ``figures`` (plotly figures) -> ``pages`` (thin Dash pages). ``geo`` holds geometry import and runtime loading.
"""

__version__ = "0.1.0"
