"""The data layer: load, validate, version and import the dashboard's data files. Pure pandas, no Dash."""
