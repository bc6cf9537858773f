"""Forms of the catalogue's espace pages: the library's export profile (« Mon SIGB / Profil d'export »)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.marc import sigb
from catalogue.models import SIGB_ELEMENT_LABELS, DocumentType, ExportProfile, SigbSystem
from extranet.models import User

# The subfields a library may give an element of « Autre SIGB »: a-z and 0-9 but $f and $k
# (barcode and call number, fixed by the Recommandation 995).
SUBFIELD_CHOICES = [("", _("non écrit"))] + [
    (code, f"${code}") for code in "abcdeghijlmnopqrstuvwxyz0123456789" if code not in "fk"
]
PROFILE_FIELDS = ["system", "holding_code", "owner_code", "location", "section", "write_due_date", "dropped_tags"]


class ExportProfileForm(forms.Form):
    """The export profile of one library, edited by its Gestionnaire.

    The rules are the model's (``ExportProfile.clean``): the form only gathers the values (one
    code per document type, one subfield per element of « Autre SIGB ») onto ``instance`` and
    shows the model's French errors beside the fields they concern. ``disabled`` shows the
    same form read-only (a Consulter reads the profile, never changes it).
    """

    def __init__(self, *args: Any, instance: ExportProfile, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance = instance
        for name in PROFILE_FIELDS:
            model_field = cast(models.Field, ExportProfile._meta.get_field(name))  # concrete fields
            self.fields[name] = cast(forms.Field, model_field.formfield())
            self.initial.setdefault(name, getattr(instance, name))
        self.fields["system"].widget = forms.RadioSelect(choices=SigbSystem.choices)
        item_types = instance.item_types if isinstance(instance.item_types, dict) else {}
        for value, label in DocumentType.choices:
            name = f"type_{value}"
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=sigb.CODE_MAX_LENGTH,
                help_text=_("Code de la BDVO : %(code)s") % {"code": sigb.DEFAULT_ITEM_TYPES[value]},
            )
            self.initial.setdefault(name, item_types.get(value) or sigb.DEFAULT_ITEM_TYPES[value])
        current = (
            instance.subfield_map()
            if instance.system == SigbSystem.RECOMMENDATION_995
            else dict(sigb.RECOMMENDATION_995_SUBFIELDS)
        )
        subfields = instance.subfields if isinstance(instance.subfields, dict) else {}
        for element in sigb.ELEMENTS:
            name = f"subfield_{element}"
            self.fields[name] = forms.ChoiceField(
                label=SIGB_ELEMENT_LABELS[element], required=False, choices=SUBFIELD_CHOICES
            )
            self.initial.setdefault(name, subfields.get(element, current.get(element, "")))
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def type_fields(self) -> list[forms.BoundField]:
        return [self[f"type_{value}"] for value, _label in DocumentType.choices]

    def subfield_fields(self) -> list[forms.BoundField]:
        return [self[f"subfield_{element}"] for element in sigb.ELEMENTS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instance = self.instance
        for name in PROFILE_FIELDS:
            if name in data:
                setattr(instance, name, data[name] if data[name] is not None else "")
        # Only the codes that differ from the BDVO's are kept: a later change of the BDVO's
        # codes then reaches the libraries that did not choose their own.
        instance.item_types = {
            value: data[f"type_{value}"].strip()
            for value, _label in DocumentType.choices
            if data.get(f"type_{value}", "").strip() not in ("", sigb.DEFAULT_ITEM_TYPES[value])
        }
        instance.subfields = {
            element: data.get(f"subfield_{element}", "")
            for element in sigb.ELEMENTS
            if data.get(f"subfield_{element}", "") != sigb.RECOMMENDATION_995_SUBFIELDS.get(element, "")
        }
        try:
            instance.full_clean(exclude=["updated_by"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        return data

    def save(self, *, user: User) -> ExportProfile:
        """Save the validated profile, recording who changed it."""
        self.instance.updated_by = user
        self.instance.save()
        return self.instance
