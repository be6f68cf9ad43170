"""The invitation e-mail to a new staff member, in the language chosen for them (texts only)."""

from flask_babel import format_date, format_time
from flask_babel import gettext as _

from portal.accounts.roles import ROLE_LABELS
from portal.i18n import force_locale


def invitation_url(config, token: str) -> str:
    """The one-time link in the e-mail: the page where the password is chosen."""
    return f"{config['PORTAL_URL'].rstrip('/')}/sign-in/invitation/{token}"


def language_of(language: str | None, config) -> str:
    """The chosen language if the portal speaks it, else the municipality's."""
    langs = config.get("LANGUAGES", ("da", "sv", "en"))
    return language if language in langs else config["BABEL_DEFAULT_LOCALE"]


def compose(user, invitation, token: str, *, inviter: str, config, app_needed: bool):
    """(subject, plain-text body) of an invitation to choose a password."""
    with force_locale(language_of(invitation.language, config)):
        town = config["MUNICIPALITY_NAME"]
        subject = _("Your account in the keyless home care portal of %(town)s", town=town)
        lines = [
            _("Dear %(name)s", name=user.name),
            "",
            _(
                "%(inviter)s has made an account for you as %(role)s in the keyless home"
                " care portal of %(town)s.",
                inviter=inviter,
                role=str(ROLE_LABELS.get(user.role, user.role)).lower(),
                town=town,
            ),
            "",
            _(
                "Choose your password with this link. It works once, until %(time)s:",
                time=_(
                    "%(date)s at %(time)s",
                    date=format_date(invitation.expires_at, "long"),
                    time=format_time(invitation.expires_at, "short"),
                ),
            ),
            invitation_url(config, token),
            "",
        ]
        if app_needed:
            lines += [
                _(
                    "Then set up an authenticator app on your phone: the portal asks for a"
                    " code from it each time you sign in."
                ),
                "",
            ]
        lines += [
            _("From then on you sign in with this e-mail address: %(email)s", email=user.email),
            _(
                "If the link no longer works, ask your coordinator to send you a new"
                " invitation. If you did not expect this e-mail, you can ignore it."
            ),
            "",
            town,
        ]
    return subject, "\n".join(lines)
