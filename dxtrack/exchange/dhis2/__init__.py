"""DHIS2's dataValueSets, read and written: values move to and from national systems in the shape
those systems already speak (JSON and CSV), through the same write path as every other channel.

The mapping (docs/adr/0008-api-tokens-dhis2.md):
- dataElement        → the indicator's code
- period             → "2025" (year), "2025S1"/"2025S2" (half year), "2025Q1".."2025Q4" (quarter)
- orgUnit            → the agency's code, or the administrative unit's statistics code
- dataSet            → the plan whose reporting rule creates the obligation (its document code)
- categoryOptionCombo → "default" (or empty) for a value; "numerator"/"denominator" for the two
                        parts of a ratio, which dxtrack keeps and derives the rate from
- attributeOptionCombo → "default" or empty only
- value              → DHIS2's notation: a decimal point, no thousands separators

One module per direction: `wire` (periods, units, numbers, CSV columns), `importing`
(dataValueSets in) and `exporting` (dataValueSets out).
"""

from .exporting import data_values_export, to_csv
from .importing import Row, Summary, data_values_import, read_csv
from .wire import (
    CSV_COLUMNS,
    PERIOD_HELP,
    NotFound,
    _BadValue,
    bad_period_message,
    find_period,
    parse_period,
    parse_value,
    period_id,
    require_unit,
    wire_number,
)

__all__ = [
    "CSV_COLUMNS",
    "PERIOD_HELP",
    "NotFound",
    "Row",
    "Summary",
    "_BadValue",
    "bad_period_message",
    "data_values_export",
    "data_values_import",
    "find_period",
    "parse_period",
    "parse_value",
    "period_id",
    "read_csv",
    "require_unit",
    "to_csv",
    "wire_number",
]
