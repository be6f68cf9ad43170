"""Printable documents: HTML rendered to tagged PDF with WeasyPrint, and PDF file helpers.

Plumbing, not a feature: no blueprint, no models. `pdf.render_pdf(html, base_url)` renders one
document; `pool.RenderPool` renders many in worker processes; `merge.merge_files` concatenates
PDFs for printing without holding them all in memory.
"""
