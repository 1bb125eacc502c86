"""Demo data: plausible reports for every obligation of the calendar, from 2021 to today.

`generate` fills each obligation whose period has started with a report in a realistic state:
most approved (locked in periods older than the last two quarters, which are closed), some
submitted late, some returned with a reason, some left in draft, some never started. Each unit
has a profile (prompt, ordinary, chronically late) that shifts those proportions.

Values follow one trend per indicator, scattered per unit, so that once rolled up to the province
some of the register's targets are on track (fibre to the home rising toward its 2025 target),
others stagnate and a few regress. Ratios carry a numerator and a denominator sized to the unit
(population, households, enterprises, dossiers…); counts are whole; percentages stay in 0–100.
A few values jump far from the unit's own history, so that the outlier check flags them; each
carries the explanation a unit would write (see OUTLIER_COMMENTS).

Deterministic: every obligation draws from its own `random.Random`, seeded with the seed and the
obligation's stable identity (plan, period, body code), never with database ids. The same
register and calendar give the same data on every machine, in any order, and a second run adds
nothing: obligations that already have a report are skipped.

This bypasses the per-value services on purpose. values_apply and report_transition lock the
report, re-read the form, check every value and write an audit event per value and per step;
for the ~3,400 obligations and ~80,000 rows of the demo that is minutes of work instead of
seconds. The generator writes with bulk_create instead, produces only values that pass the unit
and rule checks, copies period and reporter onto each value as the services do, and writes one
audit event per report ("reporting.demo.generate") and per closed period, in the same
transaction as the data (one transaction per year).
"""

from .generator import generate

__all__ = ["generate"]
