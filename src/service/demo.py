"""The synthetic demo municipality Leusden: applications, signals and cases, loaded through the store."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bibob._json import object_to_json
from bibob.applications import application_from_json
from bibob.exceptions import BibobError
from bibob.legal import DecisionOutcome, Ground
from bibob.matching import ReviewLedger
from bibob.parties import Address, Organisation, Person
from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from bibob.screening import Assessment, assess, request_from_json
from bibob.undermining import (
    Case,
    CaseEvent,
    CaseRegistered,
    Channel,
    Confidentiality,
    EvidenceItem,
    EvidenceKind,
    EvidenceLinked,
    InformationAnswered,
    InformationRequested,
    Intervention,
    InterventionKind,
    InvestigationStarted,
    MeetingHeld,
    MeetingScheduled,
    Partner,
    PlanDrafted,
    ReporterContact,
    Signal,
    SignalEvent,
    SignalSource,
    SourceChecked,
    Subjects,
    Theme,
    TriangleAlignmentRequested,
    Weighed,
    WeighingDecision,
    case_from_json,
    case_to_json,
    link_decision,
    recorded_decision,
    register_case,
    replay_case,
    replay_signal,
    signal_from_json,
    signal_to_json,
)
from service.auth import Principal, Role
from service.store.applications import create_application
from service.store.assessments import add_assessment, list_decisions, record_decision
from service.store.cases import create_case, get_case, list_cases, update_case
from service.store.evidence import add_evidence
from service.store.signals import create_signal, list_signals, update_signal
from service.store.subjects import keys_of, set_subject_keys
from service.store.tables import applications, cases, signals
from service.store.tokens import create_token, revoke_tokens
from service.views import assessment_view

#: The synthetic fixtures the demo takes its application events and answer documents from (a source checkout).
TEMPLATES = Path(__file__).resolve().parents[2] / "tests"
REASON = "demo: synthetische gemeente Leusden laden"

OFFICER = Principal("demo-vergunningverlener", Role.PERMIT_OFFICER)
COORDINATOR = Principal("demo-bibob-coordinator", Role.BIBOB_COORDINATOR)
ADVISOR = Principal("demo-adviseur-veiligheid", Role.SAFETY_ADVISOR)
MAYOR = Principal("demo-burgemeester", Role.MAYOR)
POLICE = Principal("demo-melder-politie", Role.SIGNAL_INTAKE_PARTNER)
PRIVACY = Principal("demo-privacyfunctionaris", Role.PRIVACY_OFFICER)
ADMIN = Principal("demo-functioneel-beheerder", Role.FUNCTIONAL_ADMIN)
HOUSING = Principal("demo-melder-woningcorporatie", Role.SIGNAL_INTAKE_PARTNER)  # registers signals, no token
#: One demo user per role, in the order of `Role`; each gets a fresh token on every run.
TOKEN_USERS = (OFFICER, COORDINATOR, ADVISOR, MAYOR, POLICE, PRIVACY, ADMIN)

CASE_CAFE, CASE_HOUSE = "LEU-C-01", "LEU-C-02"
REFUSAL = "LEU-2026-D15"
HOEKJE = Address("Hamersveldseweg", 12, "", "3833GP", "Leusden")
HERTEKAMP = Address("Hertekamp", 8, "", "3832AV", "Leusden")
DIRECTOR = Person("Backer", "P.J.", date_of_birth=dt.date(1975, 9, 2))  # how the police write the BV's director
TENANT = Person("Smit", "R.", date_of_birth=dt.date(1990, 5, 17))


@attrs.frozen
class DemoResult:
    """What a run loaded (zero on a second run) and the fresh token per demo user."""

    applications: int
    signals: int
    cases: int
    evidence: int
    linked_refusal: str  # the case the refusal landed in, or "" when it was there already
    tokens: tuple[tuple[Principal, str], ...]


def load_demo(engine: Engine, templates: Path = TEMPLATES) -> DemoResult:
    """Load the demo in one transaction; what already exists (by its demo id) is skipped, tokens are renewed."""
    if not (templates / "data" / "applications").is_dir():
        raise BibobError(f"de demo leest zijn synthetische sjablonen uit een broncheckout; niet gevonden: {templates}")
    with engine.begin() as conn:
        made_applications = _load_applications(conn, templates)
        made_signals = _load_signals(conn, templates)
        made_cases, evidence = _load_cases(conn)
        linked = _link_refusal(conn, templates) if REFUSAL in made_applications else ""
        tokens = tuple((user, _renew_token(conn, user)) for user in TOKEN_USERS)
    return DemoResult(len(made_applications), made_signals, made_cases, evidence + bool(linked), linked, tokens)


def _exists(conn: Connection, table: sa.Table, identifier: str) -> bool:
    return conn.execute(sa.select(table.c.id).where(table.c.id == identifier)).first() is not None


def _renew_token(conn: Connection, user: Principal) -> str:
    revoke_tokens(conn, user.user)
    return create_token(conn, user.user, user.role)


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


# --- applications: one in every lifecycle state ------------------------------------------------------------------

REFUSED, CONDITIONS = "horeca-refused-after-lbb-advice", "alcoholwet-conditions-after-zienswijze"
EXISTING, NOT_PROCESSED = "existing-permit-withdrawn-art4", "horeca-not-processed"
DECIDER = "mr. J. de Vries, burgemeester (synthetisch)"
#: A permit refused on a regular ground (no Bibob screening), announced, objected to, and the objection decided.
REGULAR: tuple[dict[str, Any], ...] = (
    {"type": "screeningDetermined", "on": "2026-03-04", "screening": "none"},
    {"type": "decisionRecorded", "on": "2026-04-10", "outcome": "refusedRegular", "decidedBy": DECIDER},
    {"type": "decisionAnnounced", "on": "2026-04-13"},
    {"type": "objectionReceived", "on": "2026-05-11"},
    {"type": "objectionDecided", "on": "2026-07-01", "decidedBy": DECIDER, "motivation": "bezwaar ongegrond"},
)
#: (state it ends in, template in tests/data/applications, how many of its events to keep, events added after).
PLAN: tuple[tuple[str, str, int | None, tuple[dict[str, Any], ...]], ...] = (
    ("received", REFUSED, 0, ()),
    ("regularReview", REFUSED, 1, ()),
    ("screeningDecided", REFUSED, 2, ()),
    ("questionnaireSent", REFUSED, 3, ()),
    ("ownInvestigation", REFUSED, 4, ()),
    ("ownInvestigationConcluded", REFUSED, 5, ()),
    ("lbbRequested", REFUSED, 6, ()),
    ("lbbAdditionalQuestions", REFUSED, 7, ()),
    ("lbbExtended", REFUSED, 9, ()),
    ("lbbAdviceReceived", REFUSED, 10, ()),
    ("intentionSent", REFUSED, 11, ()),
    ("zienswijzeTermExpired", REFUSED, 12, ()),
    ("zienswijzeReceived", CONDITIONS, 7, ()),
    ("decided", REFUSED, 1, REGULAR[:2]),  # refused on a regular ground, without Bibob screening
    ("announced", REFUSED, None, ()),  # LEU-2026-D15: the Bibob refusal linked into case LEU-C-01
    ("objectionReceived", REFUSED, 1, REGULAR[:4]),
    ("objectionDecided", REFUSED, 1, REGULAR),
    ("existingPermitReview", EXISTING, 0, ()),
    ("cooperationRefused", EXISTING, 2, ()),
    (
        "closedWithoutMeasure",
        EXISTING,
        1,
        (
            {"type": "ownInvestigationStarted", "on": "2026-03-24"},
            {
                "type": "ownInvestigationConcluded",
                "on": "2026-04-07",
                "levels": {"aBenefit": "none", "bOffences": "none"},
                "motivation": "herkomst vermogen aangetoond",
            },
            {"type": "investigationClosed", "on": "2026-04-14", "decidedBy": DECIDER, "motivation": "geen gevaar"},
        ),
    ),
    ("repairRequested", NOT_PROCESSED, 4, ()),
    ("repairCompleted", NOT_PROCESSED, 4, ({"type": "repairCompleted", "on": "2026-03-16"},)),
    ("notProcessed", NOT_PROCESSED, None, ()),
    ("withdrawnByApplicant", REFUSED, 4, ({"type": "applicationWithdrawn", "on": "2026-04-01"},)),
)
#: States in which the questionnaire went out but no answers came back.
UNANSWERED = frozenset({"questionnaireSent", "cooperationRefused"})
ANSWERS = ("valid-eenmanszaak-horeca.json", "valid-bv-two-ubos.json", "valid-bv-holding-private-loan.json")
QUESTIONNAIRE = {"id": "bibob-overige-beschikkingen", "version": "1.0.0"}
INCOMPLETE = frozenset({"repairRequested", "notProcessed"})
REFUSAL_SCENARIO = "s05-serious-refusal-possible.json"


def demo_application_ids() -> tuple[str, ...]:
    """The ids of the demo applications, in the order of `PLAN`."""
    return tuple(f"LEU-2026-D{number:02d}" for number in range(1, len(PLAN) + 1))


def _application_document(templates: Path, identifier: str, index: int) -> dict[str, Any]:
    state, template, keep, extra = PLAN[index]
    document = _json(templates / "data" / "applications" / f"{template}.json")
    events = [*document["events"][:keep], *extra]
    fields = ("permitType", "legalAct", "track", "received")
    return {"id": identifier, **{name: document[name] for name in fields}, "state": state, "events": events}


def _answers(templates: Path, identifier: str, index: int, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The answer document, once the questionnaire was sent and answered (incomplete when a repair was asked)."""
    state = PLAN[index][0]
    if state in UNANSWERED or not any(event["type"] == "questionnaireSent" for event in events):
        return {"questionnaire": dict(QUESTIONNAIRE)}  # the form it will be screened with, as the API records it
    if identifier == REFUSAL:
        answers: dict[str, Any] = _json(templates / "scenarios" / REFUSAL_SCENARIO)["answers"]
        return answers
    name = "broken-missing-answers.json" if state in INCOMPLETE else ANSWERS[index % len(ANSWERS)]
    loaded: dict[str, Any] = _json(templates / "data" / "answers" / name)
    return loaded


def _load_applications(conn: Connection, templates: Path) -> tuple[str, ...]:
    made = []
    for index, identifier in enumerate(demo_application_ids()):
        if _exists(conn, applications, identifier):
            continue
        document = _application_document(templates, identifier, index)
        answers = _answers(templates, identifier, index, document["events"])
        application = application_from_json(document, identifier)
        attachments = answers.get("attachments", [])
        create_application(conn, OFFICER, application, answers=answers, attachments=attachments, reason=REASON)
        _record_decisions(conn, identifier, document)
        made.append(identifier)
    return tuple(made)


def _record_decisions(conn: Connection, identifier: str, document: Mapping[str, Any]) -> None:
    """The decision of every application whose history records one, as the Bibob coordinator."""
    for event in document["events"]:
        if event["type"] == "decisionRecorded":
            document = {"applicationId": identifier, **event}
            record_decision(conn, COORDINATOR, identifier, event["outcome"], document, reason=REASON)


# --- signals: one from each kind of source ----------------------------------------------------------------------


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _weighed(at: str, decision: WeighingDecision, reason: str, **more: Any) -> Weighed:
    return Weighed(_at(at), ADVISOR.user, decision, reason, **more)


def _checked(at: str, source: str, hit: bool) -> SourceChecked:
    return SourceChecked(_at(at), ADVISOR.user, source, hit, PRIVACY.user)


U, M, F = WeighingDecision.UNDERMINING, WeighingDecision.MUNICIPAL_TASK, WeighingDecision.FURTHER_ANALYSIS


def _signals() -> tuple[tuple[Principal, Signal, tuple[SignalEvent, ...]], ...]:
    """(who registers it, the signal as received, the advisor's weighing) for every demo signal but the resident's."""
    hoekje = Organisation("Eetcafé Het Hoekje", address=HOEKJE)
    contact = ReporterContact
    return (
        (
            POLICE,
            Signal(
                "LEU-S-02", SignalSource.POLICE, Channel.EMAIL, _at("2026-03-06T14:00:00+01:00"),
                "Bij een controle van het eetcafé aan de Hamersveldseweg is € 40.000 contant aangetroffen; "
                "de bestuurder is eerder veroordeeld.",
                Subjects((DIRECTOR,), (hoekje,), (HOEKJE,)), Theme.HOSPITALITY,
                contact("wijkagent Leusden (synthetisch)", email="wijkagent@politie.example"),
            ),
            (
                _weighed("2026-03-07T09:00:00+01:00", U, "contant geld en antecedenten: signalering witwassen"),
                _weighed("2026-03-07T09:05:00+01:00", M, "horecavergunning en Bibob-toets liggen bij de gemeente"),
                _weighed("2026-03-07T09:10:00+01:00", F, "concreet en recent"),
                _checked("2026-03-08T10:00:00+01:00", "KvK", True),
                _weighed("2026-03-09T09:00:00+01:00", WeighingDecision.OPEN_CASE, "samen met de bewonersmelding",
                         reference=CASE_CAFE),
            ),
        ),
        (
            HOUSING,
            Signal(
                "LEU-S-03", SignalSource.HOUSING_CORPORATION, Channel.EMAIL, _at("2026-09-01T10:00:00+02:00"),
                "De huurder van een woning aan de Hertekamp weigert toegang; het stroomverbruik is verdrievoudigd "
                "en de huur wordt contant betaald.",
                Subjects((TENANT,), (), (HERTEKAMP,)), Theme.DRUGS,
                contact("woonconsulent (synthetisch)", email="melding@woningcorporatie.example"),
            ),
            (
                _weighed("2026-09-02T09:00:00+02:00", U, "signalering hennepteelt"),
                _weighed("2026-09-02T09:05:00+02:00", M, "art. 13b Opiumwet"),
                _weighed("2026-09-02T09:10:00+02:00", F, "concreet"),
                _checked("2026-09-08T11:00:00+02:00", "BRP", True),
                _weighed("2026-09-10T09:00:00+02:00", WeighingDecision.OPEN_CASE, "casusoverleg met politie en "
                         "woningcorporatie", reference=CASE_HOUSE),
            ),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-04", SignalSource.ENFORCEMENT, Channel.INTERNAL, _at("2026-10-05T15:00:00+02:00"),
                "Handhaving: een loods aan de Ambachtsweg wordt steeds aan andere huurders onderverhuurd; "
                "'s nachts rijden busjes af en aan.",
                Subjects(addresses=(Address("Ambachtsweg", 21, "", "3831KA", "Leusden"),)), Theme.REAL_ESTATE,
                contact("handhaver (synthetisch)", email="handhaving@leusden.example"),
            ),
            (
                _weighed("2026-10-06T09:00:00+02:00", U, "wisselende huurders, nachtelijke activiteit"),
                _weighed("2026-10-06T09:05:00+02:00", M, "bestemmingsplan en APV"),
            ),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-05", SignalSource.BUILDING_INSPECTION, Channel.INTERNAL, _at("2026-10-20T11:00:00+02:00"),
                "Bouw- en woningtoezicht: verbouwing zonder vergunning; zware stroomkabels naar de zolder.",
                Subjects(addresses=(Address("Groene Zoom", 5, "", "3832CD", "Leusden"),)), Theme.DRUGS,
                contact("inspecteur bouw- en woningtoezicht (synthetisch)"),
            ),
            (
                _weighed("2026-10-21T09:00:00+02:00", U, "signalering hennepteelt"),
                _weighed("2026-10-21T09:05:00+02:00", M, "Woningwet en art. 13b Opiumwet"),
                _weighed("2026-10-21T09:10:00+02:00", F, "eerst bronnen raadplegen"),
                _checked("2026-10-22T10:00:00+02:00", "energieleverancier", False),
            ),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-06", SignalSource.ANONYMOUS, Channel.WEB_FORM, _at("2026-11-02T21:30:00+01:00"),
                "In een kapsalon aan de Hessenweg komen veel klanten zonder afspraak; de zaak lijkt nooit open.",
                Subjects(addresses=(Address("Hessenweg", 40, "", "3832RA", "Leusden"),)), Theme.MONEY_LAUNDERING,
            ),
            (),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-07", SignalSource.MELD_MISDAAD_ANONIEM, Channel.EMAIL, _at("2026-06-01T08:00:00+02:00"),
                "Meld Misdaad Anoniem: arbeidsmigranten wonen met te veel personen in een pand aan de Zuidwijk "
                "en werken zonder loon.",
                Subjects(addresses=(Address("Zuidwijk", 3, "", "3833AA", "Leusden"),)), Theme.LABOUR_EXPLOITATION,
            ),
            (
                _weighed("2026-06-02T09:00:00+02:00", U, "signalering arbeidsuitbuiting"),
                _weighed("2026-06-02T09:05:00+02:00", M, "huisvesting arbeidsmigranten"),
                _weighed("2026-06-02T09:10:00+02:00", F, "bronnen raadplegen"),
                _checked("2026-06-05T10:00:00+02:00", "BRP", True),
                _weighed("2026-06-08T09:00:00+02:00", WeighingDecision.TO_RIEC, "regionale aanpak via het RIEC"),
            ),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-08", SignalSource.RIEC, Channel.PARTNER_MEETING, _at("2026-04-15T13:00:00+02:00"),
                "RIEC Midden-Nederland: een vastgoedondernemer uit een buurgemeente koopt mogelijk ook in Leusden.",
                Subjects(organisations=(Organisation("Vastgoed Voorbeeld B.V."),)), Theme.REAL_ESTATE,
                contact("RIEC Midden-Nederland (synthetisch)", email="riec@riec.example"),
            ),
            (
                _weighed("2026-04-16T09:00:00+02:00", U, "mogelijk witwassen via vastgoed"),
                _weighed("2026-04-16T09:05:00+02:00", WeighingDecision.REFER_TO_PARTNER, "strafrechtelijk spoor",
                         partner=Partner.POLICE),
            ),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-09", SignalSource.SOCIAL_DOMAIN, Channel.INTERNAL, _at("2026-07-01T10:00:00+02:00"),
                "Sociaal domein: een cliënt vertelt over schulden bij een geldschieter.",
                Subjects(), Theme.OTHER, contact("consulent sociaal domein (synthetisch)"),
            ),
            (_weighed("2026-07-02T09:00:00+02:00", WeighingDecision.NOT_UNDERMINING, "schuldhulp, geen ondermijning"),),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-10", SignalSource.ENTREPRENEUR, Channel.PHONE, _at("2026-08-20T16:00:00+02:00"),
                "Een winkelier krijgt een overnamebod ver boven de marktwaarde op zijn pand, contant te betalen.",
                Subjects(addresses=(Address("De Tabaksschuur", 2, "", "3831PK", "Leusden"),)), Theme.REAL_ESTATE,
                contact("winkelier (synthetisch)", phone="033-0000003"),
            ),
            (
                _weighed("2026-08-21T09:00:00+02:00", U, "bod boven de marktwaarde"),
                _weighed("2026-08-21T09:05:00+02:00", M, "vastgoed in het centrum"),
                _weighed("2026-08-24T09:00:00+02:00", WeighingDecision.NO_ACTION, "te weinig concreet; bewaren"),
            ),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-11", SignalSource.PUBLIC_PROSECUTOR, Channel.LETTER, _at("2026-09-20T09:00:00+02:00"),
                "Openbaar Ministerie: bestuurlijke rapportage over een exploitant die ook een vergunning in "
                "Leusden aanvraagt.",
                Subjects(organisations=(Organisation("Horeca Voorbeeld V.O.F."),)), Theme.HOSPITALITY,
                contact("officier van justitie (synthetisch)", email="om@om.example"),
            ),
            (
                _weighed("2026-09-21T09:00:00+02:00", U, "bestuurlijke rapportage OM"),
                _weighed("2026-09-21T09:05:00+02:00", M, "Wet Bibob"),
                _weighed("2026-09-21T09:10:00+02:00", F, "bronnen raadplegen"),
                _checked("2026-09-22T10:00:00+02:00", "KvK", True),
                _weighed("2026-09-23T09:00:00+02:00", WeighingDecision.TO_DEPARTMENT, "meenemen in de Bibob-toets",
                         department="team Vergunningen"),
            ),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-12", SignalSource.PERMITS, Channel.INTERNAL, _at("2026-11-10T10:00:00+01:00"),
                "Vergunningen: een aanvrager trok zijn aanvraag in direct na ontvangst van het Bibob-vragenformulier.",
                Subjects(), Theme.HOSPITALITY, contact("vergunningverlener (synthetisch)"),
            ),
            (),
        ),
        (
            ADVISOR,
            Signal(
                "LEU-S-13", SignalSource.TAX_AUTHORITY, Channel.LETTER, _at("2026-11-12T10:00:00+01:00"),
                "Belastingdienst: een onderneming met hoge belastingschulden blijft nieuwe vestigingen openen.",
                Subjects(organisations=(Organisation("Handel Voorbeeld B.V."),)), Theme.MONEY_LAUNDERING,
                contact("Belastingdienst (synthetisch)"),
            ),
            (_weighed("2026-11-13T09:00:00+01:00", U, "signalering witwassen"),),
        ),
    )  # fmt: skip


def _resident_signal(templates: Path) -> Signal:
    """The resident's phone call from tests/data/signals, with a fresh id, weighed on into the café's case."""
    document = _json(templates / "data" / "signals" / "resident-drug-house.json")
    document = {key: value for key, value in document.items() if key not in ("$schema", "description", "state")}
    signal = signal_from_json(document | {"id": "LEU-S-01"})
    more = (_weighed("2026-03-09T09:00:00+01:00", WeighingDecision.OPEN_CASE, "samen met de politiemelding",
                     reference=CASE_CAFE),)  # fmt: skip
    return replay_signal(signal, more)


def _load_signals(conn: Connection, templates: Path) -> int:
    made = 0
    for registrar, received, weighing in ((ADVISOR, _resident_signal(templates), ()), *_signals()):
        if _exists(conn, signals, received.id):
            continue
        stored = _store_signal(conn, registrar, received)
        if weighing:
            weighed = replay_signal(received, weighing)
            document = signal_to_json(weighed)
            status = weighed.state.value
            update_signal(conn, ADVISOR, received.id, stored, status=status, document=document,
                          destroy_on=weighed.destroy_on, reason=REASON)  # fmt: skip
        made += 1
    return made


def _store_signal(conn: Connection, registrar: Principal, signal: Signal) -> int:
    stored = create_signal(
        conn,
        registrar,
        source=signal.source.value,
        status=signal.state.value,
        received=signal.received,
        document=signal_to_json(signal),
        destroy_on=signal.destroy_on,
        signal_id=signal.id,
        keys=keys_of(signal.subjects.matchable),
        reason=REASON,
    )
    return stored.version


# --- cases: two, with evidence ----------------------------------------------------------------------------------

CONFIDENTIAL = Confidentiality.CONFIDENTIAL


def _partner_answer(case_id: str, request_id: str, partner: Partner, summary: str) -> EvidenceItem:
    return EvidenceItem(
        f"antwoord-{case_id}-{request_id}", EvidenceKind.PARTNER_ANSWER, partner.label, request_id, summary,
        CONFIDENTIAL, reason=f"antwoord op informatieverzoek {request_id}",
    )  # fmt: skip


def _cafe_case() -> Case:
    by = ADVISOR.user
    registered = CaseRegistered(
        _at("2026-03-10T09:00:00+01:00"),
        by,
        "Eetcafé Hamersveldseweg 12",
        Theme.HOSPITALITY,
        by,
        CONFIDENTIAL,
        members=(COORDINATOR.user,),
        partners=(Partner.POLICE, Partner.PUBLIC_PROSECUTOR, Partner.RIEC),
        subjects=Subjects((DIRECTOR,), (Organisation("Eetcafé Het Hoekje", address=HOEKJE),), (HOEKJE,)),
        signal_ids=("LEU-S-01", "LEU-S-02"),
        legal_basis="Wet Bibob; art. 13b Opiumwet",
    )
    answer = "Twee veroordelingen van de bestuurder (2024, 2025); het pand is bekend van overlastmeldingen."
    events: tuple[CaseEvent, ...] = (
        InvestigationStarted(_at("2026-03-10T10:00:00+01:00"), by),
        InformationRequested(
            _at("2026-03-11T09:00:00+01:00"),
            by,
            "IV-01",
            Partner.POLICE,
            "Zijn bestuurder en pand bekend bij de politie?",
        ),
        InformationAnswered(_at("2026-03-25T14:00:00+01:00"), by, "IV-01", answer),
        EvidenceLinked(
            _at("2026-03-25T14:05:00+01:00"), by, _partner_answer(CASE_CAFE, "IV-01", Partner.POLICE, answer)
        ),
        MeetingScheduled(_at("2026-04-01T09:00:00+02:00"), by, ("informatiebeeld Hamersveldseweg 12",)),
        MeetingHeld(
            _at("2026-04-15T10:00:00+02:00"),
            by,
            (Partner.POLICE, Partner.PUBLIC_PROSECUTOR, Partner.RIEC),
            ("informatiebeeld",),
            ("de Bibob-toets van de lopende horeca-aanvraag afwachten",),
        ),
    )
    return replay_case(register_case(CASE_CAFE, registered), events)


def _house_case() -> Case:
    by = ADVISOR.user
    partners = (Partner.POLICE, Partner.PUBLIC_PROSECUTOR, Partner.HOUSING_CORPORATION)
    registered = CaseRegistered(
        _at("2026-09-15T09:00:00+02:00"),
        by,
        "Woning Hertekamp 8",
        Theme.DRUGS,
        by,
        CONFIDENTIAL,
        members=(COORDINATOR.user,),
        partners=partners,
        subjects=Subjects((TENANT,), (), (HERTEKAMP,)),
        signal_ids=("LEU-S-03",),
        legal_basis="art. 13b Opiumwet",
    )
    answer = "Huurder staat sinds 2025 op het contract; de huur wordt sinds drie maanden contant betaald."
    report = EvidenceItem(
        "document-BR-2026-17",
        EvidenceKind.DOCUMENT_REFERENCE,
        "politie",
        "BR-2026-17",
        "Bestuurlijke rapportage: bij een controle is een hennepkwekerij van 300 planten aangetroffen.",
        CONFIDENTIAL,
        reason="bestuurlijke rapportage over dit adres",
    )
    interventions = (
        Intervention(
            "I-1",
            Partner.MUNICIPALITY,
            InterventionKind.CLOSURE_13B,
            "woning drie maanden sluiten",
            by,
            dt.date(2026, 12, 15),
        ),
        Intervention(
            "I-2",
            Partner.POLICE,
            InterventionKind.CRIMINAL,
            "strafrechtelijk onderzoek naar de teler",
            "politie Leusden",
            dt.date(2027, 3, 1),
        ),
        Intervention(
            "I-3",
            Partner.HOUSING_CORPORATION,
            InterventionKind.ADMINISTRATIVE,
            "huurovereenkomst ontbinden",
            "woningcorporatie",
            dt.date(2027, 2, 1),
        ),
    )
    events: tuple[CaseEvent, ...] = (
        InvestigationStarted(_at("2026-09-15T10:00:00+02:00"), by),
        InformationRequested(
            _at("2026-09-16T09:00:00+02:00"),
            by,
            "IV-01",
            Partner.HOUSING_CORPORATION,
            "Wie huurt de woning en hoe wordt de huur betaald?",
        ),
        InformationAnswered(_at("2026-09-23T11:00:00+02:00"), by, "IV-01", answer),
        EvidenceLinked(
            _at("2026-09-23T11:05:00+02:00"),
            by,
            _partner_answer(CASE_HOUSE, "IV-01", Partner.HOUSING_CORPORATION, answer),
        ),
        EvidenceLinked(_at("2026-09-25T09:00:00+02:00"), by, report),
        MeetingScheduled(_at("2026-09-30T09:00:00+02:00"), by, ("informatiebeeld Hertekamp 8",)),
        MeetingHeld(
            _at("2026-10-07T10:00:00+02:00"),
            by,
            partners,
            ("informatiebeeld", "interventies"),
            ("sluiten en huur ontbinden; strafrechtelijk onderzoek",),
        ),
        PlanDrafted(
            _at("2026-10-08T09:00:00+02:00"),
            by,
            ("kwekerij ontmantelen en woning sluiten", "huurovereenkomst ontbinden"),
            interventions,
        ),
        TriangleAlignmentRequested(_at("2026-10-09T09:00:00+02:00"), by),
    )
    return replay_case(register_case(CASE_HOUSE, registered), events)


def _load_cases(conn: Connection) -> tuple[int, int]:
    made = evidence = 0
    for case in (_cafe_case(), _house_case()):
        if _exists(conn, cases, case.id):
            continue
        create_case(
            conn, ADVISOR, status=case.state.value, confidentiality=case.confidentiality.value,
            document=case_to_json(case), members=case.members, case_id=case.id, reason=REASON,
        )  # fmt: skip
        set_subject_keys(conn, ADVISOR, "case", case.id, keys_of(case.subjects.matchable), REASON)
        for item in case.evidence:
            _add_evidence(conn, case.id, item, f"{item.kind.value}:{item.reference}")
            evidence += 1
        made += 1
    return made, evidence


def _add_evidence(conn: Connection, case_id: str, item: EvidenceItem, source_ref: str) -> None:
    add_evidence(
        conn, ADVISOR, case_id, kind=item.kind.value, source_ref=source_ref, document=object_to_json(item),
        status=item.status.value, reason=REASON,
    )  # fmt: skip


# --- the refusal, linked into the café's case as evidence ------------------------------------------------------


def _refusal_assessment(templates: Path) -> Assessment:
    request = request_from_json(_json(templates / "scenarios" / REFUSAL_SCENARIO), load_catalogue(), REFUSAL_SCENARIO)
    return assess(request, load_policy())


def _link_refusal(conn: Connection, templates: Path) -> str:
    """Assess, record the decision's evidence link (`link_decision`); the case it landed in."""
    assessment = _refusal_assessment(templates)
    add_assessment(conn, COORDINATOR, REFUSAL, assessment_view(assessment), reason=REASON)
    decision = recorded_decision(
        REFUSAL, DecisionOutcome.REFUSED_BIBOB, dt.date(2026, 7, 10), (Ground.A_BENEFIT,), assessment.declaration,
        assessment.findings, Theme.HOSPITALITY,
    )  # fmt: skip
    open_cases = [case_from_json(stored.document) for stored in list_cases(conn, ADVISOR, reason=REASON)]
    known = [signal_from_json(stored.document) for stored in list_signals(conn, ADVISOR, limit=500, reason=REASON)]
    links = link_decision(decision, open_cases, known, ReviewLedger(), _at("2026-07-10T16:00:00+02:00"))
    for case in links.cases:
        current = get_case(conn, ADVISOR, case.id, reason=REASON)
        update_case(conn, ADVISOR, case.id, current.version, status=case.state.value, document=case_to_json(case),
                    reason=REASON)  # fmt: skip
    (stored,) = list_decisions(conn, COORDINATOR, REFUSAL, reason=REASON)
    for case_id, item in links.items:
        _add_evidence(conn, case_id, item, f"decision:{stored.id}")
    if links.signal is not None:  # no case matched: the decision becomes a signal to weigh
        _store_signal(conn, ADVISOR, links.signal)
    return ", ".join(case_id for case_id, _ in links.items)


# --- what to print ----------------------------------------------------------------------------------------------


def describe(result: DemoResult, base_url: str) -> str:
    """The summary, the token per role and three curl lines to try, in Dutch."""
    if result.applications or result.signals or result.cases:
        loaded = (
            f"Demogemeente Leusden geladen: {result.applications} aanvragen, {result.signals} meldingen, "
            f"{result.cases} casussen met {result.evidence} bewijsstukken"
        )
        loaded += (
            f"; weigering {REFUSAL} gekoppeld aan casus {result.linked_refusal}.\n" if result.linked_refusal else ".\n"
        )
    else:
        loaded = "Demogemeente Leusden stond er al; niets dubbel toegevoegd.\n"
    lines = [loaded, "Demotokens (één per rol; elke run maakt nieuwe en trekt de vorige in):\n"]
    lines += [f"  {user.role.value:<20} {user.user:<28} {token}\n" for user, token in result.tokens]
    token = {user.role: value for user, value in result.tokens}
    lines.append("Probeer:\n")
    lines += [
        f'  curl -H "Authorization: Bearer {token[role]}" {base_url}/api/v1/{path}\n'
        for role, path in ((Role.PERMIT_OFFICER, "applications"), (Role.SAFETY_ADVISOR, "cases"), (Role.MAYOR, "me"))
    ]
    return "".join(lines)
