"""Forms of the knowledge base: article feedback, help requests, replies and applying a change."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from knowledgebase.models import QUESTION_MAX_LENGTH, REMARK_MAX_LENGTH, ArticleFeedback, Category, HelpRequest
from knowledgebase.widgets import ContractPicker
from wizzr.bounds import MONEY_TOO_LARGE

SUBJECT_MAX_LENGTH = 200


def _check_length(value: str, limit: int, message) -> str:
    if len(value) > limit:
        raise forms.ValidationError(
            message,
            code="max_length",
            params={"length": number_format(len(value), force_grouping=True), "max": number_format(limit, force_grouping=True)},
        )
    return value


class FeedbackForm(forms.ModelForm):
    helpful = forms.TypedChoiceField(
        label=_("Was dit artikel nuttig?"),
        choices=[("yes", _("Ja")), ("no", _("Nee"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ‘Ja’ of ‘Nee’.")},
    )
    remark = forms.CharField(
        label=_("Opmerking"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        help_text=_("Wat miste u, of wat kan beter? Uw opmerking is alleen zichtbaar voor de beheerders."),
    )

    class Meta:
        model = ArticleFeedback
        fields = ["helpful", "remark"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["helpful"] = "yes" if self.instance.helpful else "no"

    def clean_remark(self) -> str:
        return _check_length(
            self.cleaned_data["remark"], REMARK_MAX_LENGTH,
            _("Uw opmerking is %(length)s tekens lang; het maximum is %(max)s."),
        )


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return obj.name


class HelpRequestForm(forms.Form):
    """Ask a question (hulpvraag) or, with ``kind=change``, pass on a change to a contract.

    ``contracts`` is the queryset the user may choose from; it must already be scoped with
    ``Contract.objects.visible_to(user)``, so another tenant's contract is an invalid choice.
    """

    subject = forms.CharField(
        label=_("Onderwerp"),
        widget=forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
        error_messages={"required": _("Vul een onderwerp in.")},
    )
    category = CategoryChoiceField(
        label=_("Categorie"),
        queryset=Category.objects.none(),
        empty_label=_("— Kies een categorie —"),
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        error_messages={
            "required": _("Kies een categorie."),
            "invalid_choice": _("Kies een categorie uit de lijst."),
        },
    )
    contract = forms.ModelChoiceField(
        label=_("Inkoopcontract"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        widget=ContractPicker(),
        help_text=_("Gaat uw vraag over een bepaald inkoopcontract? Zoek het op nummer of titel en kies het."),
        error_messages={
            "invalid_choice": _(
                "Dit inkoopcontract is niet gevonden of u heeft er geen toegang toe. Kies een inkoopcontract uit de lijst."
            ),
        },
    )
    question = forms.CharField(
        label=_("Uw vraag"),
        widget=forms.Textarea(attrs={"rows": 8, "class": "utrecht-textarea", "data-kb-counter": QUESTION_MAX_LENGTH}),
        help_text=_("Beschrijf zo precies mogelijk wat u wilt weten of wat er niet klopt. Maximaal 10.000 tekens."),
        error_messages={"required": _("Beschrijf uw vraag.")},
    )
    attachment = forms.FileField(
        label=_("Bijlage"),
        required=False,
        widget=forms.ClearableFileInput(),
    )

    def __init__(self, *args, contracts: QuerySet, kind: str = HelpRequest.Kind.QUESTION, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["contract"].queryset = contracts
        self.fields["contract"].widget.contracts = contracts
        self.fields["category"].queryset = Category.objects.all()
        from wizzr.uploads import ACCEPT, allowed_types_text

        self.fields["attachment"].widget.attrs["accept"] = ACCEPT
        self.fields["attachment"].help_text = allowed_types_text()
        if kind == HelpRequest.Kind.CHANGE:
            # The contract comes from the URL and the category does not apply.
            del self.fields["contract"]
            del self.fields["category"]
            self.fields["question"].label = _("Welke wijziging wilt u doorgeven?")
            self.fields["question"].help_text = _(
                "Noem het gegeven, de huidige en de nieuwe waarde, en sinds wanneer de wijziging geldt. Maximaal 10.000 tekens."
            )
            self.fields["question"].error_messages["required"] = _("Beschrijf de wijziging.")

    def clean_subject(self) -> str:
        return _check_length(
            self.cleaned_data["subject"], SUBJECT_MAX_LENGTH,
            _("Het onderwerp is %(length)s tekens lang; het maximum is %(max)s."),
        )

    def clean_question(self) -> str:
        return _check_length(
            self.cleaned_data["question"], QUESTION_MAX_LENGTH,
            _("Uw tekst is %(length)s tekens lang; het maximum is %(max)s. Maak hem korter of stuur een bijlage mee."),
        )


class ReplyForm(forms.Form):
    """A reply in the thread; coordinators also set the status the request gets."""

    body = forms.CharField(
        label=_("Uw reactie"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "utrecht-textarea", "data-kb-counter": QUESTION_MAX_LENGTH}),
        error_messages={"required": _("Schrijf een reactie.")},
    )
    status = forms.ChoiceField(
        label=_("Status na deze reactie"),
        choices=HelpRequest.Status.choices,
        initial=HelpRequest.Status.ANSWERED,
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )

    def __init__(self, *args, coordinator: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not coordinator:
            del self.fields["status"]

    def clean_body(self) -> str:
        return _check_length(
            self.cleaned_data["body"], QUESTION_MAX_LENGTH,
            _("Uw reactie is %(length)s tekens lang; het maximum is %(max)s."),
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=HelpRequest.Status.choices,
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )

    def __init__(self, *args, **kwargs):
        # Shown on the same page as the reply form, which has a status field too: ids must differ.
        kwargs.setdefault("auto_id", "id_status_change_%s")
        super().__init__(*args, **kwargs)


# Contract fields a coordinator may change when applying a change request. The supplier is not
# among them: choosing another establishment goes through the contract entry's registry search.
CHANGEABLE_CONTRACT_FIELDS = [
    "contract_number",
    "title",
    "start_date",
    "end_date",
    "contract_value",
    "sroi_percentage",
    "sroi_fixed_amount",
    "kind",
    "department",
    "award_date",
    "description",
    "sroi_paragraph",
    "supplier_contact_name",
    "supplier_contact_email",
    "supplier_contact_phone",
]


def contract_change_form_class():
    """The ModelForm for applying a change; built lazily so that this module imports without contracts."""
    from contracts.models import Contract

    widgets = {}
    for name in CHANGEABLE_CONTRACT_FIELDS:
        field = Contract._meta.get_field(name)
        internal = field.get_internal_type()
        if internal == "DateField":
            widgets[name] = forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox"}, format="%Y-%m-%d")
        elif internal == "TextField":
            widgets[name] = forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"})
        elif field.choices:
            widgets[name] = forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"})
        else:
            widgets[name] = forms.TextInput(attrs={"class": "utrecht-textbox"})

    class ContractChangeForm(forms.ModelForm):
        class Meta:
            model = Contract
            fields = CHANGEABLE_CONTRACT_FIELDS
            localized_fields = ["contract_value", "sroi_percentage", "sroi_fixed_amount"]

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in self.Meta.localized_fields:
                self.fields[name].widget.attrs.update({"class": "utrecht-textbox", "inputmode": "decimal"})
            for name in ("contract_value", "sroi_fixed_amount"):
                self.fields[name].error_messages.update(max_digits=MONEY_TOO_LARGE, max_whole_digits=MONEY_TOO_LARGE)

        def _get_validation_exclusions(self):
            # The organisation is not editable here, but the per-organisation unique contract
            # number must still be checked: Django skips constraints on excluded fields.
            exclusions = super()._get_validation_exclusions()
            exclusions.discard("organisation")
            return exclusions

        def clean(self):
            cleaned = super().clean()
            if not self.has_changed():
                raise forms.ValidationError(_("U heeft geen gegeven gewijzigd."), code="unchanged")
            return cleaned

    return forms.modelform_factory(Contract, form=ContractChangeForm, fields=CHANGEABLE_CONTRACT_FIELDS, widgets=widgets)
