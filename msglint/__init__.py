"""msglint: keep marketplace sellers' buyer messages and listings within the rules."""
from msglint.model import Finding, Fix, Report, Rule, Severity

__version__ = "0.1.0"
__all__ = ["Linter", "Report", "Finding", "Fix", "Rule", "Severity", "__version__"]


def __getattr__(name: str):
    # Linter is imported when first used, not with the package: the service's own process (which
    # only hands texts to its checking processes) then never loads spaCy (~70 MB less at start-up)
    if name == "Linter":
        from msglint.linter import Linter
        return Linter
    raise AttributeError(f"module 'msglint' has no attribute {name!r}")
