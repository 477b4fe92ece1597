"""'What we hold about you': a reply to a subject access request (UK GDPR Article 15).

Who holds the information and why, who it is shared with, how long it is kept, where it came
from and the parent's rights; then the records themselves and a summary of the change history.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from journeyapp.core.catalogue import Catalogue
from journeyapp.core.codes import Codes
from journeyapp.core.documents.common import label
from journeyapp.core.documents.held_records import CONSENT_WORDS, record_sections
from journeyapp.core.documents.history import history_sections
from journeyapp.core.documents.model import ActionPlan, Item, Section, Sender
from journeyapp.core.documents.wording import Words
from journeyapp.core.enums import ConsentPurpose
from journeyapp.core.records import Event, GroupSession, Journey

ICO = (
    "Information Commissioner's Office (ICO): phone 0303 123 1113, "
    "or online at ico.org.uk/make-a-complaint"
)


def build_subject_access(
    journey: Journey,
    catalogue: Catalogue,
    today: date,
    events: Sequence[Event],
    sessions: Mapping[str, GroupSession] | None = None,
    *,
    words: Words | None = None,
    sender: Sender | None = None,
    retention_years: int | None = None,
    device_id: str = "",
    codes: Codes | None = None,
    contact: str = "",
) -> ActionPlan:
    """Everything held about the parent on this laptop, as a subject-access reply; `contact`
    (how to reach the keyworker, for this print) in place of the phone number in the settings."""
    t = words or Words()
    sender = sender or Sender()
    p = journey.participant
    name = p.preferred_name.strip() or p.full_name.strip() or t("you")
    organisation = sender.organisation.strip() or t("your keyworker's organisation")
    sections = [
        Section(
            "intro",
            t("About this copy"),
            intro=(
                t(
                    "This is the information {organisation} holds about you on this laptop, on {date}.",
                    organisation=organisation,
                    date=t.date(today),
                ),
                t(
                    "You have a right to a copy under UK data protection law (UK GDPR, Article 15). "
                    "It is yours to keep."
                ),
                t(
                    "It comes from one keyworker's laptop. If you think other staff hold "
                    "information about you, ask us and we will include it."
                ),
            ),
        ),
        *_about_the_holding(
            journey, catalogue, t, sender, organisation, retention_years, " ".join(contact.split())
        ),
        *record_sections(journey, catalogue, t, sessions or {}, codes, today),
        *history_sections(events, t, sender, device_id),
    ]
    printed = t.date(today)
    return ActionPlan(
        title=t("What we hold about you"),
        name=name,
        printed_on=today,
        subtitle=t("For {name}. Printed on {date}.", name=name, date=printed),
        sections=tuple(sections),
        footer=t("What we hold about you · {name} · printed {date}", name=name, date=printed),
        document="subject_access",
        language=t.language,
        rtl=t.rtl,
        page_words=t("Page {page} of {pages}"),
        sender=sender,
    )


def _about_the_holding(
    journey: Journey,
    catalogue: Catalogue,
    t: Words,
    sender: Sender,
    organisation: str,
    retention_years: int | None,
    contact: str,
) -> list[Section]:
    """Who holds it, why, who it is shared with, how long, where it came from, your rights."""
    p = journey.participant
    holds = t("{organisation} holds your information.", organisation=organisation)
    # "your keyworker's organisation" (no organisation set) starts the sentence: capitalised.
    who = [holds[:1].upper() + holds[1:]]
    if sender.programme.strip():
        who.append(t("Programme: {name}", name=sender.programme.strip()))
    keyworker = sender.keyworker.strip() or p.keyworker.strip()
    if keyworker:
        who.append(t("Your keyworker: {name}", name=keyworker))
    if contact:
        who.append(t("Contact: {contact}", contact=contact))
    elif sender.phone.strip():
        who.append(t("Phone: {phone}", phone=sender.phone.strip()))
    if sender.email.strip():
        who.append(t("Email: {email}", email=sender.email.strip()))

    latest: dict[ConsentPurpose, tuple[date, str, bool]] = {}
    for c in journey.consents:
        key = (c.on, c.created_at, c.given)
        if c.purpose not in latest or key[:2] >= latest[c.purpose][:2]:
            latest[c.purpose] = key
    agreed = [purpose for purpose, (_, _, given) in latest.items() if given]
    why = [t("We hold it to support you on your journey, in the ways you agreed to:")]
    why_items = tuple(
        Item(
            t(CONSENT_WORDS.get(purpose, str(purpose))),
            (t("You agreed on {date}.", date=t.date(latest[purpose][0])),),
        )
        for purpose in ConsentPurpose
        if purpose in agreed
    )
    if not why_items:
        why = [t("We have no record of what you agreed to. Ask your keyworker about this.")]

    shared: list[Item] = []
    for c in journey.consents:
        if c.purpose is ConsentPurpose.SHARING_WITH_PARTNERS and c.given and c.detail.strip():
            shared.append(Item(t("Named partners you agreed to: {names}", names=c.detail.strip())))
    for r in sorted(journey.referrals, key=lambda r: (r.on, r.created_at)):
        what = r.to.strip()
        if r.service:
            what = t(
                "{who}: {service}", who=what, service=label(catalogue, "services", r.service, t)
            )
        shared.append(Item(what, (t("We put you in touch on {date}.", date=t.date(r.on)),)))
    shared_intro = (
        (t("Our records show we shared information about you with:"),)
        if shared
        else (t("Our records show no sharing of your information with anyone else."),)
    )

    years = retention_years or 3
    keep = (
        t(
            "We keep your information while you take part. When you finish, we keep it for "
            "{years} more years, then review it and delete what is no longer needed.",
            years=t.number(years),
        ),
    )
    source = [t("Most of it comes from you, in our meetings and calls.")]
    if p.referral_source.strip():
        source.append(t("How you came to us: {source}", source=p.referral_source.strip()))
    source.append(t("Where your keyworker wrote something, this copy says so beside it."))

    rights = (
        t("You can ask us to correct anything that is wrong."),
        t("You can ask us to delete your information."),
        t("You can ask us to stop using it, or object to how we use it."),
        t("You can take back anything you agreed to, at any time."),
        t("You can ask for a copy like this one at any time. It is free."),
    )
    rights_outro = (
        t(
            "To use any of these rights, speak to your keyworker or contact {organisation}.",
            organisation=organisation,
        ),
        t(
            "If you are unhappy with how we use your information, you can complain to the {ico}.",
            ico=t(ICO),
        ),
    )
    return [
        Section("who", t("Who holds your information"), intro=tuple(who)),
        Section("why", t("Why we hold it"), intro=tuple(why), items=why_items),
        Section("shared", t("Who we share it with"), intro=shared_intro, items=tuple(shared)),
        Section("keep", t("How long we keep it"), intro=keep),
        Section("source", t("Where it came from"), intro=tuple(source)),
        Section(
            "rights",
            t("Your rights"),
            items=tuple(Item(r) for r in rights),
            outro=rights_outro,
        ),
    ]
