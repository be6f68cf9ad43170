"""Consent emails in the owner's language: the request and the reminder (texts only)."""

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from portal.citizens.letter_codes import grouped
from portal.i18n import force_locale, opening_hours


def invitation_url(config, code: str) -> str:
    """Where the letter's QR code and the email's link lead: the invitation page, code filled in."""
    return f"{config['PORTAL_URL'].rstrip('/')}/owner/invitation?code={code}"


def language_of(owner, config) -> str:
    """The owner's language if the portal speaks it, else the default."""
    langs = config.get("LANGUAGES", ("da", "sv", "en"))
    return owner.language if owner.language in langs else config["BABEL_DEFAULT_LOCALE"]


def compose(kind: str, request, code: str) -> tuple[str, str]:
    """(subject, plain-text body) of a request ("request") or reminder ("reminder") email."""
    cfg = current_app.config
    owner = request.owner
    with force_locale(language_of(owner, cfg)):
        if kind == "request":
            subject = _("Consent for keyless entrance units in your buildings")
            lead = _(
                "Home care staff need to get through the street doors and gates of your"
                " buildings to reach citizens who have a keyless front door. We ask for your"
                " consent to fit an electronic unit at these entrances."
            )
        else:
            subject = _("Reminder: consent for keyless entrance units")
            lead = _(
                "We have not yet had your answer about electronic units at the entrances of"
                " your buildings. Please answer by the date below."
            )
        lines = [_("Dear %(name)s", name=owner.contact_person or owner.name), "", lead, ""]
        lines += [f"- {p.address}, {p.postcode} {p.city}" for p in request.properties]
        lines += [
            "",
            _(
                "The municipality pays for fitting, service and maintenance. The door is"
                " restored without damage on request. Every passage is logged."
            ),
            "",
            _("Answer in the portal: %(url)s", url=invitation_url(cfg, code)),
            _("Your invitation code: %(code)s", code=grouped(code)),
            _("Please answer by %(date)s.", date=format_date(request.expires_at, "long")),
            "",
            _(
                "Questions? Phone %(phone)s, %(hours)s.",
                phone=cfg["MUNICIPALITY_PHONE"],
                hours=opening_hours(language_of(owner, cfg)),
            ),
            cfg["MUNICIPALITY_NAME"],
        ]
    return subject, "\n".join(lines)


def compose_answer(question) -> tuple[str, str]:
    """(subject, plain-text body) telling an owner that their question has an answer."""
    cfg = current_app.config
    with force_locale(language_of(question.owner, cfg)):
        subject = _("Your question about keyless entrance units has been answered")
        lines = [
            _("Dear %(name)s", name=question.owner.contact_person or question.owner.name),
            "",
            _("You asked:"),
            question.text,
            "",
            _("Our answer:"),
            question.answer,
            "",
            _("Answer in the portal: %(url)s", url=f"{cfg['PORTAL_URL'].rstrip('/')}/owner/"),
            cfg["MUNICIPALITY_NAME"],
        ]
    return subject, "\n".join(lines)
