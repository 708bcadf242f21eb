"""Metrics: survey statistics, survey instruments (SERVQUAL) and contact-centre staffing.

The calculators live in `retail_service_quality.metrics.statistics`,
`retail_service_quality.metrics.surveys` and
`retail_service_quality.metrics.staffing`; survey instruments as data and
their responses in `retail_service_quality.metrics.instruments` and
`retail_service_quality.metrics.responses`. Every public name is also
importable from the top-level package.

Examples:
    >>> from retail_service_quality.metrics import statistics
    >>> round(statistics.nps([10, 9, 3]).score, 2)
    33.33
"""
