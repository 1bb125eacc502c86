"""Writes of reports, one module per use case: opening a report (`opening`), what every edit
shares (`editing`), values (`values`), task updates (`task_updates`), evidence (`evidence`), the
narrative (`narrative`), the workflow's table of transitions (`workflow`), closing a period
(`periods`) and the defaults (`defaults`). Callers import the module they need; nothing is
re-exported here."""
