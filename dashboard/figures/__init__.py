"""Plotly figure builders: frames and options in, ``go.Figure`` out. No file reading, no Dash."""
