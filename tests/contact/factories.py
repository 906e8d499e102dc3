"""Test data for consultation requests."""

import factory
from django.utils import timezone

from contact.models import ConsultationRequest, Topic
from core.antispam import new_form_token


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Thema {n}")
    position = factory.Sequence(lambda n: 100 + n)


class ConsultationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationRequest

    name = "Petra Lang"
    email = factory.Sequence(lambda n: f"besucherin{n}@example.org")
    phone = ""
    topic = None
    message = factory.Sequence(lambda n: f"Ich hätte gern einen Termin (Anfrage {n}).")
    consent_text = "Ich bin einverstanden, dass meine Angaben nur verwendet werden …"


def old_token(seconds: float = 30) -> str:
    """A form token rendered `seconds` ago, as a person who took her time would send it."""
    return new_form_token(scope="/kontakt/", now=timezone.now().timestamp() - seconds)


def request_post_data(**overrides) -> dict:
    """Everything the form posts when a person fills it in (with a token from 30 s ago)."""
    data = {
        "name": "Petra Lang",
        "email": "petra@example.org",
        "phone": "+49 30 1234567",
        "topic": None,
        "message": "Seit Wochen zieht es im unteren Rücken. Können wir über einen Kurs sprechen?",
        "consent": "on",
        "leer_lassen": "",
        "ts": old_token(),
    }
    data.update(overrides)
    if "topic" not in overrides:
        data["topic"] = str(Topic.objects.get(name="Rückenschmerzen").pk)
    return {key: value for key, value in data.items() if value is not None}
