"""Quality gates over a built site (`invoke check-site`, `python -m cong_truong.gates`).

Not Pelican plugins: they read an output folder and never import the plugins. One module per
gate (links, vnu, budgets, browser), one runner (runner.py), one record type (failure.py).
"""
