"""Reports: the quarterly 财务公开 and the township overview.

One report model per report (`disclosure.build_disclosure`, `overview.build_overview`), computed
once with pandas; `masking.publish` makes the only public copy of it; the renderers in `render`
lay the public copy out as HTML, PDF, Excel, JSON or CSV.
"""
