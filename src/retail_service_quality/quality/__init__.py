"""Quality: service pledges and guarantees, indicators and criteria, gaps, and review cycles."""
