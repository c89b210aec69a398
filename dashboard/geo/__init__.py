"""Geometry for the map: the geo-import command's logic and the web app's runtime
loading.

`layers` reads the prepared GeoJSON in `geo/` with the standard library and is what the
web workers import. `importer` turns a Shapefile/GeoPackage/GeoJSON into that prepared
GeoJSON with geopandas; only the command line imports it, so this package deliberately
imports neither module here.
"""
