"""Need-to-know in an assessment: what a permit officer may see of findings from closed sources and cases."""

from __future__ import annotations

import attrs

from bibob.policy import Policy
from bibob.screening.explanation import explain
from bibob.screening.facts import FactSource
from bibob.screening.indicators import Finding
from bibob.screening.indicators.base import Evidence
from bibob.screening.model import Assessment, AssessmentRequest

# facts from these sources are criminal-law data (AVG art. 10) or LBB material: coordinator only
CLOSED_SOURCES = frozenset(
    {FactSource.POLICE_INFO_DESK, FactSource.JUSTID, FactSource.PUBLIC_PROSECUTOR, FactSource.LBB, FactSource.RIEC,
     FactSource.BIBOB_REGISTER, FactSource.ART11A_QUERY, FactSource.TAX_AUTHORITY}
)  # fmt: skip
CASE_NOTICE = "Een betrokkene is bekend bij de adviseur veiligheid; raadpleeg de adviseur veiligheid."
CLOSED_NOTICE = "Er is informatie uit gesloten bronnen; de Bibob-coördinator kan deze toelichten."


def _closed(evidence: Evidence, closed_fact_ids: frozenset[str]) -> bool:
    return evidence.kind == "case" or (evidence.kind in ("fact", "register") and evidence.ref in closed_fact_ids)


def _redacted(finding: Finding, closed_fact_ids: frozenset[str]) -> Finding:
    hidden = [e for e in finding.evidence if _closed(e, closed_fact_ids)]
    if not hidden:
        return finding
    notice = CASE_NOTICE if any(e.kind == "case" for e in hidden) else CLOSED_NOTICE
    kept = tuple(e for e in finding.evidence if not _closed(e, closed_fact_ids))
    return attrs.evolve(finding, explanation=notice, evidence=kept, subjects=())


def for_permit_officer(assessment: Assessment, request: AssessmentRequest, policy: Policy) -> Assessment:
    """The assessment as a permit officer may see it: levels and advice, without case or antecedent details."""
    closed = frozenset(f.id for f in request.facts if f.source in CLOSED_SOURCES or f.source is FactSource.CASE_FILE)
    findings = tuple(_redacted(f, closed) for f in assessment.findings)
    redacted = attrs.evolve(assessment, findings=findings, proportionality_draft=())  # the draft is the coordinator's
    return attrs.evolve(redacted, explanation=explain(redacted, request, policy))
