"""The stages a run goes through, in order: segment, translate, export; status and check only read.

Each stage takes the configuration and returns a report (what it wrote, what
failed and why) instead of printing: one bad document or one language without
an engine never stops the others.
"""
