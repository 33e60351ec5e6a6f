"""SMS rules without the emulators: segment counting (GSM-7 and UCS-2), short links, and that
every SMS template in every language fits in two segments with long real values."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.domain import links
from shared.domain.sms import fits, segments
from shared.texts.sms import SMS
from workflows.messaging import texting

# a plausible production link base (README § SMS: at most 31 characters keeps every SMS in two)
BASE = "https://skjema.linkbergen.no"


def test_gsm7_counts_septets_and_the_extension_table_twice() -> None:
    assert segments("a" * 160) == segments("æøåÆØÅ" + "a" * 154)
    assert segments("a" * 160).count == 1 and segments("a" * 161).count == 2
    assert segments("€" * 80).units == 160 and segments("€" * 80).count == 1
    assert segments("{" + "a" * 159).count == 2  # { is two septets
    assert segments("a" * 306).count == 2 and segments("a" * 307).count == 3


def test_ucs2_counts_utf16_units_and_any_non_gsm_character_switches() -> None:
    assert segments("я" * 70) == segments("я" * 70) and segments("я" * 70).count == 1
    assert segments("я" * 71).count == 2 and segments("я" * 134).count == 2
    assert segments("я" * 135).count == 3
    assert segments("a" * 69 + "ł").encoding == "UCS-2"  # Polish ł is not GSM-7
    assert segments("😀" * 35).units == 70  # outside the BMP: two units each
    assert segments("ሰላም").encoding == "UCS-2"


def test_short_links_round_trip_and_refuse_tampering() -> None:
    for token in (
        links.new_token_id(),
        "erase-" + "0123456789abcdef" * 2,  # an erase link sent before issue 18
        links.seal_erase("key", "0123456789abcdef" * 2),
    ):
        code = links.short_code("key", token)
        assert links.verify_short("key", code) == token
        with pytest.raises(links.BadLink):
            links.verify_short("other-key", code)
        flipped = code[:-1] + ("A" if code[-1] != "A" else "B")
        with pytest.raises(links.BadLink):
            links.verify_short("key", flipped)
    assert len(links.short_url(BASE, "k", links.new_token_id())) <= len(BASE) + 29
    for junk in ("", "short", "~" * 30, "a/b" * 5, "²" * 20):
        with pytest.raises(links.BadLink):
            links.verify_short("key", junk)


def test_an_erase_link_does_not_carry_the_inquiry_id() -> None:
    """Issue 18: the erase link's token id (and so its short form in an SMS) was "erase-" + the
    inquiry id, the key of every document about the person. Now it is the id enciphered under a
    key derived from LINK_SIGNING_KEY: opaque, and read back without a lookup."""
    import base64
    import uuid

    from workflows.platform import tokens

    for _ in range(50):
        iid = uuid.uuid4().hex
        token = tokens.erase_token_id("key", iid)
        compact = base64.urlsafe_b64encode(bytes.fromhex(iid)).decode().rstrip("=")
        for url in (
            links.short_url(BASE, "key", token),
            links.action_url(BASE, "key", token, datetime(2027, 1, 1, tzinfo=UTC)),
        ):
            assert iid not in url and compact not in url, url
        assert tokens.erase_subject(token, "key") == iid
        assert tokens.erase_subject(token, "other key") != iid
        assert tokens.erase_token_id("other key", iid) != token
        assert len(links.short_url(BASE, "key", token)) <= len(BASE) + 40


@pytest.mark.parametrize("lang", sorted(SMS))
@pytest.mark.parametrize("kind", sorted(texting.BUILDERS))
def test_every_sms_in_every_language_fits_in_two_segments(lang: str, kind: str) -> None:
    text = texting.compose(lang, kind, **texting.sample_values(BASE))  # type: ignore[arg-type]
    assert fits(text), (segments(text), text)
    for link in ("https://", "/actions?s="):
        if "{link}" in SMS[lang][kind] or "{accept}" in SMS[lang][kind]:
            assert link in text


def test_gsm_languages_get_the_full_text() -> None:
    values = texting.sample_values(BASE)
    for lang in ("nb", "en"):
        for kind in texting.BUILDERS:
            assert texting.compose(lang, kind, **values) == SMS[lang][kind].format(**values)


def test_e164() -> None:
    assert texting.e164("412 34 567") == "+4741234567"
    assert texting.e164("+46 70 123 45 67") == "+46701234567"
    assert texting.e164("123") is None and texting.e164(None) is None
