"""steering's use cases, one module each: sessions, conclusions (import, directives entered on a
page, publication), directives (closing), briefing (the pack), inspections."""
