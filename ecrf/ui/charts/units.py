"""Units as people write them: the definition types "×10^9/L" (plain text, easy to type), the screen shows
"×10⁹/L"."""
from __future__ import annotations

import re

SUPERSCRIPT = str.maketrans("0123456789+-−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻")
POWER = re.compile(r"\^\(?([+\-−]?\d+)\)?")


def display_unit(unit: str) -> str:
    """ "×10^9/L" → "×10⁹/L", "m^2" → "m²", "10^-3" → "10⁻³"; a caret not followed by a number stays."""
    return POWER.sub(lambda m: m.group(1).translate(SUPERSCRIPT), unit)
