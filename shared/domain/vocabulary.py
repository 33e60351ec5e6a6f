"""The form's closed vocabularies (CONTRACT.md § Intake; age bands from issue 8), in a module of
their own: the form page, the console and the matching rules use them without importing the
intake's validators (email, phone, language tables) or the matching rules' holiday calendars
(issue 12: cold start)."""

from __future__ import annotations

from typing import Final

FORMATS: Final = ("in_person", "digital")
TIMES: Final = ("weekday_daytime", "weekday_evening", "weekend")
HEARD_FROM: Final = (
    "self",
    "nav",
    "municipal_service",
    "health_service",
    "organisation",
    "friend_family",
    "media",
    "other",
)
# Selvhjelp Norge advises an age span within about 15 years (issue 8): an optional band per person.
AGE_BANDS: Final = ("18-29", "30-44", "45-59", "60-74", "75+")
