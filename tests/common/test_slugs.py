import pytest

from common.slugs import slug_from


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Uṣṭrāsana", "ustrasana"),
        ("Ōm", "om"),
        ("Ūrdhva Mukha Śvānāsana", "urdhva-mukha-svanasana"),
        ("Adho Mukha Vṛkṣāsana", "adho-mukha-vrksasana"),
        ("Child's Pose", "childs-pose"),
        ("Straße Øresund Łódź", "strasse-oresund-lodz"),
        ("  Warrior   II  ", "warrior-ii"),
    ],
)
def test_a_slug_keeps_every_letter_of_the_name(name, slug):
    assert slug_from(name) == slug


def test_a_slug_fits_its_length_without_a_trailing_hyphen():
    assert slug_from("Utthita Hasta Pādāṅguṣṭhāsana", max_length=14) == "utthita-hasta"
