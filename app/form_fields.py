"""Form fields the areas share."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField

# More digits than any count, size or limit of the app has. wtforms' NumberRange turns the number into a float, which
# fails (a 500) for one of hundreds of digits, so such input is refused before any validator sees it.
MAX_DIGITS = 15


class BoundedIntegerField(IntegerField):
    """A whole number of at most MAX_DIGITS digits; a longer one is refused in the user's language."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-").lstrip("0")) > MAX_DIGITS:
            self.data = None
            raise ValueError(_l("This number is too large."))
        super().process_formdata(valuelist)
