"""Assessments: criteria sets (frameworks), self-assessment → appraisal → recognition, rankings
(issue 17, ../shared/docs/ASSESSMENTS.md). Layer: above reports, below analytics."""
