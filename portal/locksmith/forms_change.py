"""The form for a relocation or removal job done: shape only (the rules are in the service)."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from portal.locksmith.forms import CHECK_MESSAGE, NOTE, Radios, _OwnChoiceMessage
from portal.locksmith.photos import MAX_BYTES
from portal.web.forms import PortalForm

CHECK_LABELS = {
    "door_restored": _l("The door is restored to its original state, without marks"),
    "parts_returned": _l("The original thumb-turn and parts are back on the door"),
    "unit_fitted": _l("The unit is fitted at the new home"),
    "turns_both_ways": _l("The unit turns the lock both ways"),
    "keys_returned": _l("The physical keys are handed back"),
}
SIGNED_MESSAGE = _l("Enter the name of the person who took the keys back")
PARTS_MESSAGE = _l("Choose where the new door's original parts are kept")
PHOTO_MESSAGES = {
    "too_large": _l(
        "The photo is too large. Choose a photo of at most %(mb)s MB.",
        mb=MAX_BYTES // (1024 * 1024),
    ),
    "not_image": _l("The file is not a photo. Choose a JPEG, PNG or WebP picture."),
}


class Checklist(_OwnChoiceMessage, SelectMultipleField):
    """Checkboxes with the portal's own message for a value that is not an option."""


class ChangeDoneForm(PortalForm):
    """Checklist, parts, keys signed for by name, an optional photo and a note."""

    checklist = Checklist(_l("Checklist"), choices=[])
    parts_stored = Radios(
        _l("Where are the new door's original thumb-turn and parts kept?"),
        choices=[("home", _l("In the citizen's home")), ("depot", _l("At the depot"))],
        validators=[Optional()],
    )
    signed_by = StringField(
        _l("Name of the person who took the keys back"),
        validators=[Optional(), Length(max=200, message=_l("Write at most 200 characters"))],
    )
    photo = FileField(_l("Photo of the restored door (optional)"))
    note = TextAreaField(_l("Note for the coordinator"), **NOTE)

    def setup(self, needed: tuple[str, ...], relocation: bool) -> "ChangeDoneForm":
        """Offer the points this job needs."""
        self.checklist.choices = [(name, CHECK_LABELS[name]) for name in needed]
        self.needed, self.relocation = needed, relocation
        return self

    def validate(self, extra_validators=None) -> bool:
        """The fields, then every question this job asks, all reported at once (the service
        checks the same rules again)."""
        ok = super().validate(extra_validators)
        checks = [
            (set(self.needed) - set(self.checklist.data or ()), self.checklist, CHECK_MESSAGE),
            (
                "keys_returned" in self.needed and not (self.signed_by.data or "").strip(),
                self.signed_by,
                SIGNED_MESSAGE,
            ),
            (self.relocation and not self.parts_stored.data, self.parts_stored, PARTS_MESSAGE),
        ]
        for failed, field, message in checks:
            if failed and not field.errors:
                field.errors = [*field.errors, message]
                ok = False
        return ok

    def photo_bytes(self) -> bytes | None:
        """The uploaded file's bytes (read at most one byte past the limit), or None."""
        upload = self.photo.data
        if upload is None or not getattr(upload, "filename", ""):
            return None
        return upload.stream.read(MAX_BYTES + 1) or None
