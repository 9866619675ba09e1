"""Chart builders: plain rows in, Vega-Lite specs (dicts) out. Pure: no Flask, no database.

Pages embed the specs as JSON and Vega-Lite draws them in the browser from a bundle the app
serves itself (no CDN); every chart has a data table beside it with the same rows.
"""

from .alliance import domain_spread, heatmap, weakest_standards
from .member import domain_positions, domain_profile, standards_met, trend

__all__ = [
    "domain_positions",
    "domain_profile",
    "domain_spread",
    "heatmap",
    "standards_met",
    "trend",
    "weakest_standards",
]
