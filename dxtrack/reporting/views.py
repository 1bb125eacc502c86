"""Reporting pages: a unit's reports, the form, the secretariat's queue and rates."""
