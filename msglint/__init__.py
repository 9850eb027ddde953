"""msglint: keep marketplace sellers' buyer messages and listings within the rules."""
from msglint.linter import Linter
from msglint.model import Finding, Fix, Report, Rule, Severity

__version__ = "0.1.0"
__all__ = ["Linter", "Report", "Finding", "Fix", "Rule", "Severity", "__version__"]
