"""Ingest: read a report and propose record entries for a person to review (accord.domain.proposals)."""
