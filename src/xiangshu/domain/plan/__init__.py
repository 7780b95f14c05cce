"""The plan as live data (S09/S10): indicators, their evaluation and forecasts.

Pure rules and calculations only — no web, SQL or engine code. The method is
described in ``docs/plan.md``; notation follows it: baseline x0 in year t0,
target x* in year T, latest value xc at time c, direction d (+1 higher is better).
"""
