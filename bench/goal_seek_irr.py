"""The README goal-seek project's cost per MW for a 12% IRR, for the
regression test of goal seek past an undefined end (issue 17, item 6;
crates/core/src/goal_seek.rs and tests/api/colocation.rs).

250 MW at cost C per MW spent in year 0; rent $133.33 a kW-month from month
12 (all of years 1 to 20), opex 20% of rent, sold at the end of year 20 at a
7% cap rate on the NOI. At 12% the NOI and the sale are worth a fixed sum in
year 0, so C is that sum over 250 MW (closed form); numpy-financial's irr of
the flows at that cost checks it.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install numpy numpy-financial
    /tmp/venv/bin/python bench/goal_seek_irr.py
"""
from decimal import Decimal, getcontext

import numpy_financial as npf

getcontext().prec = 40
mw = Decimal(250)
noi = mw * 1000 * Decimal("133.33") * 12 * (1 - Decimal("0.2"))
sale = noi / Decimal("0.07")
rate, years = Decimal("0.12"), 20
annuity = (1 - (1 + rate) ** -years) / rate
worth = noi * annuity + sale / (1 + rate) ** years
print(f"NOI a year         {noi:,.2f}")
print(f"sale in year 20    {sale:,.2f}")
print(f"worth at 12%       {worth:,.2f}")
print(f"cost per MW        {worth / mw:,.4f}")

flows = [-float(worth)] + [float(noi)] * (years - 1) + [float(noi + sale)]
print(f"numpy-financial {npf.__version__} irr at that cost: {npf.irr(flows)!r}")
