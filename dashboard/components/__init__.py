"""Shared UI pieces: the page shell, KPI cards, chart cards with table and definition, source notes, links."""
