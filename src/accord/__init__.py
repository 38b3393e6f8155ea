"""accord: a workbench for mediated, multi-party, multi-issue negotiations."""

__version__ = "0.1.0"
