"""Rules: conditions, rules and rule sets evaluated to explained verdicts."""
